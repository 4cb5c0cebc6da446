"""`awsquiz stats` from the figures of the history (`model.figures.Figures`) and the decks'
facts: the same report `session.stats.build_report` makes from every review (same definitions,
same order of every sum), at the cost of the decks' cards rather than of the history's length.

The work is split so that it can be kept: a `DeckPart` per deck (its counts, tags, confused
choices, each studied card's recall inputs and due day) and a `SharedPart` (per deck id and day,
the answers; the orphans; the cards whose reviews sit under another deck's id) depend on
neither the clock nor the selection; `report_from_parts` applies both.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, TypedDict

from awsquiz.model import DeckIndex
from awsquiz.model.windows import FORECAST_DAYS, RETENTION_DAYS
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

if TYPE_CHECKING:
    from awsquiz.model.exam_result import ExamResult
    from awsquiz.scheduling.scheduler import Scheduler


class DeckPart(TypedDict):
    counts: list[int]  # new, learning, young, mature, missed, leeches
    recall: list[list[Any]]  # [learner day of last review, stability] of each studied card
    due: list[list[int]]  # [local due day, cards]
    tags: dict[str, list[int]]  # tag -> [answers to its cards in review, not Again]
    confused: list[list[Any]]  # [choice, answer, times, first time, first id, card key]


class SharedPart(TypedDict):
    newest_day: int
    days: dict[str, list[list[int]]]  # deck id -> [day, answers, ms, in review, retained]
    every: list[list[int]]  # the same, over every deck id
    cards: dict[str, int]  # deck id -> cards answered
    orphans: dict[str, int]  # deck id -> cards answered that no deck has
    moved: list[list[Any]]  # [deck id, id of the deck with the card or None, [[day, a, k]]]


class Finals(TypedDict):
    """`weak_tags` and `confusions` of some decks' parts, as lists."""

    weak_tags: list[list[Any]]
    confusions: list[list[Any]]


def covers(newest_day: int, now: datetime) -> bool:
    """Whether figures whose newest review is on `newest_day` give the report at `now`: not
    when the clock is before that day (the last days' tallies start from it)."""
    offset = now.utcoffset() or timedelta(0)
    return now.astimezone(timezone(offset)).date().toordinal() >= newest_day


def report_from_parts(
    decks: Sequence[DeckIndex],
    parts: Sequence[DeckPart],
    shared: SharedPart,
    exams: Sequence[ExamResult],
    now: datetime,
    *,
    scope: Iterable[str] | None = None,
    finals: Finals | None = None,
    min_tag_reviews: int = MIN_TAG_REVIEWS,
    scheduler: Scheduler | None = None,
) -> StatsReport:
    """As `build_report` (see there) for the decks shown, when `covers` holds; the parts
    were made with every deck found (so every other card counts as orphaned). `finals`, if
    given, are those of these parts (kept with them). Predicted recall is `scheduler`'s."""
    tz = timezone(now.utcoffset() or timedelta(0))
    today = now.astimezone(tz).date()
    scope_ids = set(scope) if scope is not None else None
    groups = [g for g in shared["days"] if scope_ids is None or g in scope_ids]
    since = today.toordinal() - (RETENTION_DAYS - 1)
    tallies = _deck_tallies(decks, shared, groups, since)
    if scheduler is None:
        from awsquiz.scheduling.scheduler import Scheduler as Default

        scheduler = Default(fuzz=False)
    counts = _Counts(now, today.toordinal(), scheduler)
    rows = [counts.row(deck, part, tally) for deck, part, tally in zip(decks, parts, tallies,
                                                                         strict=True)]
    if scope_ids is None:
        every = shared["every"]
    else:
        merged: dict[int, list[int]] = {}
        for group_id in groups:
            for day, *totals in shared["days"][group_id]:
                row = merged.setdefault(day, [0, 0, 0, 0])
                for index, value in enumerate(totals):
                    row[index] += value
        every = [[day, *totals] for day, totals in merged.items()]
    dates = {date.fromordinal(day): count for day, count, *_ in every if count}
    if finals is None:
        tags, confused = weak_tags(parts, min_tag_reviews), confusions(parts)
    else:
        tags = [TagStats(*t) for t in finals["weak_tags"]]
        confused = [Confusion(*c) for c in finals["confusions"]]
    orphans = {d: n for d, n in sorted(shared["orphans"].items())
               if scope_ids is None or d in scope_ids}
    return StatsReport(
        now=now.isoformat(),
        today=today.isoformat(),
        decks=rows,
        total=counts.total(rows),
        activity=_activity(every, sum(shared["cards"][g] for g in groups), today, since, dates),
        forecast=counts.forecast,
        heatmap=heatmap(dates, today),
        weak_tags=tags,
        confusions=confused,
        orphans=Orphans(sum(orphans.values()), orphans),
        exams=exam_lines(exams, scope_ids),
        min_tag_reviews=min_tag_reviews,
    )


