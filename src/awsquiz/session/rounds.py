"""Drilling the missed cards, pure: which cards are missed, leeches, `--since`, and the rounds
in which each missed card is asked until it is answered right."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model import Answered, Card, CardProgress, Review
from awsquiz.model.state import LEECH_LAPSES
from awsquiz.model.times import from_iso
from awsquiz.session.turn import Summary


def is_leech(progress: CardProgress) -> bool:
    return progress.state.lapses >= LEECH_LAPSES


# --since ------------------------------------------------------------------------------------

_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
          "w": timedelta(weeks=1)}
_SINCE = re.compile(r"\s*(\d+)\s*([mhdw])\s*", re.IGNORECASE)


def parse_since(text: str | None) -> timedelta | None:
    """`30m`, `12h`, `7d` or `2w` as a length of time; None for None. A usage error otherwise."""
    if text is None:
        return None
    match = _SINCE.fullmatch(text)
    amount = int(match.group(1)) if match else 0
    if match is None or amount <= 0 or amount > 100_000:
        raise AwsquizError(
            f"--since {text!r} is not a length of time",
            hint="give a whole number and a unit: 30m (minutes), 12h, 7d or 2w (weeks)",
            exit_code=EXIT_USAGE,
        )
    return amount * _UNITS[match.group(2).lower()]


# Which cards are missed -----------------------------------------------------------------------


def missed_cards(
    cards: Iterable[Card],
    progress: Mapping[str, CardProgress],
    now: datetime,
    since: timedelta | None = None,
) -> list[Card]:
    """The cards whose last answer was wrong (within `since` of `now`), in the order given."""
    start = now - since if since is not None else None
    chosen: list[Card] = []
    seen: set[str] = set()
    for card in cards:
        entry = progress.get(card.key)
        if entry is None or not entry.missed or card.key in seen:
            continue
        if start is not None and from_iso(entry.last_time) < start:
            continue
        seen.add(card.key)
        chosen.append(card)
    return chosen


def miss_counts(reviews: Iterable[Review | Answered]) -> dict[str, int]:
    """How many times each card (by key) was answered wrong, over the whole history."""
    counts: dict[str, int] = {}
    for review in reviews:
        if review.missed:
            counts[review.key] = counts.get(review.key, 0) + 1
    return counts


@dataclass(frozen=True)
class MissedCard:
    """One row of `review --list`."""

    card: Card
    progress: CardProgress
    times_missed: int

    @property
    def leech(self) -> bool:
        return is_leech(self.progress)

    @property
    def picked(self) -> str:
        """The choice(s) or typed text picked last time; empty when the answer was revealed."""
        picked = self.progress.last_picked
        if isinstance(picked, tuple):
            return ", ".join(picked)
        return picked or ""

    def to_dict(self) -> dict[str, Any]:
        picked = self.progress.last_picked
        return {
            "deck": self.card.deck,
            "id": self.card.id,
            "question": self.card.question,
            "answer": self.card.answer,
            "picked": list(picked) if isinstance(picked, tuple) else picked,
            "times_missed": self.times_missed,
            "lapses": self.progress.state.lapses,
            "leech": self.leech,
            "missed_at": self.progress.last_time,
        }


# Rounds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rounds:
    """The drill's queue: every card once per round, shuffled; the ones answered wrong come
    back in the next round, until each has been answered right once."""

    number: int = 1
    left: tuple[str, ...] = ()  # this round's cards not yet answered, in order
    again: tuple[str, ...] = ()  # answered wrong this round: the next round's cards
    size: int = 0  # cards in this round

    @staticmethod
    def start(keys: Iterable[str], rng: random.Random) -> Rounds:
        order = list(dict.fromkeys(keys))
        rng.shuffle(order)
        return Rounds(1, tuple(order), (), len(order))

    def peek(self) -> str | None:
        """The card to show next, or None when every card has been answered right."""
        return self.left[0] if self.left else None

    @property
    def position(self) -> int:
        """The 1-based place of the next card in this round."""
        return self.size - len(self.left) + 1

    @property
    def remaining(self) -> tuple[str, ...]:
        """The cards not yet answered right."""
        return self.left + self.again

    @property
    def done(self) -> bool:
        return not self.remaining

    def without(self, key: str) -> Rounds:
        """The rounds with `key` taken out (the card was suspended)."""
        left = tuple(k for k in self.left if k != key)
        again = tuple(k for k in self.again if k != key)
        if left or not again:
            return replace(self, left=left, again=again, size=self.size - (left != self.left))
        return Rounds(self.number + 1, again, (), len(again))

    def answered(self, key: str, right: bool, rng: random.Random) -> Rounds:
        left = tuple(k for k in self.left if k != key)
        again = self.again if right or key in self.again else (*self.again, key)
        if left or not again:
            return replace(self, left=left, again=again)
        order = list(again)
        rng.shuffle(order)
        if len(order) > 1 and order[0] == key:
            order.append(order.pop(0))  # not the card just seen, twice in a row
        return Rounds(self.number + 1, tuple(order), (), len(order))


# The drill ----------------------------------------------------------------------------------


@dataclass
class ReviewSummary(Summary):
    """A review drill's summary: the study summary and the drill's rounds and leeches."""

    cards: int = 0  # missed cards at the start
    rounds: int = 0  # rounds begun
    left: list[str] = field(default_factory=list)  # card ids still missed at the end
    leeches: list[str] = field(default_factory=list)  # card ids of drilled leeches
    since: timedelta | None = None
