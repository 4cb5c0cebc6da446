"""`awsquiz stats`: exact figures from a small known log, the screen at 80 columns, JSON and
screen agreeing, and the real review history (shared/data, beside the repository)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

import history
from awsquiz.cli import app
from awsquiz.model import CardState, Rating, Review
from awsquiz.model.exam_result import ExamResult
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.services.stats import gather
from awsquiz.services.where import Where
from awsquiz.session.stats import build_report
from awsquiz.session.stats_report import StatsReport
from awsquiz.session.stats_rows import shade, shade_scale
from awsquiz.store.exam_log import save_result
from awsquiz.store.store import Store
from awsquiz.system.paths import iso
from awsquiz.ui.stats import deck_row, duration, show_stats

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # a Saturday
TODAY = NOW.date()

DECK_T = """\
deck: t
title: Test deck
tags: [tdeck]
cards:
  - id: a
    type: choice
    question: Which S3 encryption option uses KMS keys?
    choices: [SSE-S3, SSE-KMS, SSE-C]
    answer: SSE-KMS
    tags: [kms]
  - id: b
    question: B?
    answer: b
    tags: [iam]
  - id: c
    question: C?
    answer: c
  - id: d
    question: D?
    answer: d
  - id: e
    question: E?
    answer: e
"""

DECK_U = """\
deck: u
title: "[bold]Other[/bold] deck"
cards:
  - id: x
    question: X?
    answer: x
"""

_serial = iter(range(1_000_000))


def review(
    key: str,
    when: datetime,
    rating: Rating,
    state: int,
    *,
    stability: float = 1.0,
    due: datetime | None = None,
    lapses: int = 0,
    picked: tuple[str, ...] | None = None,
    ms: int = 1000,
) -> Review:
    deck, card = key.split("/")
    return Review(
        id=f"r{next(_serial):06d}",
        deck=deck,
        card=card,
        time=iso(when),
        rating=rating,
        right=rating is not Rating.AGAIN,
        picked=picked,
        ms=ms,
        state=CardState(
            state=state,
            step=None if state == 2 else 0,
            stability=stability,
            difficulty=5.0,
            due=iso(due or when + timedelta(days=stability)),
            last_review=iso(when),
            reps=1,
            lapses=lapses,
        ),
    )


def day(n: int, hour: int = 9, minute: int = 0) -> datetime:
    """`n` days from NOW's day (negative: before), at hour:minute UTC."""
    return datetime(2026, 11, 28, hour, minute, tzinfo=UTC) + timedelta(days=n)


AGAIN, HARD, GOOD = Rating.AGAIN, Rating.HARD, Rating.GOOD


def synthetic_log() -> list[Review]:
    """A log with known answers (see the expected figures in the tests below)."""
    return [
        # t/a, a choice card: missed three times with SSE-C and once with SSE-S3
        review("t/a", day(-40), AGAIN, 1, picked=("SSE-C",)),
        review("t/a", day(-40, minute=10), GOOD, 2, stability=3, picked=("SSE-KMS",)),
        review("t/a", day(-5), AGAIN, 3, lapses=2, picked=("SSE-C",)),  # in review: counts
        review("t/a", day(-5, minute=10), AGAIN, 3, lapses=3, picked=("SSE-S3",)),
        review("t/a", day(0, 8), AGAIN, 3, lapses=4, picked=("SSE-C",), ms=61_000,
               due=day(0, 8, 10)),
        # t/b: learning, then in review; one review-state answer (Good) yesterday; mature
        review("t/b", day(-20), GOOD, 1),
        review("t/b", day(-19), GOOD, 2, stability=25),
        review("t/b", day(-1), GOOD, 2, stability=30, due=day(10)),
        # t/c: young, overdue, a leech (9 lapses); one review-state answer (Hard)
        review("t/c", day(-3), GOOD, 2, stability=5),
        review("t/c", day(-2), HARD, 2, stability=6, due=day(-1), lapses=9),
        # t/d: young, reviewed long ago, due after the forecast
        review("t/d", day(-60), GOOD, 2, stability=2, due=day(20)),
        # u/x: mature, due in 3 days
        review("u/x", day(-1), GOOD, 2, stability=40, due=day(3)),
        # orphans: a card gone from deck t, and a deck that no longer exists
        review("t/gone", day(-2), GOOD, 2, stability=4),
        review("t/gone", day(-1), AGAIN, 3, lapses=1),  # in review: counts in activity only
        review("old/y", day(-1), GOOD, 1),
        review("old/z", day(-1), GOOD, 1),
    ]


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "t.yaml").write_text(DECK_T, encoding="utf-8")
    (folder / "u.yaml").write_text(DECK_U, encoding="utf-8")
    return folder