def _deck_tallies(
    decks: Sequence[DeckIndex], shared: SharedPart, groups: Sequence[str], since: int
) -> list[Tally]:
    """Each deck's answers to cards in review since `since`: the days of its own id, less
    the cards it no longer has, plus its cards whose reviews sit under another deck's id."""
    tallies = [Tally() for _ in decks]
    shown = {deck.id: index for index, deck in enumerate(decks)}
    in_scope = set(groups)
    for group_id in groups:
        own = shown.get(group_id)
        if own is not None:
            tally = tallies[own]
            for day, _, _, in_review, retained in reversed(shared["days"][group_id]):
                if day < since:
                    break  # the days are in order
                tally.answers += in_review
                tally.kept += retained
    for group_id, deck_id, by_day in shared["moved"]:
        if group_id not in in_scope:
            continue
        answers = sum(a for day, a, _ in by_day if day >= since)
        kept = sum(k for day, _, k in by_day if day >= since)
        if group_id in shown:
            tallies[shown[group_id]].answers -= answers
            tallies[shown[group_id]].kept -= kept
        if deck_id in shown:
            tallies[shown[deck_id]].answers += answers
            tallies[shown[deck_id]].kept += kept
    return tallies


def _activity(
    every: Sequence[Sequence[int]], cards: int, today: date, since: int,
    dates: Mapping[date, int],
) -> Activity:
    reviews = ms_all = reviews_30d = ms_30d = reviews_today = ms_today = 0
    tally = Tally()
    today_ordinal = today.toordinal()
    for day, count, ms, in_review, retained in every:
        reviews += count
        ms_all += ms
        if day >= since:
            reviews_30d += count
            ms_30d += ms
            tally.answers += in_review
            tally.kept += retained
            if day == today_ordinal:
                reviews_today += count
                ms_today += ms
    return Activity(
        reviews=reviews,
        cards=cards,
        reviews_today=reviews_today,
        reviews_30d=reviews_30d,
        retention=tally.share,
        retention_reviews=tally.answers,
        streak_days=streak(dates, today),
        ms_today=ms_today,
        ms_30d=ms_30d,
        ms_all=ms_all,
    )


class _Counts:
    """`session.stats._Cards` over the decks' parts."""

    def __init__(self, now: datetime, today: int, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self.now = now
        self.today = today
        self.forecast = [0] * FORECAST_DAYS
        self.recall_sum = 0.0
        self.recall_count = 0

    def row(self, deck: DeckIndex, part: DeckPart, tally: Tally) -> DeckStats:
        new, learning, young, mature, missed, leeches = part["counts"]
        for due_day, cards in part["due"]:
            offset = due_day - self.today
            if offset < FORECAST_DAYS:
                self.forecast[max(0, offset)] += cards
        recall = 0.0
        for chance in self.scheduler.recalls_on_days(part["recall"], self.now):  # type: ignore[arg-type]
            recall += chance
        studied = len(part["recall"])
        self.recall_sum += recall
        self.recall_count += studied
        return deck_row(deck.id, deck.title, len(deck.keys),
                        (new, learning, young, mature, missed, leeches), tally, recall, studied)

    def total(self, rows: Sequence[DeckStats]) -> DeckStats:
        return total_row(rows, self.recall_sum, self.recall_count)


def weak_tags(parts: Sequence[DeckPart], min_reviews: int) -> list[TagStats]:
    tags: dict[str, Tally] = defaultdict(Tally)
    for part in parts:
        for tag, (answers, kept) in part["tags"].items():
            tally = tags[tag]
            tally.answers += answers
            tally.kept += kept
    weak = [
        TagStats(tag, tally.answers, tally.kept / tally.answers)
        for tag, tally in tags.items()
        if tally.answers >= min_reviews
    ]
    weak.sort(key=lambda t: (t.retention, -t.reviews, t.tag))
    return weak[:TOP]


def confusions(parts: Sequence[DeckPart]) -> list[Confusion]:
    """The TOP most confused (picked, answer) pairs, each with its cards by when that
    confusion was first seen. The cards are gathered for those pairs only: the report is
    made again after every answer, from thousands of pairs."""
    times: Counter[tuple[str, str]] = Counter()
    for part in parts:
        for choice, answer, n, _, _, _ in part["confused"]:
            times[choice, answer] += n
    ranked = heapq.nsmallest(TOP, times.items(), key=lambda item: (-item[1], item[0]))
    firsts: dict[tuple[str, str], list[tuple[str, str, str]]] = {pair: [] for pair, _ in ranked}
    for part in parts:
        for choice, answer, _, first_time, first_id, key in part["confused"]:
            seen = firsts.get((choice, answer))
            if seen is not None:
                seen.append((first_time, first_id, key))
    return [
        Confusion(picked, answer, n, [key for _, _, key in sorted(firsts[(picked, answer)])])
        for (picked, answer), n in ranked
    ]
