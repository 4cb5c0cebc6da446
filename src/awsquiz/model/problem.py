"""What is wrong with a deck file, and where: file, line and column as fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from awsquiz.model.deck import Deck


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck file, with where it is."""

    path: str
    line: int
    column: int
    message: str
    card: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        card = f" card '{self.card}':" if self.card else ""
        kind = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}:{card} {kind}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "card": self.card,
            "severity": self.severity.value,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Problem:
        return Problem(
            path=data["path"],
            line=data["line"],
            column=data["column"],
            message=data["message"],
            card=data["card"],
            severity=Severity(data["severity"]),
        )


@dataclass
class LoadResult:
    """A deck file's deck (None when it has errors) and every problem found in it."""

    path: str
    deck: Deck | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]
