"""The FSRS scheduler (the `fsrs` package, FSRS-6) behind a small interface of plain values.

Elapsed time is counted in the learner's calendar days (`days.LearnerDays`), as Anki and
fsrs-rs count it, not in the library's whole 24-hour periods: the library is handed a last
review moved back to exactly that many days before the answer. A card in review is due at
the start of its day; learning steps stay minutes.

The library's pitfalls are handled here once: it needs datetimes whose tzinfo is exactly
`timezone.utc`; `Card()` without a card id sleeps a millisecond to make one; and
`Card.from_dict` turns a stability of 0.0 into None (so cards are built field by field).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from awsquiz.errors import AwsquizError
from awsquiz.model import CardState, Rating
from awsquiz.model.state import State
from awsquiz.model.times import LATEST, from_iso, iso, utc
from awsquiz.scheduling.days import LearnerDays, utc_dates

if TYPE_CHECKING:
    import fsrs

DEFAULT_RETENTION = 0.9
PARAMETER_COUNT = 21
_CARD_ID = 1  # the library wants an id; ours is deck/card and lives outside it
_DAY = timedelta(days=1)
# The decay of the forgetting curve: the last of the library's default FSRS-6 parameters
# (a test checks it against the library). Known without importing it, so a session plans its
# queue before the library is loaded.
DECAY = 0.1542
# The range the library accepts for each parameter (a test checks them against it), so
# config.json's parameters are checked without loading the library.
LOWER_BOUNDS = (0.001, 0.001, 0.001, 0.001, 1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001, 0.001,
                0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1)
UPPER_BOUNDS = (100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9,
                4.0, 1.0, 6.0, 2.0, 2.0, 0.8, 0.8)


class Scheduler:
    """Reviews and predicted recall with the learner's retention, parameters (None: the
    library's defaults) and days."""

    def __init__(
        self,
        retention: float = DEFAULT_RETENTION,
        *,
        fuzz: bool = True,
        parameters: Sequence[float] | None = None,
        days: LearnerDays | None = None,
    ) -> None:
        self.retention = retention
        self.parameters = tuple(parameters) if parameters is not None else None
        self.days = days or LearnerDays()
        self._fuzz = fuzz
        # The forgetting curve, as the library defines it, so recall can be computed for
        # thousands of cards without a Card each. Its decay is the parameters' last.
        self.decay = self.parameters[20] if self.parameters else DECAY
        self._factor = 0.9 ** (1 / -self.decay) - 1

    @cached_property
    def _fsrs(self) -> fsrs.Scheduler:
        import fsrs

        if self.parameters is None:
            return fsrs.Scheduler(desired_retention=self.retention, enable_fuzzing=self._fuzz)
        try:
            return fsrs.Scheduler(
                parameters=self.parameters,
                desired_retention=self.retention,
                enable_fuzzing=self._fuzz,
            )
        except ValueError as exc:  # out of the library's bounds (a hand-edited config.json)
            raise AwsquizError(
                f"the FSRS parameters in config.json are not usable: {exc}",
                hint='remove "parameters" from config.json (the defaults are then used), '
                "or run `awsquiz optimize` again",
            ) from None

    def review(self, state: CardState | None, rating: Rating, now: datetime) -> CardState:
        """The card's state after answering it at `now` with `rating`."""
        import fsrs

        moment = utc(now)
        if state is None:
            card = fsrs.Card(card_id=_CARD_ID, due=moment)
        else:
            card = _to_fsrs(state)
            if card.last_review is not None:
                elapsed = self.days.between(card.last_review, moment)
                card.last_review = moment - elapsed * _DAY
        updated, _ = self._fsrs.review_card(card, fsrs.Rating(int(rating)), moment)
        due = updated.due
        if updated.state == fsrs.State.Review:
            interval = round((due - moment) / _DAY)
            due = self.days.start(self.days.number(moment) + interval)
        # Answered right near the end of the years allowed, a card would be due after them,
        # and its review could not be saved; it is due at their end instead.
        due = min(due, LATEST)
        reps = state.reps if state else 0
        lapses = state.lapses if state else 0
        return CardState(
            state=int(updated.state),
            step=updated.step,
            stability=updated.stability,
            difficulty=updated.difficulty,
            due=iso(due),
            last_review=iso(moment),
            reps=reps + 1,
            lapses=lapses + (rating is Rating.AGAIN),
        )

    def days_until(self, state: CardState, now: datetime) -> int | None:
        """The learner's calendar days from `now` until a card in review is due (None for
        a card in a learning step: it comes back in minutes)."""
        if State(state.state).in_steps:
            return None
        return self.days.between(now, from_iso(state.due))

    def retrievability(self, state: CardState, now: datetime) -> float:
        """The predicted probability of recalling the card at `now` (0 for a card never seen),
        the calendar days since its last review on the forgetting curve."""
        return self.recalls([(state.last_review, state.stability)], now)[0]

    def recall_after(self, elapsed_days: float, stability: float) -> float:
        """The forgetting curve: recall `elapsed_days` after a review, at `stability`."""
        return float((1 + self._factor * max(0.0, elapsed_days) / stability) ** -self.decay)

    def recalls(
        self, reviewed: Iterable[tuple[str | None, float | None]], now: datetime
    ) -> list[float]:
        """`retrievability` of many cards at once (thousands are due at a session's start),
        each given by its state's last review time and stability."""
        days = self.days
        today = days.number(now)
        factor, decay = self._factor, -self.decay
        # `days.number_of_text`, its canonical-UTC path inlined: a call per card costs more.
        dates: dict[str, tuple[int, str] | None] = {}
        split_of = utc_dates(days)
        result = []
        for last_review, stability in reviewed:
            if last_review is None or not stability:
                result.append(0.0)
                continue
            split = None
            if len(last_review) == 32 and last_review[26:] == "+00:00":
                date = last_review[:10]
                split = dates[date] if date in dates else dates.setdefault(date, split_of(date))
            if split is not None:
                day = split[0] + (last_review[11:26] >= split[1])
            else:
                day = days.number_of_text(last_review)
            result.append(float((1 + factor * max(0, today - day) / stability) ** decay))
        return result

    def recalls_on_days(
        self, reviewed: Iterable[tuple[int | None, float | None]], now: datetime
    ) -> list[float]:
        """`recalls` of cards given by the learner's day of their last review (see
        `day_numbers`) and their stability (0 for a card with neither)."""
        today = self.days.number(now)
        factor, decay = self._factor, -self.decay
        return [
            0.0 if day is None or not stability
            else float((1 + factor * max(0, today - day) / stability) ** decay)
            for day, stability in reviewed
        ]

    def day_numbers(self, times: Iterable[str | None]) -> list[int | None]:
        """The learner's day of each review time given as ISO text (None for None)."""
        number = self.days.number_of_text
        return [None if text is None else number(text) for text in times]


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
