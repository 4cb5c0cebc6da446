"""`awsquiz stats` on screen: the figures of a StatsReport in 80 columns.

Piped, Rich writes no colour codes, so the same layout reads as plain text; every deck, tag,
card or choice text goes through `inert()` as Rich `Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from awsquiz.model.windows import HEATMAP_WEEKS, RETENTION_DAYS
from awsquiz.session.stats_rows import shade
from awsquiz.ui import console, inert
from awsquiz.ui.fit import aligned, fit_columns
from awsquiz.ui.page import Page, Screen

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from awsquiz.session.stats_report import DeckStats, Heatmap, StatsReport

SHADES = " ░▒▓█"  # index = shade level; level 0 (a day without reviews) is drawn as EMPTY
EMPTY = "·"
SHADE_STYLES = ("dim", "green", "green", "bold green", "bold bright_green")
BAR = "█"
BAR_WIDTH = 44
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEADERS = ("deck", "cards", "new", "learn", "young", "mature", "missed", "leech", "retain",
           "recall")
WEAK_TAG_STYLES = ("cyan", "", "", "dim")  # tag, retention, answers, the drill command
NARROW_DROPS = ("leech", "young", "recall", "learn", "mature")  # least needed first


def percent(share: float | None) -> str:
    return "-" if share is None else f"{round(100 * share)}%"


def count(n: int) -> str:
    return f"{n:,}"


def duration(ms: int) -> str:
    """'0s', '45s', '12m', '3h 05m'."""
    seconds = ms // 1000
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def plural(n: int, word: str) -> str:
    return f"{count(n)} {word}{'' if n == 1 else 's'}"


def deck_row(row: DeckStats) -> list[str]:
    """The cells of one deck's line, as printed (the tests read them back)."""
    return [
        row.id, count(row.cards), count(row.new), count(row.learning), count(row.young),
        count(row.mature), count(row.missed), count(row.leeches), percent(row.retention),
        percent(row.recall),
    ]


def show_stats(report: StatsReport, term: Console | None = None) -> None:
    from rich.text import Text

    from awsquiz.ui.calibration import show_calibration

    with Page(term or console()) as page:
        _cards(report, page)
        _forecast(report, page)
        if report.activity.reviews:
            _activity(report, page)
            show_calibration(report, page)
        else:
            page.print()
            page.print(Text("No reviews yet. Start with: awsquiz study", style="bold"))
        _weak_tags(report, page)
        _confusions(report, page)
        _orphans(report, page)
        _exams(report, page)


def _title(term: Screen, text: str) -> None:
    from rich.text import Text

    term.print()
    term.print(Text(text, style="bold"))


def _cards(report: StatsReport, term: Screen) -> None:
    from rich.text import Text

    _title(term, "Cards")
    if not report.decks:
        term.print(Text("No decks. Add a folder of YAML decks with --decks DIR."))
        return
    rows = [deck_row(row) for row in report.decks]
    if len(report.decks) > 1:
        rows.append(deck_row(report.total))
    # Every number whole and no deck id broken: at a narrow width, columns are left out.
    kept = fit_columns(HEADERS, rows, term.width, gap=1, drop=NARROW_DROPS)
    # Drawn as a Table only when it does not fit: Rich's Table is slow over hundreds of cells.
    lines = aligned(
        [[HEADERS[i] for i in kept], *([inert(row[i]) for i in kept] for row in rows)],
        term.width, gap=1, right=range(1, len(kept)), styles=["cyan"], header=True,
        bold=[len(rows)] if len(report.decks) > 1 else [],
    )
    if lines is not None:
        term.print(lines)
    else:
        _cards_table(report, rows, kept, term)
    _cards_notes(report, kept, term)


def _cards_table(
    report: StatsReport, rows: list[list[str]], kept: list[int], term: Screen
) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")
    for index in kept:
        if index == 0:
            table.add_column(HEADERS[index], no_wrap=True, style="cyan")
        else:
            table.add_column(HEADERS[index], justify="right", no_wrap=True)
    for number, cells in enumerate(rows):
        style = "bold" if number == len(report.decks) else ""
        table.add_row(*[Text(inert(cells[i]), style=style) for i in kept])
    term.print(table)


