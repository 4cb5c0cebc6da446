"""A flashcard: its question, answers and choices, and what explains it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TypedDict

from awsquiz.model.build import construct


class CardType(str, Enum):
    BASIC = "basic"
    CHOICE = "choice"
    MULTI = "multi"
    CLOZE = "cloze"

    @property
    def auto_graded(self) -> bool:
        """Answered by picking choices: graded without the learner's own rating."""
        return self is CardType.CHOICE or self is CardType.MULTI

    @property
    def typed(self) -> bool:
        """Answered by typing: right when it matches, otherwise the learner rates themself."""
        return self is CardType.BASIC or self is CardType.CLOZE

    @property
    def in_exam(self) -> bool:
        """Asked in a mock exam: the auto-graded types, and cloze (its typed text decides)."""
        return self is not CardType.BASIC


class CardDict(TypedDict):
    deck: str
    id: str
    type: str
    question: str
    choices: list[str]
    answer: str | list[str]
    accept: list[str]
    why: dict[str, str]
    explanation: str
    source: str
    verified: str | None
    tags: list[str]
    line: int
    id_derived: bool
    note: str
    text: str


@dataclass(frozen=True)
class Card:
    """One flashcard: its question, answers and choices, and what explains it."""

    deck: str
    id: str
    type: CardType
    question: str
    answers: tuple[str, ...]
    choices: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    why: dict[str, str] = field(default_factory=dict)
    explanation: str = ""
    source: str = ""
    verified: str | None = None
    tags: tuple[str, ...] = ()
    line: int = 0
    id_derived: bool = False
    # The id of the deck entry that made this card when it made several (a cloze's
    # deletions, a card and its reverse, a classify block's items): such cards are siblings.
    note: str = ""
    text: str = ""  # a cloze card's whole text in Anki's syntax, as written

    @property
    def is_reverse(self) -> bool:
        """The reversed card (`<id>-reverse`) of a basic card with `reverse: true`."""
        return self.type is CardType.BASIC and self.note != "" and self.id != self.note

    @property
    def key(self) -> str:
        """Progress is keyed by deck and card id."""
        return f"{self.deck}/{self.id}"

    @property
    def answer(self) -> str:
        """The answer as one line of text (multi answers joined)."""
        return ", ".join(self.answers)

    def to_dict(self) -> CardDict:
        return {
            "deck": self.deck,
            "id": self.id,
            "type": self.type.value,
            "question": self.question,
            "choices": list(self.choices),
            "answer": list(self.answers) if self.type is CardType.MULTI else self.answers[0],
            "accept": list(self.accept),
            "why": dict(self.why),
            "explanation": self.explanation,
            "source": self.source,
            "verified": self.verified,
            "tags": list(self.tags),
            "line": self.line,
            "id_derived": self.id_derived,
            "note": self.note,
            "text": self.text,
        }

    @staticmethod
    def from_dict(data: CardDict) -> Card:
        answer = data["answer"]
        return construct(
            Card,
            {
                "deck": data["deck"],
                "id": data["id"],
                "type": CardType(data["type"]),
                "question": data["question"],
                "answers": tuple(answer) if isinstance(answer, list) else (answer,),
                "choices": tuple(data["choices"]),
                "accept": tuple(data["accept"]),
                "why": dict(data["why"]),
                "explanation": data["explanation"],
                "source": data["source"],
                "verified": data["verified"],
                "tags": tuple(data["tags"]),
                "line": data["line"],
                "id_derived": data["id_derived"],
                "note": data["note"],
                "text": data["text"],
            },
        )
