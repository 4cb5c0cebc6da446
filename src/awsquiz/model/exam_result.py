"""One finished (or abandoned) mock exam, as the exam log keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VERSION = 1


@dataclass(frozen=True)
class ExamResult:
    """One finished (or abandoned) exam, as kept in the exam log."""

    id: str
    time: str  # when it started, ISO 8601 UTC
    decks: tuple[str, ...]
    questions: int
    right: int
    pass_mark: int  # percent
    seconds_used: int
    seconds_allowed: int
    abandoned: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.questions) if self.questions else 0

    @property
    def passed(self) -> bool:
        return not self.abandoned and self.percent >= self.pass_mark

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "id": self.id,
            "time": self.time,
            "decks": list(self.decks),
            "questions": self.questions,
            "right": self.right,
            "percent": self.percent,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "seconds_used": self.seconds_used,
            "seconds_allowed": self.seconds_allowed,
            "abandoned": self.abandoned,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> ExamResult:
        return ExamResult(
            id=str(data["id"]),
            time=str(data["time"]),
            decks=tuple(data["decks"]),
            questions=int(data["questions"]),
            right=int(data["right"]),
            pass_mark=int(data["pass_mark"]),
            seconds_used=int(data["seconds_used"]),
            seconds_allowed=int(data["seconds_allowed"]),
            abandoned=bool(data.get("abandoned", False)),
        )


