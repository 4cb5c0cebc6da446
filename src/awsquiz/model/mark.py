"""A mark in the review log that is not an answer: an undo, which cancels one review, and a
suspension or its end, which keep a card out of sessions or bring it back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypedDict

from awsquiz.model.build import construct
from awsquiz.model.progress import CardProgress, ProgressDict


class MarkKind(str, Enum):
    """What a mark does (its "kind" field in the log)."""

    UNDO = "undo"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"


MARK_KINDS = frozenset(kind.value for kind in MarkKind)


class MarkDict(TypedDict, total=False):
    v: int
    kind: str
    id: str
    deck: str
    card: str
    time: str
    undoes: str  # undo: the id of the review it cancels
    restores: ProgressDict | None  # undo: the card's progress before that review (None: new)


@dataclass(frozen=True)
class Mark:
    """An undo, a suspension or an unsuspension of one card, as the review log keeps it.

    An undo carries the progress the card had before the review it cancels, so that folding
    it needs no other review of the card (the fold keeps only each card's newest)."""

    id: str
    deck: str
    card: str
    time: str  # ISO 8601, UTC
    kind: MarkKind
    undoes: str | None = None
    restores: CardProgress | None = None

    @property
    def key(self) -> str:
        return f"{self.deck}/{self.card}"

    def to_dict(self, version: int) -> MarkDict:
        data: MarkDict = {
            "v": version,
            "kind": self.kind.value,
            "id": self.id,
            "deck": self.deck,
            "card": self.card,
            "time": self.time,
        }
        if self.kind is MarkKind.UNDO:
            data["undoes"] = self.undoes or ""
            data["restores"] = self.restores.to_dict() if self.restores else None
        return data

    @staticmethod
    def from_dict(data: MarkDict) -> Mark:
        restores = data.get("restores")
        return construct(
            Mark,
            {
                "id": data["id"],
                "deck": data["deck"],
                "card": data["card"],
                "time": data["time"],
                "kind": MarkKind(data["kind"]),
                "undoes": data.get("undoes"),
                "restores": CardProgress.from_dict(restores) if restores else None,
            },
        )
