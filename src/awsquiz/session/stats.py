"""Where the learner stands, for `awsquiz stats`: counts, retention, forecast, activity,
weak tags, confused choices, orphaned progress and exam history.

`build_report` is pure (every input, the clock included, is passed in) and returns plain
dataclasses; `services.stats.gather` reads the decks, the review log and the exam results
and calls it.
The log is read once; each review is looked at once, and FSRS is asked only for the predicted
recall of each studied card (never once per review).

Definitions:

- new: a card of a deck with no review; learning: in a learning or relearning step; young and
  mature: in review, with a stability under or at least 21 days (`MASTERED_DAYS`). The four add
  up to the deck's cards.
- missed: the last answer was wrong; leech: forgotten 8 times or more (`session.rounds.is_leech`).
- retention: of the answers given in the last 30 local days to cards that were in review
  (not new, not in a learning step), the share that were not Again.
- recall: the mean predicted probability, now, of recalling each studied card (FSRS, the
  elapsed time in the learner's calendar days).
- Days are the learner's local days, in the UTC offset of `now`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone

from awsquiz.model import Answered, Card, CardProgress, Deck, Rating, Review
from awsquiz.model.exam_result import ExamResult
from awsquiz.model.state import LEARNING_STATES, MASTERED_DAYS, REVIEW_STATE
from awsquiz.model.windows import FORECAST_DAYS, RETENTION_DAYS
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.session.stats_report import (
    MIN_TAG_REVIEWS,
    Activity,
    Confusion,
    DeckStats,
    Orphans,
    StatsReport,
    TagStats,
)
from awsquiz.session.stats_rows import TOP, Tally, deck_row, exam_lines, heatmap, streak, total_row


def _local_day(text: str, tz: timezone) -> date:
    return datetime.fromisoformat(text).astimezone(tz).date()


class _Days:
    """Local days of log times, parsed once per minute: the log writes fixed-width UTC times
    (`model.times.iso`), and a UTC offset is a whole number of minutes."""

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


class _History:
    """What one pass over the reviews in scope adds up to."""

    def __init__(self, decks: Sequence[Deck], today: date, tz: timezone) -> None:
        self.today = today
        self.since = today - timedelta(days=RETENTION_DAYS - 1)
        self.local_day = _Days(tz)
        self.card_deck: dict[str, int] = {}
        self.cards: dict[str, Card] = {}
        self.tags: dict[str, tuple[str, ...]] = {}  # each card's tags, matched whatever the case
        for index, deck in enumerate(decks):
            for card in deck.cards:
                self.card_deck[card.key] = index
                self.cards[card.key] = card
                self.tags[card.key] = tuple(dict.fromkeys(tag.casefold() for tag in card.tags))
        self.deck_tally = [Tally() for _ in decks]
        self.all_tally = Tally()
        self.tag_tally: dict[str, Tally] = defaultdict(Tally)
        self.confusions: Counter[tuple[str, str]] = Counter()
        self.confused_cards: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.per_day: Counter[date] = Counter()
        self.after: dict[str, int] = {}  # card key -> its scheduler state after its latest review
        self.total = self.reviews_30d = self.reviews_today = 0
        self.ms_all = self.ms_30d = self.ms_today = 0

    def add(self, review: Review | Answered) -> None:
        key = review.key
        self.total += 1
        self.ms_all += review.ms
        day = self.local_day(review.time)
        self.per_day[day] += 1
        recent = day >= self.since
        if recent:
            self.reviews_30d += 1
            self.ms_30d += review.ms
            if day == self.today:
                self.reviews_today += 1
                self.ms_today += review.ms
        previous = self.after.get(key)
        self.after[key] = review.after
        deck_index = self.card_deck.get(key)
        if previous == REVIEW_STATE:
            kept = review.rating != Rating.AGAIN
            if recent:
                self.all_tally.add(kept)
                if deck_index is not None:
                    self.deck_tally[deck_index].add(kept)
            if deck_index is not None:
                for tag in self.tags[key]:
                    self.tag_tally[tag].add(kept)
        if deck_index is not None and review.right is False and isinstance(review.picked, tuple):
            self._confused(self.cards[key], review.picked)

    def _confused(self, card: Card, picked: tuple[str, ...]) -> None:
        for choice in picked:
            if choice in card.choices and choice not in card.answers:
                pair = (choice, card.answer)
                self.confusions[pair] += 1
                if card.key not in self.confused_cards[pair]:
                    self.confused_cards[pair].append(card.key)

    def activity(self) -> Activity:
        return Activity(
            reviews=self.total,
            cards=len(self.after),
            reviews_today=self.reviews_today,
            reviews_30d=self.reviews_30d,
            retention=self.all_tally.share,
            retention_reviews=self.all_tally.answers,
            streak_days=streak(self.per_day, self.today),
            ms_today=self.ms_today,
            ms_30d=self.ms_30d,
            ms_all=self.ms_all,
        )

    def weak_tags(self, min_reviews: int) -> list[TagStats]:
        weak = [
            TagStats(tag, tally.answers, tally.kept / tally.answers)
            for tag, tally in self.tag_tally.items()
            if tally.answers >= min_reviews
        ]
        weak.sort(key=lambda t: (t.retention, -t.reviews, t.tag))
        return weak[:TOP]

    def most_confused(self) -> list[Confusion]:
        ranked = sorted(self.confusions.items(), key=lambda item: (-item[1], item[0]))
        return [
            Confusion(picked, answer, times, self.confused_cards[(picked, answer)])
            for (picked, answer), times in ranked[:TOP]
        ]


class _Cards:
    """Per deck, counts from the stored states and the predicted recall of each studied card;
    and the cards due on each of the next days."""

    def __init__(self, now: datetime, today: date, tz: timezone, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self.now_utc = now.astimezone(UTC)
        self.today = today
        self.tz = tz
        self.forecast = [0] * FORECAST_DAYS
        self.recall_sum = 0.0
        self.recall_count = 0

    def row(self, deck: Deck, progress: Mapping[str, CardProgress], tally: Tally) -> DeckStats:
        from awsquiz.session.rounds import is_leech  # not on the way of a warm `stats`

        new = learning = young = mature = missed = leeches = studied = 0
        recall = 0.0
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
            recall += self.scheduler.retrievability(state, self.now_utc)
            studied += 1
            due_day = (_local_day(state.due, self.tz) - self.today).days
            if due_day < FORECAST_DAYS:
                self.forecast[max(0, due_day)] += 1
        self.recall_sum += recall
        self.recall_count += studied
        return deck_row(deck.id, deck.title, len(deck.cards),
                        (new, learning, young, mature, missed, leeches), tally, recall, studied)

    def total(self, rows: Sequence[DeckStats]) -> DeckStats:
        return total_row(rows, self.recall_sum, self.recall_count)


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
    scheduler: Scheduler | None = None,
) -> StatsReport:
    """The figures for `decks`. `known_keys` are the keys of every card of every deck (those of
    `decks` are added), so that progress of any other card counts as orphaned. `scope`, when
    given, limits reviews, orphans and exams to those deck ids; otherwise every review counts.
    `reviews` must be in time order (as `Store.history()` gives them). Predicted recall is
    `scheduler`'s (the learner's parameters and days; the defaults when None)."""
    tz = timezone(now.utcoffset() or timedelta(0))
    today = now.astimezone(tz).date()
    scope_ids = set(scope) if scope is not None else None
    history = _History(decks, today, tz)
    for review in reviews:
        if scope_ids is None or review.deck in scope_ids:
            history.add(review)
    counts = _Cards(now, today, tz, scheduler or Scheduler(fuzz=False))
    rows = [
        counts.row(deck, progress, tally)
        for deck, tally in zip(decks, history.deck_tally, strict=True)
    ]
    return StatsReport(
        now=now.isoformat(),
        today=today.isoformat(),
        decks=rows,
        total=counts.total(rows),
        activity=history.activity(),
        forecast=counts.forecast,
        heatmap=heatmap(history.per_day, today),
        weak_tags=history.weak_tags(min_tag_reviews),
        confusions=history.most_confused(),
        orphans=_orphans(progress, set(known_keys) | set(history.card_deck), scope_ids),
        exams=exam_lines(exams, scope_ids),
        min_tag_reviews=min_tag_reviews,
    )


def _orphans(progress: Iterable[str], known: set[str], scope: set[str] | None) -> Orphans:
    """The cards with progress (keys, or a mapping by key) that no deck has."""
    by_deck: Counter[str] = Counter()
    for key in progress:
        if key not in known:
            deck_id = key.split("/", 1)[0]
            if scope is None or deck_id in scope:
                by_deck[deck_id] += 1
    return Orphans(sum(by_deck.values()), dict(sorted(by_deck.items())))