@pytest.fixture
def filled(isolated: Path, deck_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The synthetic log written answer by answer into the test's progress folder."""
    monkeypatch.setenv("AWSQUIZ_NOW", NOW.isoformat())
    store = Store.open(isolated)
    for item in synthetic_log():
        store.append(item)
    save_result(isolated, "test", ExamResult("e1", iso(day(-10)), ("t",), 20, 12, 70, 600, 900))
    save_result(isolated, "test", ExamResult("e2", iso(day(-1)), ("t", "u"), 20, 17, 70, 500, 900))
    save_result(isolated, "test", ExamResult("e3", iso(day(-2)), ("old",), 10, 1, 70, 10, 900,
                                             abandoned=True))
    return isolated


def report_for(deck_dir: Path, selection: list[str] | None = None) -> StatsReport:
    return gather(Where(deck_dirs=[deck_dir]), selection or [], NOW)


def by_id(report: StatsReport, deck_id: str):  # type: ignore[no-untyped-def]
    return next(row for row in report.decks if row.id == deck_id)


def render(report: StatsReport) -> str:
    out = StringIO()
    show_stats(report, Console(file=out, width=80))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Figures


def test_deck_counts(filled: Path, deck_dir: Path) -> None:
    report = report_for(deck_dir)
    t = by_id(report, "t")
    assert (t.cards, t.new, t.learning, t.young, t.mature) == (5, 1, 1, 2, 1)
    assert (t.missed, t.leeches) == (1, 1)
    u = by_id(report, "u")
    assert (u.cards, u.new, u.learning, u.young, u.mature, u.missed, u.leeches) == (
        1, 0, 0, 0, 1, 0, 0
    )


def test_true_retention_counts_only_answers_to_cards_in_review_in_30_days(
    filled: Path, deck_dir: Path
) -> None:
    report = report_for(deck_dir)
    t = by_id(report, "t")
    # t/a day -5 Again (counts, forgotten); t/a day -5 +10 min was relearning; t/b day -1
    # Good and t/c day -2 Hard (count, kept); first answers and learning steps do not count.
    assert (t.retention_reviews, t.retained) == (3, 2)
    assert t.retention == pytest.approx(2 / 3)
    assert by_id(report, "u").retention is None  # its only answer was its first
    # Activity counts every review in scope, orphans too: t/gone's Again in review.
    assert (report.activity.retention_reviews, report.activity.retention) == (4, 0.5)


def test_predicted_recall_is_the_mean_over_studied_cards(filled: Path, deck_dir: Path) -> None:
    report = report_for(deck_dir)
    scheduler = Scheduler(fuzz=False)
    store = Store.open(filled)
    expected = [
        scheduler.retrievability(store.progress[f"t/{card}"].state, NOW) for card in "abcd"
    ]
    assert by_id(report, "t").recall == pytest.approx(sum(expected) / 4)
    assert by_id(report, "u").recall == pytest.approx(
        scheduler.retrievability(store.progress["u/x"].state, NOW)
    )


def test_forecast_counts_overdue_today(filled: Path, deck_dir: Path) -> None:
    forecast = report_for(deck_dir).forecast
    assert len(forecast) == 14
    # t/a (due today) and t/c (overdue) on day 0, u/x on day 3, t/b on day 10; t/d is later.
    assert forecast == [2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]


def test_activity_streak_and_time(filled: Path, deck_dir: Path) -> None:
    activity = report_for(deck_dir).activity
    assert (activity.reviews, activity.cards) == (16, 8)
    assert (activity.reviews_today, activity.reviews_30d) == (1, 13)
    assert activity.streak_days == 4  # today and the three days before; day -4 has none
    assert (activity.ms_today, activity.ms_30d, activity.ms_all) == (61_000, 73_000, 76_000)


def test_heatmap_weeks_and_shades(filled: Path, deck_dir: Path) -> None:
    heatmap = report_for(deck_dir).heatmap
    start = date.fromisoformat(heatmap.start)
    assert start.weekday() == 0
    assert start == TODAY - timedelta(days=TODAY.weekday() + 15 * 7)
    assert heatmap.end == TODAY.isoformat()
    assert len(heatmap.counts) == 15 * 7 + TODAY.weekday() + 1
    assert heatmap.counts[-1] == 1
    assert heatmap.counts[-2] == 5  # day -1: t/b, u/x, t/gone, old/y, old/z
    assert sum(heatmap.counts) == 16  # every review: 60 days ago is inside 16 weeks
    # busy days: 1,1,1,1,1,2,2,2,5; nearest-rank quartiles 1, 1, 2, then the busiest day
    assert heatmap.scale == [1, 1, 2, 5]


def test_shade_scale_is_by_quantile() -> None:
    counts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0]
    scale = shade_scale(counts)
    assert scale == [2, 4, 6, 8]
    assert [shade(c, scale) for c in (0, 1, 2, 3, 4, 5, 8)] == [0, 1, 1, 2, 2, 3, 4]
    assert shade_scale([0, 0]) == []


