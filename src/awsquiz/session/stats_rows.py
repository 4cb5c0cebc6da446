"""The pieces of a `stats` report that the report from every review (`session.stats`) and
the one from kept parts (`session.stats_figures`) share: a deck's row and the total, the
heatmap, the streak, the exams and the retention tally. Light on purpose: a warm `stats`
loads these and not the report from every review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from awsquiz.model.windows import HEATMAP_WEEKS
from awsquiz.session.stats_report import DeckStats, ExamLine, Heatmap

if TYPE_CHECKING:
    from awsquiz.model.exam_result import ExamResult

TOP = 5  # weakest tags, confused choices, exams shown
_COUNTED = ("cards", "new", "learning", "young", "mature", "missed", "leeches",
            "retention_reviews", "retained")


class Tally:
    """Answers and how many of them were kept (not Again)."""

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



def deck_row(
    deck_id: str, title: str, cards: int, counts: tuple[int, int, int, int, int, int],
    tally: Tally, recall: float, studied: int,
) -> DeckStats:
    """A deck's row: its cards' counts (new, learning, young, mature, missed, leeches), its
    retention tally and the recall summed over its `studied` cards."""
    new, learning, young, mature, missed, leeches = counts
    return DeckStats(
        id=deck_id, title=title, cards=cards, new=new, learning=learning, young=young,
        mature=mature, missed=missed, leeches=leeches, retention=tally.share,
        retention_reviews=tally.answers, retained=tally.kept,
        recall=recall / studied if studied else None,
    )


def total_row(rows: Sequence[DeckStats], recall_sum: float, recall_count: int) -> DeckStats:
    """The row of all decks shown: the decks' counts added up, the recall over every card."""
    sums = {name: sum(getattr(row, name) for row in rows) for name in _COUNTED}
    answered, retained = sums["retention_reviews"], sums["retained"]
    return DeckStats(
        id="total", title="all decks shown",
        cards=sums["cards"], new=sums["new"], learning=sums["learning"],
        young=sums["young"], mature=sums["mature"], missed=sums["missed"],
        leeches=sums["leeches"],
        retention=retained / answered if answered else None,
        retention_reviews=answered, retained=retained,
        recall=recall_sum / recall_count if recall_count else None,
    )


def exam_lines(exams: Sequence[ExamResult], scope: set[str] | None) -> list[ExamLine]:
    """The newest exams first, those of the decks in scope."""
    return [
        ExamLine(
            time=exam.time, decks=list(exam.decks), questions=exam.questions,
            right=exam.right, percent=exam.percent, pass_mark=exam.pass_mark,
            passed=exam.passed, abandoned=exam.abandoned,
        )
        for exam in reversed(exams)
        if scope is None or scope & set(exam.decks)
    ][:TOP]


def streak(per_day: Mapping[date, int], today: date) -> int:
    day = today if per_day.get(today) else today - timedelta(days=1)
    streak = 0
    while per_day.get(day):
        streak += 1
        day -= timedelta(days=1)
    return streak


def heatmap(per_day: Mapping[date, int], today: date) -> Heatmap:
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
