"""Per-deck counts for `awsquiz decks` and the bare `awsquiz` overview, from each card's glance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from awsquiz.model import CardProgress, Deck, DeckIndex, Glance, glances
from awsquiz.model.state import LEARNING_STATES
from awsquiz.model.times import iso

MASTERED_DAYS = 21.0


@dataclass(frozen=True)
class DeckSummary:
    """One deck's row in `awsquiz decks`: its cards by stage and when last studied."""

    id: str
    title: str
    cards: int
    new: int
    learning: int
    due: int
    mastered: int
    last_studied: str | None
    path: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def summarize(
    decks: Sequence[Deck], progress: Mapping[str, CardProgress], now: datetime
) -> list[DeckSummary]:
    """The rows from whole decks and progress (see `summarize_index` for the fast path)."""
    return summarize_index([DeckIndex.of(deck) for deck in decks], glances(progress), now)


def summarize_index(
    decks: Sequence[DeckIndex], glances: Mapping[str, Glance], now: datetime
) -> list[DeckSummary]:
    """The same rows as `summarize`, from deck indexes and each card's glance."""
    now_text = iso(now)
    rows = []
    for deck in decks:
        new = learning = due = mastered = 0
        last: str | None = None
        for key in deck.keys:
            entry = glances.get(key)
            if entry is None:
                new += 1
                continue
            if entry.state in LEARNING_STATES:
                learning += 1
            elif (entry.stability or 0.0) >= MASTERED_DAYS:
                mastered += 1  # as `stats` counts mature cards: in review, stability >= 21 days
            if entry.due <= now_text:
                due += 1
            if last is None or entry.last_time > last:
                last = entry.last_time
        rows.append(
            DeckSummary(
                deck.id, deck.title, len(deck.keys), new, learning, due, mastered, last,
                deck.path,
            )
        )
    return rows
