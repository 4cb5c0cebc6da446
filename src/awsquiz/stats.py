"""Where the learner stands, for `awsquiz stats`: counts, retention, forecast, activity,
weak tags, confused choices, orphaned progress and exam history.

`build_report` is pure (every input, the clock included, is passed in) and returns plain
dataclasses; `gather` reads the decks, the review log and the exam results and calls it.
The log is read once; each review is looked at once, and FSRS is asked only for the predicted
recall of each studied card (never once per review).

Definitions:

- new: a card of a deck with no review; learning: in a learning or relearning step; young and
  mature: in review, with a stability under or at least 21 days (`MASTERED_DAYS`). The four add
  up to the deck's cards.
- missed: the last answer was wrong; leech: forgotten 8 times or more (`review.is_leech`).
- retention: of the answers given in the last 30 local days to cards that were in review
  (not new, not in a learning step), the share that were not Again.
- recall: the mean predicted probability, now, of recalling each studied card (FSRS).
- Days are the learner's local days, in the UTC offset of `now`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from awsquiz.model import CardProgress, Deck, Rating, Review
from awsquiz.overview import LEARNING_STATES, MASTERED_DAYS
from awsquiz.review import is_leech
from awsquiz.store import Answered

if TYPE_CHECKING:
    from awsquiz.exam_log import ExamResult
    from awsquiz.service import Where

REVIEW_STATE = 2  # fsrs State.Review
RETENTION_DAYS = 30
FORECAST_DAYS = 14
HEATMAP_WEEKS = 16
MIN_TAG_REVIEWS = 10
TOP = 5  # weakest tags, confused choices, exams shown


@dataclass(frozen=True)
class DeckStats:
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


@dataclass(frozen=True)
class Activity:
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


@dataclass(frozen=True)
class Heatmap:
    """Reviews per local day from `start` (a Monday, HEATMAP_WEEKS - 1 weeks before this
    week's) to `end` (today); shade n covers counts up to `scale[n-1]` (1 to 4)."""

    start: str
    end: str
    counts: list[int]
    scale: list[int]


@dataclass(frozen=True)
class TagStats:
    """How well the cards of one tag are remembered."""

    tag: str
    reviews: int  # answers to cards in review, all time
    retention: float


@dataclass(frozen=True)
class Confusion:
    """A wrong choice often picked instead of the answer."""

    picked: str
    answer: str
    times: int
    cards: list[str]  # deck/card keys


@dataclass(frozen=True)
class Orphans:
    """Progress kept for cards no deck has any more."""

    cards: int
    by_deck: dict[str, int]


@dataclass(frozen=True)
class ExamLine:
    """One recent exam in the stats."""

    time: str
    decks: list[str]
    questions: int
    right: int
    percent: int
    pass_mark: int
    passed: bool
    abandoned: bool


@dataclass(frozen=True)
class StatsReport:
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------------------------


class _Tally:
    """Counters for one deck while the log is read."""

    __slots__ = ("answers", "kept")

    def __init__(self) -> None:
        self.answers = 0
        self.kept = 0

    def add(self, kept: bool) -> None:
        self.answers += 1
        self.kept += kept

    @property
    def share(self) -> float | None:
        return self.kept / self.answers if self.answers else None


def _local_day(text: str, tz: timezone) -> date:
    return datetime.fromisoformat(text).astimezone(tz).date()


class _Days:
    """Local days of log times, parsed once per minute: the log writes fixed-width UTC times
    (`paths.iso`), and a UTC offset is a whole number of minutes."""

    def __init__(self, tz: timezone) -> None:
        self.tz = tz
        self.cache: dict[str, date] = {}

    def __call__(self, text: str) -> date:
        if len(text) != 32 or not text.endswith("+00:00"):
            return _local_day(text, self.tz)
        minute = text[:16]
        day = self.cache.get(minute)
        if day is None:
            day = self.cache[minute] = _local_day(text, self.tz)
        return day


def build_report(
    decks: Sequence[Deck],
    progress: Mapping[str, CardProgress],
    reviews: Iterable[Review | Answered],
    exams: Sequence[ExamResult],
    now: datetime,
    *,
    known_keys: Iterable[str] = (),
    scope: Iterable[str] | None = None,
    min_tag_reviews: int = MIN_TAG_REVIEWS,
) -> StatsReport:
    """The figures for `decks`. `known_keys` are the keys of every card of every deck (those of
    `decks` are added), so that progress of any other card counts as orphaned. `scope`, when
    given, limits reviews, orphans and exams to those deck ids; otherwise every review counts.
    `reviews` must be in time order (as `Store.history()` gives them)."""
    offset = now.utcoffset() or timedelta(0)
    tz = timezone(offset)
    today = now.astimezone(tz).date()
    since = today - timedelta(days=RETENTION_DAYS - 1)
    scope_ids = set(scope) if scope is not None else None
    local_day = _Days(tz)

    def in_scope(deck_id: str) -> bool:
        return scope_ids is None or deck_id in scope_ids

    card_deck: dict[str, int] = {}
    cards_by_key = {}
    for index, deck in enumerate(decks):
        for card in deck.cards:
            card_deck[card.key] = index
            cards_by_key[card.key] = card

    deck_tally = [_Tally() for _ in decks]
    all_tally = _Tally()
    tag_tally: dict[str, _Tally] = defaultdict(_Tally)
    confusions: Counter[tuple[str, str]] = Counter()
    confused_cards: dict[tuple[str, str], list[str]] = defaultdict(list)
    per_day: Counter[date] = Counter()
    before: dict[str, int] = {}  # card key -> its scheduler state after its latest review
    total = reviews_30d = reviews_today = ms_all = ms_30d = ms_today = 0
    studied: set[str] = set()

    for review in reviews:
        if not in_scope(review.deck):
            continue
        key = review.key
        total += 1
        ms_all += review.ms
        day = local_day(review.time)
        per_day[day] += 1
        recent = day >= since
        if recent:
            reviews_30d += 1
            ms_30d += review.ms
            if day == today:
                reviews_today += 1
                ms_today += review.ms
        previous = before.get(key)
        before[key] = review.after
        studied.add(key)
        deck_index = card_deck.get(key)
        if previous == REVIEW_STATE:
            kept = review.rating != Rating.AGAIN
            if recent:
                all_tally.add(kept)
                if deck_index is not None:
                    deck_tally[deck_index].add(kept)
            if deck_index is not None:
                for tag in cards_by_key[key].tags:
                    tag_tally[tag].add(kept)
        if (
            deck_index is not None
            and review.right is False
            and isinstance(review.picked, tuple)
        ):
            card = cards_by_key[key]
            answer = card.answer
            for choice in review.picked:
                if choice in card.choices and choice not in card.answers:
                    pair = (choice, answer)
                    confusions[pair] += 1
                    if key not in confused_cards[pair]:
                        confused_cards[pair].append(key)

    # Per deck: counts from the stored states, predicted recall once per studied card.
    from awsquiz.scheduler import Scheduler

    scheduler = Scheduler(fuzz=False)
    now_utc = now.astimezone(timezone.utc)
    forecast = [0] * FORECAST_DAYS
    rows: list[DeckStats] = []
    sums = Counter[str]()
    recall_sum = 0.0
    recall_count = 0
    for deck, tally in zip(decks, deck_tally, strict=True):
        new = learning = young = mature = missed = leeches = 0
        deck_recall = 0.0
        deck_studied = 0
        for card in deck.cards:
            entry = progress.get(card.key)
            if entry is None:
                new += 1
                continue
            state = entry.state
            if state.state in LEARNING_STATES:
                learning += 1
            elif (state.stability or 0.0) >= MASTERED_DAYS:
                mature += 1
            else:
                young += 1
            missed += entry.missed
            leeches += is_leech(entry)
            deck_recall += scheduler.retrievability(state, now_utc)
            deck_studied += 1
            due_day = (_local_day(state.due, tz) - today).days
            if due_day < FORECAST_DAYS:
                forecast[max(0, due_day)] += 1
        row = DeckStats(
            id=deck.id,
            title=deck.title,
            cards=len(deck.cards),
            new=new,
            learning=learning,
            young=young,
            mature=mature,
            missed=missed,
            leeches=leeches,
            retention=tally.share,
            retention_reviews=tally.answers,
            retained=tally.kept,
            recall=deck_recall / deck_studied if deck_studied else None,
        )
        rows.append(row)
        recall_sum += deck_recall
        recall_count += deck_studied
        for name in ("cards", "new", "learning", "young", "mature", "missed", "leeches",
                     "retention_reviews", "retained"):
            sums[name] += getattr(row, name)
    answered, retained = sums["retention_reviews"], sums["retained"]
    total_row = DeckStats(
        id="total",
        title="all decks shown",
        cards=sums["cards"],
        new=sums["new"],
        learning=sums["learning"],
        young=sums["young"],
        mature=sums["mature"],
        missed=sums["missed"],
        leeches=sums["leeches"],
        retention=retained / answered if answered else None,
        retention_reviews=answered,
        retained=retained,
        recall=recall_sum / recall_count if recall_count else None,
    )

    activity = Activity(
        reviews=total,
        cards=len(studied),
        reviews_today=reviews_today,
        reviews_30d=reviews_30d,
        retention=all_tally.share,
        retention_reviews=all_tally.answers,
        streak_days=_streak(per_day, today),
        ms_today=ms_today,
        ms_30d=ms_30d,
        ms_all=ms_all,
    )

    weak = [
        TagStats(tag, tally.answers, tally.kept / tally.answers)
        for tag, tally in tag_tally.items()
        if tally.answers >= min_tag_reviews
    ]
    weak.sort(key=lambda t: (t.retention, -t.reviews, t.tag))

    confused = [
        Confusion(picked, answer, times, confused_cards[(picked, answer)])
        for (picked, answer), times in sorted(
            confusions.items(), key=lambda item: (-item[1], item[0])
        )
    ]

    known = set(known_keys) | set(card_deck)
    by_deck: Counter[str] = Counter()
    for key in progress:
        if key not in known:
            deck_id = key.split("/", 1)[0]
            if in_scope(deck_id):
                by_deck[deck_id] += 1
    orphans = Orphans(sum(by_deck.values()), dict(sorted(by_deck.items())))

    exam_lines = [
        ExamLine(
            time=exam.time,
            decks=list(exam.decks),
            questions=exam.questions,
            right=exam.right,
            percent=exam.percent,
            pass_mark=exam.pass_mark,
            passed=exam.passed,
            abandoned=exam.abandoned,
        )
        for exam in reversed(exams)
        if scope_ids is None or scope_ids & set(exam.decks)
    ][:TOP]

    return StatsReport(
        now=now.isoformat(),
        today=today.isoformat(),
        decks=rows,
        total=total_row,
        activity=activity,
        forecast=forecast,
        heatmap=_heatmap(per_day, today),
        weak_tags=weak[:TOP],
        confusions=confused[:TOP],
        orphans=orphans,
        exams=exam_lines,
        min_tag_reviews=min_tag_reviews,
    )


def _streak(per_day: Mapping[date, int], today: date) -> int:
    day = today if per_day.get(today) else today - timedelta(days=1)
    streak = 0
    while per_day.get(day):
        streak += 1
        day -= timedelta(days=1)
    return streak


def _heatmap(per_day: Mapping[date, int], today: date) -> Heatmap:
    start = today - timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    counts = [per_day.get(start + timedelta(days=i), 0) for i in range((today - start).days + 1)]
    return Heatmap(start.isoformat(), today.isoformat(), counts, shade_scale(counts))


def shade_scale(counts: Sequence[int]) -> list[int]:
    """Upper bounds of the four shades: the quartiles of the days with reviews, the top one
    being the busiest day. Empty when no day has a review."""
    busy = sorted(c for c in counts if c > 0)
    if not busy:
        return []
    n = len(busy)
    # nearest-rank quartiles
    return [busy[max(0, -(-n * q // 4) - 1)] for q in (1, 2, 3)] + [busy[-1]]


def shade(count: int, scale: Sequence[int]) -> int:
    """0 for no review, else 1 to 4."""
    if count <= 0:
        return 0
    for level, bound in enumerate(scale, start=1):
        if count <= bound:
            return level
    return len(scale)


# ---------------------------------------------------------------------------------------------


def gather(where: Where, selection: Sequence[str], now: datetime) -> StatsReport:
    """Read the decks (all, or those selected), the review log and the exam results."""
    from awsquiz.exam_log import load_results

    library = where.library(selection)
    known: set[str] = set()
    if selection:
        known = {card.key for card in where.library().cards()}
    store = where.store()
    reviews = store.history()
    exams = load_results(store.folder)
    scope = [deck.id for deck in library.decks] if selection else None
    return build_report(
        library.decks,
        store.progress,
        reviews,
        exams,
        now,
        known_keys=known,
        scope=scope,
    )
