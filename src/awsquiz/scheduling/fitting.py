"""Personal FSRS parameters, fitted and scored with fsrs-rs (the `fsrs_rs_python` package,
the Rust FSRS that Anki uses); the calibration of predicted recall is `calibration`'s.

A card's history is its answers in time order, each on a learner's day (`days.LearnerDays`).
A review is scored when the card's previous review was on an earlier day: fsrs-rs, like
srs-benchmark, never takes a same-day review as a target (those are short-term memory).
The library's pitfalls are handled here once: a Rust panic is a BaseException
(`PanicException`), not an Exception; an item needs a review on a later day; items go in
time order; ratings are 1 to 4 only (the log's are).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from awsquiz.errors import AwsquizError
from awsquiz.model import Answered
from awsquiz.scheduling.days import LearnerDays

if TYPE_CHECKING:
    import fsrs_rs_python

MIN_SCORED = 1_000  # fewer scored reviews than this and a fit means little
HOLDOUT = 0.2  # the newest share of the scored reviews that checks a fit
CALIBRATION_BINS = 10
_T = TypeVar("_T")


class Step(NamedTuple):
    """One answer of a card: when (ISO UTC), on which learner's day, and its rating."""

    time: str
    day: int
    rating: int


class Scores(NamedTuple):
    """How well parameters predict recall: log loss and RMSE(bins), lower is better."""

    log_loss: float
    rmse_bins: float

    def to_dict(self) -> dict[str, float]:
        return {"log_loss": round(self.log_loss, 4), "rmse_bins": round(self.rmse_bins, 4)}

    def beats(self, other: Scores) -> bool:
        return self.log_loss < other.log_loss and self.rmse_bins < other.rmse_bins


class CalibrationBin(NamedTuple):
    """Scored reviews whose predicted recall fell in one bin: mean predicted, share recalled."""

    predicted: float
    actual: float
    reviews: int

    def to_dict(self) -> dict[str, float | int]:
        return {"predicted": round(self.predicted, 4), "actual": round(self.actual, 4),
                "reviews": self.reviews}


def default_parameters() -> tuple[float, ...]:
    import fsrs_rs_python

    return tuple(float(value) for value in fsrs_rs_python.DEFAULT_PARAMETERS)


def card_steps(history: Iterable[Answered], days: LearnerDays) -> dict[str, list[Step]]:
    """Each card's answers, from the history in time order."""
    from datetime import datetime

    cards: dict[str, list[Step]] = {}
    by_minute: dict[str, int] = {}  # log times are fixed-width UTC; offsets are whole minutes
    for answer in history:
        minute = answer.time[:16]
        day = by_minute.get(minute)
        if day is None:
            day = by_minute[minute] = days.number(datetime.fromisoformat(answer.time))
        cards.setdefault(answer.key, []).append(Step(answer.time, day, answer.rating))
    return cards


def scored_items(cards: dict[str, list[Step]]) -> list[fsrs_rs_python.FSRSItem]:
    """One item per scored review (its card's answers up to it), oldest first."""
    import fsrs_rs_python

    timed = []
    for steps in cards.values():
        reviews = []
        for index, step in enumerate(steps):
            elapsed = step.day - steps[index - 1].day if index else 0
            reviews.append(fsrs_rs_python.FSRSReview(step.rating, elapsed))
            if index and elapsed > 0:
                timed.append((step.time, fsrs_rs_python.FSRSItem(reviews[: index + 1])))
    timed.sort(key=lambda pair: pair[0])
    return [item for _, item in timed]


def fit(items: Sequence[fsrs_rs_python.FSRSItem]) -> tuple[float, ...]:
    """FSRS-6 parameters fitted on the items."""
    import fsrs_rs_python

    model = rust(lambda: fsrs_rs_python.FSRS(fsrs_rs_python.DEFAULT_PARAMETERS))
    return tuple(float(v) for v in rust(lambda: model.compute_parameters(list(items))))


def score(parameters: Sequence[float], items: Sequence[fsrs_rs_python.FSRSItem]) -> Scores:
    """Log loss and RMSE(bins) of the parameters' predictions for the items."""
    import fsrs_rs_python

    model = rust(lambda: fsrs_rs_python.FSRS(list(parameters)))
    result = rust(lambda: model.evaluate(list(items)))
    return Scores(float(result.log_loss), float(result.rmse_bins))


def card_days(history: Iterable[Answered], days: LearnerDays) -> dict[str, array[int]]:
    """Each card's answers, compactly (one number per answer: its day * 8 + its rating), as
    `calibration` reads them."""
    from datetime import datetime

    cards: dict[str, array[int]] = {}
    by_minute: dict[str, int] = {}
    for answer in history:
        minute = answer.time[:16]
        day = by_minute.get(minute)
        if day is None:
            day = by_minute[minute] = days.number(datetime.fromisoformat(answer.time))
        answers = cards.get(answer.key)
        if answers is None:
            answers = cards[answer.key] = array("q")
        answers.append(day * 8 + answer.rating)
    return cards


def batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def rust(call: Callable[[], _T]) -> _T:
    """Call into fsrs-rs; its panics (BaseException) become an AwsquizError."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # PanicException derives from BaseException
        raise AwsquizError(
            f"the FSRS library could not work on this history: {exc}",
            hint="nothing was changed",
        ) from None
