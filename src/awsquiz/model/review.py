"""One answer as the review log keeps it, and the compact form statistics read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, TypedDict

from awsquiz.model.build import construct
from awsquiz.model.rating import RATINGS, Rating
from awsquiz.model.state import CardState, StateDict


class ReviewDict(TypedDict):
    v: int
    id: str
    deck: str
    card: str
    time: str
    rating: int
    right: bool | None
    picked: list[str] | str | None
    ms: int
    kind: str
    state: StateDict


@dataclass(frozen=True)
class Review:
    """One answer, as written to the review log."""

    id: str
    deck: str
    card: str
    time: str  # ISO 8601, UTC
    rating: Rating
    right: bool | None  # None: a self-rated basic card with no typed answer
    picked: tuple[str, ...] | str | None
    ms: int
    state: CardState
    kind: str = "study"  # study | review | exam

    @property
    def key(self) -> str:
        return f"{self.deck}/{self.card}"

    @property
    def missed(self) -> bool:
        return self.right is False or (self.right is None and self.rating is Rating.AGAIN)

    @property
    def after(self) -> int:
        """The card's fsrs state after this review (as `Answered` has it)."""
        return self.state.state

    def to_dict(self, version: int) -> ReviewDict:
        picked: list[str] | str | None = (
            list(self.picked) if isinstance(self.picked, tuple) else self.picked
        )
        return {
            "v": version,
            "id": self.id,
            "deck": self.deck,
            "card": self.card,
            "time": self.time,
            "rating": int(self.rating),
            "right": self.right,
            "picked": picked,
            "ms": self.ms,
            "kind": self.kind,
            "state": self.state.to_dict(),
        }

    @staticmethod
    def from_dict(data: ReviewDict) -> Review:
        picked = data.get("picked")
        return construct(
            Review,
            {
                "id": data["id"],
                "deck": data["deck"],
                "card": data["card"],
                "time": data["time"],
                "rating": RATINGS[data["rating"]],
                "right": data["right"],
                "picked": tuple(picked) if isinstance(picked, list) else picked,
                "ms": int(data.get("ms", 0)),
                "kind": data.get("kind", "study"),
                "state": CardState.from_dict(data["state"]),
            },
        )


class Answered(NamedTuple):
    """One review as statistics need it. Sorts by (time, id), like the reviews themselves."""

    time: str
    id: str
    deck: str
    key: str  # deck/card
    rating: int
    right: bool | None
    picked: tuple[str, ...] | str | None
    ms: int
    after: int  # the card's fsrs state after this review

    @property
    def missed(self) -> bool:
        return self.right is False or (self.right is None and self.rating == 1)