def _cards_notes(report: StatsReport, kept: list[int], term: Screen) -> None:
    from rich.text import Text

    left_out = [HEADERS[i] for i in range(len(HEADERS)) if i not in kept]
    if left_out:
        term.print(Text(f"left out at this width: {', '.join(left_out)} (--json has them)",
                        style="dim"))
    for note in (
        "young, mature: in review, stability < 21 / >= 21 days; leech: forgotten 8+ times",
        f"retain: not forgotten, of {plural(report.total.retention_reviews, 'answer')} "
        f"to cards in review in the last {RETENTION_DAYS} days",
        "recall: mean predicted chance of recalling each studied card now",
        f"desired retention {report.desired_retention:.2f}: what the schedule aims for "
        "(awsquiz study --retention R changes it)",
    ):
        term.print(Text(note, style="dim"))


def _forecast(report: StatsReport, term: Screen) -> None:
    from rich.text import Text

    studied = report.total.cards - report.total.new
    if not studied:
        return
    _title(term, f"Due in the next {len(report.forecast)} days (overdue counts today)")
    today = date.fromisoformat(report.today)
    top = max(report.forecast) or 1
    width = max(len(count(n)) for n in report.forecast)
    for offset, due in enumerate(report.forecast):
        day = today + timedelta(days=offset)
        label = "today" if offset == 0 else "tomorrow" if offset == 1 else ""
        line = Text(f"{day:%a %d %b}  {label:<8} {count(due):>{width}} ")
        room = max(4, min(BAR_WIDTH, term.width - len(line) - 1))
        bar = BAR * (round(room * due / top) if due else 0)
        if due and not bar:
            bar = "▏"
        line.append(bar, style="green")
        term.print(line)


def heatmap_lines(heatmap: Heatmap) -> list[tuple[str, list[int]]]:
    """Rows of the heatmap: (weekday name, shade level per week, -1 for days after today)."""
    scale = heatmap.scale
    rows: list[tuple[str, list[int]]] = []
    for weekday in range(7):
        levels = []
        for week in range(HEATMAP_WEEKS):
            index = 7 * week + weekday
            levels.append(
                shade(heatmap.counts[index], scale) if index < len(heatmap.counts) else -1
            )
        rows.append((DAY_NAMES[weekday], levels))
    return rows


def scale_text(scale: Sequence[int]) -> str:
    """'░ 1-3  ▒ 4-9  ▓ 10-25  █ 26-140', leaving out shades no count can reach."""
    parts = []
    low = 1
    for level, high in enumerate(scale, start=1):
        if high >= low:
            parts.append(f"{SHADES[level]} {low}" + (f"-{high}" if high > low else ""))
            low = high + 1
    return "  ".join(parts)


def _month_line(start: date) -> str:
    """Month names above the week in which each month's first Monday falls."""
    marks: list[tuple[int, str]] = []
    for week in range(HEATMAP_WEEKS):
        monday = start + timedelta(days=7 * week)
        if week == 0 or monday.day <= 7:
            marks.append((5 + 2 * week, f"{monday:%b}"))
    if len(marks) > 1 and marks[0][0] + len(marks[0][1]) >= marks[1][0]:
        marks.pop(0)  # the first column's month has no room before the next one
    line = ""
    for x, name in marks:
        line = line.ljust(x) + name
    return line


def _activity(report: StatsReport, term: Screen) -> None:
    from rich.text import Text

    heatmap = report.heatmap
    activity = report.activity
    start = date.fromisoformat(heatmap.start)
    _title(term, f"Reviews in the last {HEATMAP_WEEKS} weeks, from {start:%d %b %Y}")
    term.print(Text(_month_line(start), style="dim"))
    for name, levels in heatmap_lines(heatmap):
        line = Text(f"{name}  ")
        for level in levels:
            if level < 0:
                line.append("  ")
            elif level == 0:
                line.append(EMPTY + " ", style=SHADE_STYLES[0])
            else:
                line.append(SHADES[level] + " ", style=SHADE_STYLES[level])
        line.rstrip()
        term.print(line)
    legend = Text("less ")
    for level in range(1, 5):
        legend.append(SHADES[level], style=SHADE_STYLES[level])
    legend.append(" more")
    if heatmap.scale:
        legend.append(f"   {scale_text(heatmap.scale)} reviews a day", style="dim")
    else:
        legend.append(f"   no reviews in these {HEATMAP_WEEKS} weeks", style="dim")
    term.print(legend)
    term.print()
    streak = activity.streak_days
    term.print(
        Text(
            f"{plural(activity.reviews, 'review')} of {plural(activity.cards, 'card')}; "
            f"today {count(activity.reviews_today)}, "
            f"last {RETENTION_DAYS} days {count(activity.reviews_30d)}"
        )
    )
    term.print(
        Text(
            f"streak {plural(streak, 'day')} · time today {duration(activity.ms_today)}, "
            f"last {RETENTION_DAYS} days {duration(activity.ms_30d)}, "
            f"all {duration(activity.ms_all)}"
        )
    )
    term.print(
        Text(
            f"retention, last {RETENTION_DAYS} days: {percent(activity.retention)} "
            f"of {plural(activity.retention_reviews, 'answer')} to cards in review"
        )
    )