def test_streak_may_end_yesterday_and_days_are_local() -> None:
    offset = timezone(timedelta(hours=2))
    now = datetime(2026, 11, 28, 9, 0, tzinfo=offset)
    reviews = [
        review("t/a", datetime(2026, 11, 26, 12, 0, tzinfo=UTC), GOOD, 2),  # the 26th
        review("t/a", datetime(2026, 11, 26, 22, 30, tzinfo=UTC), GOOD, 2),  # the 27th
    ]
    report = build_report([], {}, reviews, [], now)
    assert report.activity.streak_days == 2  # yesterday and the day before, local; none today
    late = [review("t/a", datetime(2026, 11, 27, 22, 30, tzinfo=UTC), GOOD, 2)]
    report = build_report([], {}, late, [], now)
    assert report.activity.reviews_today == 1  # 00:30 on the 28th, local
    assert report.activity.streak_days == 1


def test_confusions(filled: Path, deck_dir: Path) -> None:
    confusions = report_for(deck_dir).confusions
    assert [(c.picked, c.answer, c.times, c.cards) for c in confusions] == [
        ("SSE-C", "SSE-KMS", 3, ["t/a"]),
        ("SSE-S3", "SSE-KMS", 1, ["t/a"]),
    ]


def test_weakest_tags(filled: Path, deck_dir: Path) -> None:
    library = Where(deck_dirs=[deck_dir]).library(["t", "u"])
    store = Store.open(filled)
    report = build_report(
        library.decks, store.progress, store.reviews(), [], NOW, min_tag_reviews=1
    )
    assert [(t.tag, t.reviews, round(t.retention, 3)) for t in report.weak_tags] == [
        ("kms", 1, 0.0),
        ("tdeck", 3, 0.667),
        ("iam", 1, 1.0),
    ]
    assert report_for(deck_dir).weak_tags == []  # none has 10 answers


def test_orphans_are_counted_per_deck_and_kept(filled: Path, deck_dir: Path) -> None:
    report = report_for(deck_dir)
    assert report.orphans.cards == 3
    assert report.orphans.by_deck == {"old": 2, "t": 1}
    assert "old/y" in Store.open(filled).progress  # never deleted
    scoped = report_for(deck_dir, ["t"])
    assert (scoped.orphans.cards, scoped.orphans.by_deck) == (1, {"t": 1})


