"""A card's scheduler state: the FSRS stage it is in, and what the scheduler keeps of it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TypedDict

from awsquiz.model.build import construct


class State(IntEnum):
    """The FSRS stages (the values the library and the review log use)."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def in_steps(self) -> bool:
        """Learning or relearning: the card comes back after minutes, not days."""
        return self is not State.REVIEW


# The stages as plain integers, for the loops over thousands of cached glances.
LEARNING_STATES = (int(State.LEARNING), int(State.RELEARNING))
REVIEW_STATE = int(State.REVIEW)

# A card forgotten this many times (every Again counts) is a leech: drilling it again is
# unlikely to help; it wants a note, a mnemonic or a better-written card.
LEECH_LAPSES = 8

# A card in review this stable (in days) is mastered (listings) or mature (stats).
MASTERED_DAYS = 21.0


class StateDict(TypedDict):
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str
    last_review: str | None
    reps: int
    lapses: int


@dataclass(frozen=True)
class CardState:
    """A card's scheduler state after its latest review (times are ISO 8601 UTC)."""

    state: int  # a State value
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str
    last_review: str | None
    reps: int = 0
    lapses: int = 0

    @property
    def stage(self) -> State:
        return State(self.state)

    def to_dict(self) -> StateDict:
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due,
            "last_review": self.last_review,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @staticmethod
    def from_dict(data: StateDict) -> CardState:
        return construct(
            CardState,
            {
                "state": int(data["state"]),
                "step": data["step"],
                "stability": data["stability"],
                "difficulty": data["difficulty"],
                "due": data["due"],
                "last_review": data["last_review"],
                "reps": int(data.get("reps", 0)),
                "lapses": int(data.get("lapses", 0)),
            },
        )
