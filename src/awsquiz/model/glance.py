"""A card's progress at a glance: the few fields listing decks and planning a session need."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

    from awsquiz.model.progress import CardProgress


class Glance(NamedTuple):
    """Kept for every studied card in the glance cache (as a list of these seven, in order)."""

    state: int  # a State value
    due: str
    stability: float | None
    last_time: str  # when the card was last answered
    last_review: str | None  # the scheduler's last review time
    first_time: str  # when the card was first answered
    missed: bool = False  # its last answer was wrong (`awsquiz review` drills it)

    @staticmethod
    def of(entry: CardProgress) -> Glance:
        state = entry.state
        return Glance(
            state.state, state.due, state.stability, entry.last_time, state.last_review,
            entry.first_time, entry.missed,
        )


def glances(progress: Mapping[str, CardProgress]) -> dict[str, Glance]:
    return {key: Glance.of(entry) for key, entry in progress.items()}