def test_selection_scopes_every_figure(filled: Path, deck_dir: Path) -> None:
    report = report_for(deck_dir, ["t"])
    assert [row.id for row in report.decks] == ["t"]
    assert report.activity.reviews == 13  # t/a 5, t/b 3, t/c 2, t/d 1, t/gone 2
    assert report.forecast[:4] == [2, 0, 0, 0]
    assert [exam.time for exam in report.exams] == [iso(day(-1)), iso(day(-10))]


def test_exam_history_newest_first(filled: Path, deck_dir: Path) -> None:
    exams = report_for(deck_dir).exams
    assert [(e.percent, e.passed, e.abandoned) for e in exams] == [
        (85, True, False), (10, False, True), (60, False, False),
    ]


def test_an_empty_log(isolated: Path, deck_dir: Path) -> None:
    report = report_for(deck_dir)
    assert report.activity.reviews == 0
    assert report.forecast == [0] * 14
    assert report.total.retention is None
    screen = render(report)
    assert "No reviews yet" in screen


# ---------------------------------------------------------------------------------------------
# The screen and JSON


def test_screen_fits_80_columns_and_has_the_heatmap_legend(filled: Path, deck_dir: Path) -> None:
    screen = render(report_for(deck_dir))
    lines = screen.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "less ░▒▓█ more" in screen
    assert "\x1b" not in screen
    assert "picked SSE-C when the answer was SSE-KMS: 3 times" in screen
    assert "streak 4 days" in screen
    assert "3 cards with progress in no deck" in screen


def test_card_and_deck_text_is_not_markup(filled: Path, deck_dir: Path) -> None:
    (deck_dir / "t.yaml").write_text(
        DECK_T.replace("[SSE-S3, SSE-KMS, SSE-C]", '[SSE-S3, SSE-KMS, "[red]SSE-C\\e"]'),
        encoding="utf-8",
    )
    store = Store.open(Path(filled))
    store.append(review("t/a", day(0, 8, 30), AGAIN, 3, picked=("[red]SSE-C\x1b",)))
    screen = render(report_for(deck_dir))
    assert "picked [red]SSE-C\\x1b when the answer was SSE-KMS" in screen


def test_cli_json_and_screen_agree(filled: Path, deck_dir: Path) -> None:
    runner = CliRunner()
    data = json.loads(runner.invoke(app, ["stats", "--json", "--decks", str(deck_dir)]).stdout)
    result = runner.invoke(app, ["stats", "--decks", str(deck_dir)])
    assert result.exit_code == 0, result.output
    screen = result.stdout
    assert max(len(line) for line in screen.splitlines()) <= 80
    lines = screen.splitlines()
    report = report_for(deck_dir)
    assert data == json.loads(json.dumps(report.to_dict()))
    for row in report.decks:
        line = next(line for line in lines if line.split()[:1] == [row.id])
        assert line.split() == deck_row(row)
    assert next(line for line in lines if line.startswith("total")).split() == deck_row(
        report.total
    )
    assert "67%" in next(line for line in lines if line.startswith("t "))
    today = next(line for line in lines if line.split()[3:4] == ["today"])
    assert today.split()[4] == str(data["forecast"][0])
    activity = data["activity"]
    assert f"{activity['reviews']} reviews of {activity['cards']} cards" in screen
    assert f"streak {activity['streak_days']} days" in screen
    assert f"all {duration(activity['ms_all'])}" in screen
    assert f"{data['orphans']['cards']} cards with progress in no deck" in screen
    for confusion in data["confusions"]:
        assert f"picked {confusion['picked']} when the answer was {confusion['answer']}" in screen
    for exam in data["exams"]:
        assert f"{exam['right']}/{exam['questions']}, pass mark" in screen


# ---------------------------------------------------------------------------------------------
# The real history


