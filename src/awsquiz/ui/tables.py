"""Listings: decks, cards and deck-check reports, as Rich tables, plain text or JSON."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from awsquiz.ui import CONTROL, console, inert, is_terminal, plain_table
from awsquiz.ui.fit import fit_columns
from awsquiz.ui.text import ago, plural, until

if TYPE_CHECKING:
    from awsquiz.model import Card
    from awsquiz.services.listing import CheckReport
    from awsquiz.session.overview import DeckSummary, Today


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP: a surrogate pair, as JSON writes it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def print_json(data: object, out: TextIO | None = None) -> None:
    # The same characters as on every screen (`inert`), as JSON's own \u escapes: the data
    # is unchanged for a program, and nothing reaches a terminal that would act on it.
    text = CONTROL.sub(_json_escape, json.dumps(data, indent=2, ensure_ascii=False))
    print(text, file=out or sys.stdout)


def show_decks(rows: Sequence[DeckSummary], now: datetime, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if not rows:
        print("No decks found. Add a folder of YAML decks with --decks DIR.", file=out)
        return
    headers = [
        "deck", "title", "cards", "new", "learning", "due", "mastered", "suspended",
        "last studied",
    ]
    body = [
        [
            r.id, r.title, r.cards, r.new, r.learning, r.due, r.mastered, r.suspended,
            ago(r.last_studied, now),
        ]
        for r in rows
    ]
    if not is_terminal(out):
        print(plain_table(headers, body), file=out)
        return
    from rich.table import Table
    from rich.text import Text

    term = console(out)
    # Deck ids are what the learner types: they never fold, and no number is cut short. At
    # a narrow width the least needed columns are left out; the title gets what is left, and
    # is left out when that is too little to read.
    cells = [[str(c) for c in row] for row in body]
    numbers = [h for i, h in enumerate(headers) if i != 1]
    kept = fit_columns(
        numbers, [[c for i, c in enumerate(row) if i != 1] for row in cells], term.width,
        gap=2, drop=("last studied", "suspended", "mastered", "learning"),
    )
    shown = [headers.index(numbers[i]) for i in kept]
    used = sum(max(len(headers[i]), *(len(row[i]) for row in cells)) + 2 for i in shown)
    if term.width - used >= 16:
        shown.insert(1, 1)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for index in shown:
        table.add_column(
            headers[index],
            justify="right" if 2 <= index <= 7 else "left",
            no_wrap=index != 1,
            overflow="fold" if index == 1 else "ellipsis",
        )
    for row, summary in zip(body, rows, strict=True):
        texts = [Text(inert(str(c))) for c in row]
        if summary.due:
            texts[5].stylize("bold yellow")
        table.add_row(*(texts[i] for i in shown))
    term.print(table)
    due = sum(r.due for r in rows)
    new = sum(r.new for r in rows)
    hint = f"{due} due" if due else "nothing due"
    term.print(Text(f"\n{hint}, {new} new · study with: awsquiz study [DECK]", style="dim"))


def show_cards(cards: Sequence[Card], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if not cards:
        print("No cards match.", file=out)
        return
    headers = ["deck", "id", "type", "question", "answer"]
    body = [[c.deck, c.id, c.type.value, c.question, c.answer] for c in cards]
    if not is_terminal(out):
        flat = [[" ".join(str(cell).split()) for cell in row] for row in body]
        print(plain_table(headers, flat), file=out)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", show_lines=False, expand=True)
    # Ids share the width and fold: sized to the longest id, they left no room for the question.
    table.add_column("deck", no_wrap=True, style="cyan", max_width=22)
    table.add_column("id", ratio=1, overflow="fold")
    table.add_column("type", no_wrap=True, style="dim")
    table.add_column("question", ratio=3)
    table.add_column("answer", ratio=1, style="green")
    for row in body:
        table.add_row(*[Text(inert(str(cell))) for cell in row])
    term = console(out)
    term.print(table)
    term.print(Text(plural(len(cards), "card"), style="dim"))


def show_tags(counts: dict[str, int], out: TextIO | None = None) -> None:
    """`cards --tags`: each tag with its card count, and how to study it."""
    out = out or sys.stdout
    if not counts:
        print("No card has a tag.", file=out)
        return
    body = [[tag, count] for tag, count in counts.items()]
    print(plain_table(["tag", "cards"], body), file=out)
    print("\nstudy one with: awsquiz study --tag TAG", file=out)


def show_check(report: CheckReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for problem in report.problems:
        print(inert(str(problem)), file=out)
    for card in report.stale or ():
        when = "never verified"
        if card.verified:
            when = f"verified {card.verified}, {card.days} days ago"
        print(inert(f"{card.path}:{card.line}: card '{card.key}': stale: {when}"), file=out)
    summary = (
        f"checked {plural(report.files, 'file')}: {plural(report.decks, 'deck')}, "
        f"{plural(report.cards, 'card')}, {plural(report.errors, 'error')}, "
        f"{plural(report.warnings, 'warning')}"
    )
    if report.stale is not None:
        summary += (
            f"; {len(report.stale)} card{'s' if len(report.stale) != 1 else ''} not verified "
            f"in the last {report.stale_days} days"
        )
    print(summary, file=out)


def show_overview(today: Today, now: datetime, out: TextIO | None = None) -> None:
    """What bare `awsquiz` prints: where the learner stands and the next step."""
    out = out or sys.stdout
    print(
        f"awsquiz: {plural(today.decks, 'deck')}, {plural(today.cards, 'card')}; "
        f"{today.due} due now, {today.missed} missed, {today.new} new.",
        file=out,
    )
    print("", file=out)
    if today.steps:
        if today.minutes:
            print(f"Today: about {plural(today.minutes, 'minute')}.", file=out)
        for index, (command, why) in enumerate(today.steps):
            label = "next" if index == 0 else "then"
            print(f"  {label}  {command:<16} {why}", file=out)
    else:
        print("Nothing to do today.", file=out)
        if today.next_due:
            print(f"  the next card is due {until(datetime.fromisoformat(today.next_due), now)}",
                  file=out)
        print("  awsquiz study --all     study ahead", file=out)
        print("  awsquiz study --new 5   start more new cards", file=out)
    print("", file=out)
    print("  awsquiz decks · awsquiz stats · awsquiz --help (every command)", file=out)
