"""Cloze deletions in Anki's syntax: `{{c1::answer}}` and `{{c1::answer::hint}}`.

One card per distinct number: its question is the text with that number's deletions blanked
(`[...]`, or `[hint]`) and the others filled in; its answer is the deleted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"^c(\d+)$")


@dataclass(frozen=True)
class Deletion:
    """One `{{cN::answer::hint}}` of a cloze text."""

    number: int
    answer: str
    hint: str


@dataclass(frozen=True)
class ClozeProblem:
    """What is wrong in a cloze text, and where (a character offset into it)."""

    offset: int
    message: str


@dataclass(frozen=True)
class ClozeCard:
    """The card of one deletion number: cN, the question shown and the answer expected."""

    number: int
    question: str
    answer: str


Segment = str | Deletion


def parse_cloze(text: str) -> tuple[list[Segment], list[ClozeProblem]]:
    """The text as plain runs and deletions, and every problem in it."""
    segments: list[Segment] = []
    problems: list[ClozeProblem] = []
    at = 0
    while (start := text.find("{{", at)) != -1:
        end = text.find("}}", start + 2)
        if end == -1:
            problems.append(ClozeProblem(start, "'{{' is not closed with '}}'"))
            break
        inner = text[start + 2 : end]
        reopened = inner.find("{{")
        if reopened != -1:
            problems.append(
                ClozeProblem(start, "'{{' is not closed before the next '{{' (no nesting)")
            )
            at = start + 2 + reopened
            continue
        deletion = _deletion(inner, start, problems)
        if start > at:
            segments.append(text[at:start])
        segments.append(deletion if deletion is not None else text[start : end + 2])
        at = end + 2
    if at < len(text):
        segments.append(text[at:])
    if not problems and not any(isinstance(s, Deletion) for s in segments):
        problems.append(ClozeProblem(0, "a cloze needs at least one deletion: {{c1::text}}"))
    return segments, problems


def _deletion(inner: str, start: int, problems: list[ClozeProblem]) -> Deletion | None:
    head, sep, rest = inner.partition("::")
    if not sep:
        problems.append(
            ClozeProblem(start, f"'{{{{{inner}}}}}' is not a deletion; write {{{{c1::text}}}}")
        )
        return None
    match = _NUMBER.match(head.strip())
    if match is None:
        problems.append(ClozeProblem(
            start, f"'{head}' is not a cloze number: c1, c2, ... (in '{{{{{inner}}}}}')"
        ))
        return None
    number = int(match.group(1))
    if number < 1:
        problems.append(ClozeProblem(start, f"'{head}': cloze numbers start at c1"))
        return None
    answer, _, hint = rest.partition("::")
    if not answer.strip():
        problems.append(ClozeProblem(start, f"c{number} deletes nothing: {{{{c{number}::}}}}"))
        return None
    return Deletion(number, answer, hint)


def cloze_cards(segments: list[Segment]) -> list[ClozeCard]:
    """One card per distinct deletion number, in number order."""
    numbers = sorted({s.number for s in segments if isinstance(s, Deletion)})
    cards = []
    for number in numbers:
        shown: list[str] = []
        answers: list[str] = []
        for segment in segments:
            if isinstance(segment, str):
                shown.append(segment)
            elif segment.number == number:
                shown.append(f"[{segment.hint.strip() or '...'}]")
                answers.append(segment.answer.strip())
            else:
                shown.append(segment.answer)
        cards.append(ClozeCard(number, "".join(shown), ", ".join(dict.fromkeys(answers))))
    return cards


def cloze_numbers(text: str) -> list[int]:
    """The distinct deletion numbers of a well-formed cloze text, in order."""
    segments, _ = parse_cloze(text)
    return [card.number for card in cloze_cards(segments)]
