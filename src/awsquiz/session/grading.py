"""Is this response right? Choice, multi and typed answers, per the input protocol."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from awsquiz.model import Card, Rating
from awsquiz.model.answer_text import is_number, normalize


class Unreadable(ValueError):
    """The response names no choice; the learner is asked again, nothing is recorded."""


@dataclass(frozen=True)
class Graded:
    """An auto-graded answer: whether it was right and the choices picked."""

    right: bool
    picked: tuple[str, ...]  # the choices picked, in the order shown

    @property
    def rating(self) -> Rating:
        """Auto-graded answers: wrong is Again, right is Good."""
        return Rating.GOOD if self.right else Rating.AGAIN


def pick_choices(response: str, shown: Sequence[str], *, many: bool) -> tuple[str, ...]:
    """The choices a response names, by number (as shown) or by text (any case).

    Multi answers are separated by commas or spaces; a choice whose text has spaces in it
    ("Client-side encryption") is recognized as one.
    """
    text = response.strip()
    if not text:
        raise Unreadable("type a number or a choice")
    by_text = {normalize(choice): choice for choice in shown}

    def one(token: str) -> str:
        token = token.strip()
        if is_number(token):
            index = int(token)
            if 1 <= index <= len(shown):
                return shown[index - 1]
            raise Unreadable(f"{token} is not a choice: pick 1 to {len(shown)}")
        choice = by_text.get(normalize(token))
        if choice is None:
            raise Unreadable(f"'{token}' is not one of the choices")
        return choice

    if not many:
        return (one(text),)
    picked: list[str] = []
    for part in (p for p in text.split(",") if p.strip()):
        picked += _words_to_choices(part, one, by_text)
    ordered = [c for c in shown if c in picked]
    return tuple(ordered)


def check_count(picked: Sequence[str], wanted: int) -> None:
    """A Select-N answer must name N different choices; otherwise it is asked again."""
    if len(picked) != wanted:
        named = f"{len(picked)} choice{'s' if len(picked) != 1 else ''}"
        raise Unreadable(f"pick {wanted}: that answer names {named}")


def _words_to_choices(
    part: str, one: Callable[[str], str], by_text: dict[str, str]
) -> list[str]:
    """Split one comma-free part into choices: the longest run of words naming a choice wins.

    A run grows only while it is the start of some choice's text, so each word is looked at
    a bounded number of times: the time is linear in the length of the response (a pasted
    page of text is refused as quickly as a word)."""
    if normalize(part) in by_text:
        return [one(part)]
    words = part.split()
    folded = [normalize(word) for word in words]
    starts = {text[:n] for text in by_text for n in range(1, len(text) + 1)}
    # Words of punctuation alone add nothing to a run: no run longer than this is tried.
    most_words = max((len(choice.split()) for choice in by_text.values()), default=1)
    result: list[str] = []
    start = 0
    while start < len(words):
        run, best, end = "", 0, start
        while end < len(words) and end - start < most_words + 8:
            run += folded[end]
            end += 1
            if run in by_text:
                best = end
            elif run and run not in starts:
                break
        if best > start + 1 or (best == start + 1 and not is_number(words[start])):
            result.append(by_text["".join(folded[start:best])])
            start = best
        else:
            result.append(one(words[start]))  # a number, or Unreadable naming the word
            start += 1
    return result


def grade_choices(card: Card, picked: Sequence[str]) -> Graded:
    """Right only if exactly the right choices are picked: all of them and no wrong one."""
    return Graded(right=set(picked) == set(card.answers), picked=tuple(picked))


def typed_is_right(card: Card, typed: str) -> bool:
    wanted = {normalize(a) for a in (*card.answers, *card.accept)}
    return normalize(typed) in wanted and normalize(typed) != ""


def self_rating(response: str) -> Rating:
    text = response.strip().lower()
    names = {"1": Rating.AGAIN, "2": Rating.HARD, "3": Rating.GOOD, "4": Rating.EASY,
             "again": Rating.AGAIN, "hard": Rating.HARD, "good": Rating.GOOD, "easy": Rating.EASY}
    if text not in names:
        raise Unreadable("rate yourself 1 Again, 2 Hard, 3 Good or 4 Easy")
    return names[text]


def diff(typed: str, answer: str) -> list[tuple[str, str]]:
    """The typed answer against the right one, as (kind, text) runs: same, wrong, missing."""
    runs: list[tuple[str, str]] = []
    # Matching costs the product of the lengths: a pasted page is compared only as far as
    # an answer could reach, and the rest is shown as wrong.
    reach = 2 * len(answer) + 64
    if len(typed) > reach:
        return [*diff(typed[:reach], answer), ("wrong", typed[reach:])]
    matcher = difflib.SequenceMatcher(a=typed.lower(), b=answer.lower(), autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", typed[a1:a2]))
        if op in ("replace", "delete"):
            runs.append(("wrong", typed[a1:a2]))
        if op in ("replace", "insert"):
            runs.append(("missing", answer[b1:b2]))
    return runs

