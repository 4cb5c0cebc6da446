"""What the store knows of one card: its newest review and its first one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from awsquiz.model.build import construct
from awsquiz.model.rating import RATINGS, Rating
from awsquiz.model.review import Review
from awsquiz.model.state import CardState, StateDict


class ProgressDict(TypedDict):
    state: StateDict
    last_id: str
    last_time: str
    last_rating: int
    last_right: bool | None
    last_picked: list[str] | str | None
    first_time: str


@dataclass(frozen=True)
class CardProgress:
    """What the store knows of one card: its newest review and its first one.

    Built only from "newest" and "oldest" choices over reviews, so reading the same review
    twice (two synced logs holding it) changes nothing.
    """

    state: CardState
    last_id: str
    last_time: str
    last_rating: Rating
    last_right: bool | None
    last_picked: tuple[str, ...] | str | None
    first_time: str

    @property
    def missed(self) -> bool:
        return self.last_right is False or (
            self.last_right is None and self.last_rating is Rating.AGAIN
        )

    @staticmethod
    def first(review: Review, first_time: str | None = None) -> CardProgress:
        """Progress whose newest review is `review` (and, unless given, its first too)."""
        return CardProgress(
            state=review.state,
            last_id=review.id,
            last_time=review.time,
            last_rating=review.rating,
            last_right=review.right,
            last_picked=review.picked,
            first_time=first_time or review.time,
        )

    def updated(self, review: Review) -> CardProgress:
        """This progress with one more review folded in, whatever order reviews arrive in."""
        first_time = min(self.first_time, review.time)
        if (review.time, review.id) > (self.last_time, self.last_id):
            return CardProgress.first(review, first_time)
        if first_time != self.first_time:
            return CardProgress(
                self.state,
                self.last_id,
                self.last_time,
                self.last_rating,
                self.last_right,
                self.last_picked,
                first_time,
            )
        return self

    def to_dict(self) -> ProgressDict:
        picked = list(self.last_picked) if isinstance(self.last_picked, tuple) else self.last_picked
        return {
            "state": self.state.to_dict(),
            "last_id": self.last_id,
            "last_time": self.last_time,
            "last_rating": int(self.last_rating),
            "last_right": self.last_right,
            "last_picked": picked,
            "first_time": self.first_time,
        }

    def to_row(self) -> list[Any]:
        """A flat list of every field, for the snapshot: smaller than to_dict's nested
        objects, and faster to read back."""
        state = self.state
        picked = list(self.last_picked) if isinstance(self.last_picked, tuple) else self.last_picked
        return [
            state.state, state.step, state.stability, state.difficulty, state.due,
            state.last_review, state.reps, state.lapses, self.last_id, self.last_time,
            int(self.last_rating), self.last_right, picked, self.first_time,
        ]

    @staticmethod
    def from_row(row: list[Any]) -> CardProgress:
        """The inverse of to_row; ValueError or TypeError if `row` is not one."""
        (
            state, step, stability, difficulty, due, last_review, reps, lapses,
            last_id, last_time, last_rating, last_right, picked, first_time,
        ) = row
        if not (type(due) is type(last_id) is type(last_time) is type(first_time) is str):
            raise TypeError("not a progress row")
        if state not in (1, 2, 3):
            raise ValueError("not a scheduler stage")
        card_state = construct(CardState, {
            "state": int(state), "step": step, "stability": stability,
            "difficulty": difficulty, "due": due, "last_review": last_review,
            "reps": int(reps), "lapses": int(lapses),
        })
        return construct(CardProgress, {
            "state": card_state,
            "last_id": last_id,
            "last_time": last_time,
            "last_rating": RATINGS[last_rating],
            "last_right": last_right,
            "last_picked": tuple(picked) if isinstance(picked, list) else picked,
            "first_time": first_time,
        })

    @staticmethod
    def from_dict(data: ProgressDict) -> CardProgress:
        picked = data["last_picked"]
        return construct(
            CardProgress,
            {
                "state": CardState.from_dict(data["state"]),
                "last_id": data["last_id"],
                "last_time": data["last_time"],
                "last_rating": RATINGS[data["last_rating"]],
                "last_right": data["last_right"],
                "last_picked": tuple(picked) if isinstance(picked, list) else picked,
                "first_time": data["first_time"],
            },
        )
