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

    @property
    def auto_graded(self) -> bool:
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
            },
        )