HISTORY_NOW = datetime(2024, 10, 7, 9, 0, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture(scope="module")
def history_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("history")
    reviews = history.write_history(folder / "progress")
    return folder, history.card_ids(reviews)


def test_real_history_without_a_deck_is_orphaned(
    history_folder: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, ids = history_folder
    assert len(ids) == history.CARDS
    empty = tmp_path / "no-decks"
    empty.mkdir()
    report = gather(Where(deck_dirs=[empty], progress=folder / "progress"), [], HISTORY_NOW)
    assert report.activity.reviews == history.REVIEWS
    assert report.activity.cards == history.CARDS
    assert report.orphans.cards == history.CARDS
    assert report.orphans.by_deck == {history.DECK: history.CARDS}
    assert report.activity.streak_days > 0
    screen = render(report)
    assert max(len(line) for line in screen.splitlines()) <= 80
    assert "less ░▒▓█ more" in screen
    heatmap_rows = [line for line in screen.splitlines() if line[:3] in ("Mon", "Sun")]
    assert len(heatmap_rows) >= 2


def test_real_history_with_its_deck(
    history_folder: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, ids = history_folder
    decks = tmp_path / "decks"
    decks.mkdir()
    history.write_deck(decks, ids)
    where = Where(deck_dirs=[decks], progress=folder / "progress")
    report = gather(where, [history.DECK], HISTORY_NOW)
    row = by_id(report, history.DECK)
    assert report.orphans.cards == 0
    assert row.cards == history.CARDS and row.new == 0
    assert row.learning + row.young + row.mature == history.CARDS
    assert row.retention is not None and 0.5 <= row.retention <= 1
    assert row.recall is not None and 0.5 <= row.recall <= 1
    assert report.activity.reviews == history.REVIEWS
    assert sum(report.forecast) > 0
    screen = render(report)
    assert max(len(line) for line in screen.splitlines()) <= 80
    assert "less ░▒▓█ more" in screen


@pytest.mark.parametrize("width", [24, 80])
def test_a_page_prints_what_printing_line_by_line_prints(width: int) -> None:
    """`stats` prints its sixty lines as one page: the same characters and colours, a table
    in their midst included, long lines wrapped as before."""
    from rich.table import Table
    from rich.text import Text

    from awsquiz.ui.page import Page

    def lines(screen: Console | Page) -> None:
        screen.print()
        screen.print(Text("Cards", style="bold"))
        line = Text("picked ")
        line.append("SSE-C", style="bold red")
        line.append(" when the answer was a much longer text that has to wrap somewhere")
        screen.print(line)
        table = Table("deck", "cards")
        table.add_row("encryption", "72")
        screen.print(table)
        screen.print(Text("after the table", style="dim"))

    outputs = []
    for paged in (False, True):
        out = StringIO()
        term = Console(file=out, width=width, force_terminal=True, color_system="standard")
        if paged:
            with Page(term) as page:
                lines(page)
        else:
            lines(term)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert "\x1b[1mSSE-C\x1b[0m" in outputs[1] and "encryption" in outputs[1]  # NO_COLOR: bold


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(
    st.sampled_from("abcdefgh"), st.sampled_from("xyz"), st.integers(1, 4),
    st.sampled_from(["2026-01-01", "2026-02-01"]), st.sampled_from(["i1", "i2"]),
    st.sampled_from(["d/k1", "d/k2", "d/k3"])), max_size=30), max_size=4))
def test_the_most_confused_pairs_are_those_of_every_pair_ranked(parts: list[Any]) -> None:
    """The top pairs by times (ties by the pair), each with its cards by when each confusion
    was first seen, as ranking every pair gives them."""
    from awsquiz.session.stats_figures import confusions
    from awsquiz.session.stats_rows import TOP

    times: dict[tuple[str, str], int] = {}
    cards: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for part in parts:
        for choice, answer, n, first_time, first_id, key in part:
            times[choice, answer] = times.get((choice, answer), 0) + n
            cards.setdefault((choice, answer), []).append((first_time, first_id, key))
    ranked = sorted(times.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    expected = [(p, a, n, [key for _, _, key in sorted(cards[p, a])]) for (p, a), n in ranked]
    found = confusions([{"confused": [list(entry) for entry in part]} for part in parts])
    assert [(c.picked, c.answer, c.times, c.cards) for c in found] == expected
