"""What `awsquiz stats` shows, as plain values (see `session.stats` for how it is counted).

Named tuples, not dataclasses: a warm `stats` defines these on every run, and a named tuple
costs a seventh of what a frozen dataclass costs to define.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

MIN_TAG_REVIEWS = 10


class DeckStats(NamedTuple):
    """One deck's row of the stats table."""

    id: str
    title: str
    cards: int
    new: int
    learning: int
    young: int
    mature: int
    missed: int
    leeches: int
    retention: float | None  # None: no answer to a card in review in the last 30 days
    retention_reviews: int  # the answers `retention` is the share of
    retained: int  # of those, how many were not Again
    recall: float | None  # None: no studied card


class Activity(NamedTuple):
    """Every review in scope (orphaned cards included)."""

    reviews: int
    cards: int  # cards with at least one review
    reviews_today: int
    reviews_30d: int
    retention: float | None  # as DeckStats.retention, over every review in scope
    retention_reviews: int
    streak_days: int  # consecutive days with a review, ending today or yesterday
    ms_today: int
    ms_30d: int
    ms_all: int


class Heatmap(NamedTuple):
    """Reviews per local day from `start` (a Monday, HEATMAP_WEEKS - 1 weeks before this
    week's) to `end` (today); shade n covers counts up to `scale[n-1]` (1 to 4)."""

    start: str
    end: str
    counts: list[int]
    scale: list[int]


class TagStats(NamedTuple):
    """How well the cards of one tag are remembered."""

    tag: str
    reviews: int  # answers to cards in review, all time
    retention: float


class Confusion(NamedTuple):
    """A wrong choice often picked instead of the answer."""

    picked: str
    answer: str
    times: int
    cards: list[str]  # deck/card keys


class Orphans(NamedTuple):
    """Progress kept for cards no deck has any more."""

    cards: int
    by_deck: dict[str, int]


class ExamLine(NamedTuple):
    """One recent exam in the stats."""

    time: str
    decks: list[str]
    questions: int
    right: int
    percent: int
    pass_mark: int
    passed: bool
    abandoned: bool


class CalibrationLine(NamedTuple):
    """Reviews whose predicted recall fell in one tenth: mean predicted, share recalled."""

    predicted: float
    actual: float
    reviews: int


class StatsReport(NamedTuple):
    """Everything `awsquiz stats` shows, as plain values."""

    now: str  # ISO 8601 with the learner's offset
    today: str  # local date
    decks: list[DeckStats]
    total: DeckStats
    activity: Activity
    forecast: list[int]  # cards due on each of the next 14 days; overdue counts on day 0
    heatmap: Heatmap
    weak_tags: list[TagStats]
    confusions: list[Confusion]
    orphans: Orphans
    exams: list[ExamLine]  # newest first
    min_tag_reviews: int = MIN_TAG_REVIEWS
    # How well FSRS predicts this learner: over every scored review in scope, with the
    # parameters in use ("default" or "personal") and the hour the learner's day starts.
    calibration: Sequence[CalibrationLine] = ()
    parameters: str = "default"
    day_start: int = 4
    desired_retention: float = 0.9  # what the scheduler aims for (config.json)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    """`value` with every named tuple in it a dict (as `dataclasses.asdict` would give)."""
    names = getattr(value, "_fields", None)
    if isinstance(value, tuple) and names is not None:
        return {name: _plain(item) for name, item in zip(names, value, strict=True)}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