def _weak_tags(report: StatsReport, term: Screen) -> None:
    if not report.weak_tags:
        return
    _title(
        term,
        f"Weakest tags (retention, all time, {report.min_tag_reviews}+ answers in review)",
    )
    cells = [
        [inert(tag.tag), percent(tag.retention), plural(tag.reviews, "answer"),
         f"awsquiz study --all --tag {_shell_word(inert(tag.tag))}"]
        for tag in report.weak_tags
    ]
    lines = aligned(cells, term.width, gap=2, right=(1, 2), styles=WEAK_TAG_STYLES)
    term.print(lines if lines is not None else weak_tags_table(cells))


def weak_tags_table(cells: Sequence[Sequence[str]]) -> Table:
    """The weakest tags as a Rich table: what `aligned` draws when they fit, folded when
    they do not."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, show_header=False, padding=(0, 1))
    table.add_column("tag", overflow="fold", style=WEAK_TAG_STYLES[0])
    table.add_column("retention", justify="right", no_wrap=True)
    table.add_column("answers", justify="right", no_wrap=True)
    table.add_column("drill", overflow="fold", style=WEAK_TAG_STYLES[3])
    for row in cells:
        table.add_row(*map(Text, row))
    return table


def _shell_word(text: str) -> str:
    """A tag as one word a shell reads back as it is."""
    import shlex

    return shlex.quote(text)


def _confusions(report: StatsReport, term: Screen) -> None:
    from rich.text import Text

    if not report.confusions:
        return
    _title(term, "Most confused choices")
    for item in report.confusions:
        line = Text("picked ")
        line.append(inert(item.picked), style="bold red")
        line.append(" when the answer was ")
        line.append(inert(item.answer), style="bold green")
        line.append(f": {plural(item.times, 'time')}")
        where = item.cards[0] if len(item.cards) == 1 else f"{len(item.cards)} cards"
        line.append(f" ({inert(where)})", style="dim")
        term.print(line)


def _orphans(report: StatsReport, term: Screen) -> None:
    from rich.text import Text

    orphans = report.orphans
    if not orphans.cards:
        return
    _title(term, "Orphaned progress")
    term.print(
        Text(
            f"{plural(orphans.cards, 'card')} with progress in no deck; the progress is kept "
            "and comes back with the card."
        )
    )
    width = max(len(deck) for deck in orphans.by_deck)
    for deck, cards in orphans.by_deck.items():
        term.print(Text(f"  {inert(deck):<{width}}  {count(cards)}"))


def _exams(report: StatsReport, term: Screen) -> None:
    from rich.text import Text

    if not report.exams:
        return
    _title(term, "Recent exams")
    tz = datetime.fromisoformat(report.now).tzinfo
    for exam in report.exams:
        when = datetime.fromisoformat(exam.time).astimezone(tz)
        verdict, style = (
            ("abandoned", "yellow") if exam.abandoned
            else ("pass", "green") if exam.passed
            else ("fail", "red")
        )
        line = Text(f"{when:%Y-%m-%d %H:%M}  {exam.percent:>3}%  ")
        line.append(f"{verdict:<9}", style=style)
        line.append(f"  {exam.right}/{exam.questions}, pass mark {exam.pass_mark}%  ")
        line.append(inert(", ".join(exam.decks)), style="dim")
        term.print(line)
