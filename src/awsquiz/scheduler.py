"""The FSRS scheduler (the `fsrs` package, FSRS-6) behind a small interface of plain values.

The library's pitfalls are handled here once: it needs datetimes whose tzinfo is exactly
`timezone.utc`; `Card()` without a card id sleeps a millisecond to make one; and
`Card.from_dict` turns a stability of 0.0 into None (so cards are built field by field).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import fsrs

from awsquiz.model import CardState, Rating
from awsquiz.paths import from_iso, iso, utc

DEFAULT_RETENTION = 0.9
_CARD_ID = 1  # the library wants an id; ours is deck/card and lives outside it


class Scheduler:
    def __init__(self, retention: float = DEFAULT_RETENTION, *, fuzz: bool = True) -> None:
        self._fsrs = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=fuzz)
        self.retention = retention
        # The forgetting curve, as the library defines it (FSRS-6: the decay is the last
        # parameter), so recall can be computed for thousands of cards without a Card each.
        self._decay = -self._fsrs.parameters[20]
        self._factor = 0.9 ** (1 / self._decay) - 1

    def review(self, state: CardState | None, rating: Rating, now: datetime) -> CardState:
        """The card's state after answering it at `now` with `rating`."""
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
        return self.recalls([state], now)[0]

    def recalls(self, states: Iterable[CardState], now: datetime) -> list[float]:
        """`retrievability` of many cards at once (thousands are due at a session's start)."""
        moment, parse = utc(now), datetime.fromisoformat
        factor, decay = self._factor, self._decay
        result = []
        for state in states:
            if state.last_review is None or not state.stability:
                result.append(0.0)
                continue
            days = (moment - parse(state.last_review)).days  # aware times: no conversion
            result.append(float((1 + factor * max(0, days) / state.stability) ** decay))
        return result


def _to_fsrs(state: CardState) -> fsrs.Card:
    return fsrs.Card(
        card_id=_CARD_ID,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=from_iso(state.due),
        last_review=from_iso(state.last_review) if state.last_review else None,
    )
