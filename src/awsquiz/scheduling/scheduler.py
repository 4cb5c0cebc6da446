"""The FSRS scheduler (the `fsrs` package, FSRS-6) behind a small interface of plain values.

The library's pitfalls are handled here once: it needs datetimes whose tzinfo is exactly
`timezone.utc`; `Card()` without a card id sleeps a millisecond to make one; and
`Card.from_dict` turns a stability of 0.0 into None (so cards are built field by field).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from awsquiz.model import CardState, Rating
from awsquiz.model.times import from_iso, iso, utc

if TYPE_CHECKING:
    import fsrs

DEFAULT_RETENTION = 0.9
_CARD_ID = 1  # the library wants an id; ours is deck/card and lives outside it
# The decay of the forgetting curve: the last of the library's default FSRS-6 parameters
# (a test checks it against the library). Known without importing it, so a session plans its
# queue before the library is loaded.
DECAY = 0.1542


class Scheduler:
    def __init__(self, retention: float = DEFAULT_RETENTION, *, fuzz: bool = True) -> None:
        self.retention = retention
        self._fuzz = fuzz
        # The forgetting curve, as the library defines it, so recall can be computed for
        # thousands of cards without a Card each.
        self._decay = -DECAY
        self._factor = 0.9 ** (1 / self._decay) - 1

    @cached_property
    def _fsrs(self) -> fsrs.Scheduler:
        import fsrs

        return fsrs.Scheduler(desired_retention=self.retention, enable_fuzzing=self._fuzz)

    def review(self, state: CardState | None, rating: Rating, now: datetime) -> CardState:
        """The card's state after answering it at `now` with `rating`."""
        import fsrs

        moment = utc(now)
        card = _to_fsrs(state) if state else fsrs.Card(card_id=_CARD_ID, due=moment)
        updated, _ = self._fsrs.review_card(card, fsrs.Rating(int(rating)), moment)
        reps = state.reps if state else 0
        lapses = state.lapses if state else 0
        return CardState(
            state=int(updated.state),
            step=updated.step,
            stability=updated.stability,
            difficulty=updated.difficulty,
            due=iso(updated.due),
            last_review=iso(updated.last_review or moment),
            reps=reps + 1,
            lapses=lapses + (rating is Rating.AGAIN),
        )

    def retrievability(self, state: CardState, now: datetime) -> float:
        """The predicted probability of recalling the card at `now` (0 for a card never seen):
        the library's `get_card_retrievability`, which counts whole days since the review."""
        return self.recalls([(state.last_review, state.stability)], now)[0]

    def recalls(
        self, reviewed: Iterable[tuple[str | None, float | None]], now: datetime
    ) -> list[float]:
        """`retrievability` of many cards at once (thousands are due at a session's start),
        each given by its state's last review time and stability."""
        moment, parse = utc(now), datetime.fromisoformat
        factor, decay = self._factor, self._decay
        result = []
        for last_review, stability in reviewed:
            if last_review is None or not stability:
                result.append(0.0)
                continue
            days = (moment - parse(last_review)).days  # aware times: no conversion
            result.append(float((1 + factor * max(0, days) / stability) ** decay))
        return result


def _to_fsrs(state: CardState) -> fsrs.Card:
    import fsrs

    return fsrs.Card(
        card_id=_CARD_ID,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=from_iso(state.due),
        last_review=from_iso(state.last_review) if state.last_review else None,
    )
