"""Advice for deck authors, given as warnings by `awsquiz check`: a keyed answer that stands
out by its length (test-wise learners pick the longest choice), and a fact tagged `volatile`
whose card does not say when it was true ("as of December 2026")."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from awsquiz.model import Card

# A keyed answer this many times the wrong choices' mean length, and this many characters
# longer, gives itself away.
LONG_RATIO = 1.5
LONG_EXTRA = 20
VOLATILE = "volatile"
_AS_OF = re.compile(r"\bas of\b", re.IGNORECASE)


def fmean(values: Iterable[int]) -> float:
    """statistics.fmean of these (never empty here), without loading statistics: it brings
    fractions and decimal, and a changed deck file is parsed while its listing waits."""
    items = list(values)
    return math.fsum(items) / len(items)


def long_answer(answers: Sequence[str], choices: Sequence[str]) -> str | None:
    """The warning for keyed answers much longer than the wrong choices, or None."""
    wrong = [choice for choice in choices if choice not in answers]
    if not wrong or not answers:
        return None
    keyed = fmean(len(answer) for answer in answers)
    others = fmean(len(choice) for choice in wrong)
    if keyed >= LONG_RATIO * others and keyed - others >= LONG_EXTRA:
        what = "the keyed answers are" if len(answers) > 1 else "the keyed answer is"
        return (
            f"{what} {keyed / others:.1f}x as long as the wrong choices "
            f"({keyed:.0f} characters against {others:.0f}): a learner can guess by length"
        )
    return None


def undated_volatile(tags: Sequence[str], texts: Sequence[str]) -> str | None:
    """The warning for a `volatile` card that does not say when its fact held, or None."""
    if VOLATILE in tags and not any(_AS_OF.search(text) for text in texts):
        return "tagged 'volatile' but does not say when the fact held (\"as of <month year>\")"
    return None


class Fairness(NamedTuple):
    """How test-wise a deck's choice and multi cards are, over a set of cards."""

    cards: int  # choice and multi cards
    longest: int  # whose keyed answer is (one of) the longest choices
    much_longer: int  # whose keyed answers are at least LONG_RATIO x the wrong choices' mean
    wrong: int  # wrong choices
    explained: int  # wrong choices with a `why` note

    def lines(self) -> list[str]:
        def share(part: int, whole: int) -> str:
            return f"{part} of {whole} ({part / whole:.0%})" if whole else "0 of 0"

        return [
            f"choice and multi cards: {self.cards}",
            f"keyed answer is the longest choice: {share(self.longest, self.cards)}",
            f"keyed answer >= {LONG_RATIO}x the wrong choices' mean length: "
            f"{share(self.much_longer, self.cards)}",
            f"wrong choices with a 'why' note: {share(self.explained, self.wrong)}",
        ]


def fairness(cards: Iterable[Card]) -> Fairness:
    """The figures of `Fairness` over the auto-graded cards among `cards`."""
    count = longest = much_longer = wrong_count = explained = 0
    for card in cards:
        if not card.type.auto_graded:
            continue
        count += 1
        wrong = [choice for choice in card.choices if choice not in card.answers]
        wrong_count += len(wrong)
        explained += sum(1 for choice in wrong if card.why.get(choice))
        lengths = [len(choice) for choice in card.choices]
        if max(lengths) > min(lengths) and any(len(a) == max(lengths) for a in card.answers):
            longest += 1
        if wrong and fmean(map(len, card.answers)) >= LONG_RATIO * fmean(map(len, wrong)):
            much_longer += 1
    return Fairness(count, longest, much_longer, wrong_count, explained)
