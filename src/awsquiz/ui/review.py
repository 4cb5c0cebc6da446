"""`awsquiz review` on the screen: the list of missed cards and the end of a drill.

Turns and feedback are the study session's (`RichTerminal`); only the summary differs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from awsquiz.ui import console, inert, is_terminal, plain_table
from awsquiz.ui.session import RichTerminal
from awsquiz.ui.text import ago, span, until

if TYPE_CHECKING:
    from awsquiz.session.rounds import MissedCard
    from awsquiz.session.turn import Summary

LIST_HEADERS = ["deck", "card", "question", "picked last", "missed", "when", "leech"]


def _t(text: str, style: str = "") -> Text:
    """Card text as literal characters: never markup, never an escape sequence."""
    return Text(inert(text), style=style)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def nothing_missed(since: timedelta | None) -> str:
    if since is None:
        return "No missed cards. The last answer to every card you studied was right."
    return f"No missed cards in the last {span(since.total_seconds())}."


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


class ReviewTerminal(RichTerminal):
    """The `Terminal` of a review drill: the study session's turns, a summary of its own."""

    def show_summary(self, summary: Summary, now: datetime) -> None:
        from awsquiz.model.state import LEECH_LAPSES
        from awsquiz.session.rounds import ReviewSummary

        since = summary.since if isinstance(summary, ReviewSummary) else None
        self.out.print()
        if summary.nothing_to_do:
            self.out.print(Text(nothing_missed(since)))
            self.out.print(Text("Study with: awsquiz study", style="dim"))
            return
        if not isinstance(summary, ReviewSummary):  # pragma: no cover - a study summary
            super().show_summary(summary, now)
            return
        rounds = f"{summary.rounds} round{'s' if summary.rounds != 1 else ''}"
        lines = Text(
            f"missed cards {summary.cards} · answered {summary.answered} · "
            f"right {summary.percent_right}% · {rounds}"
        )
        if summary.left:
            lines.append(f"\nstill missed {len(summary.left)}", style="yellow")
        else:
            lines.append("\nevery missed card answered right", style="green")
        if summary.next_due:
            lines.append(f" · next card due {until(summary.next_due, now)}")
        title = "Review done" if not summary.left else "Review stopped"
        self.summary_panel(lines, title, summary.answered)
        self.listed("still missed", summary.left, "go on with: awsquiz review")
        self.listed("suspended", summary.suspended, "bring one back: awsquiz unsuspend DECK/ID")
        if summary.leeches:
            self.out.print(
                Text.assemble(
                    (f" leeches (missed {LEECH_LAPSES}+ times): ", "bold red"),
                    _t(", ".join(summary.leeches)),
                )
            )
            self.out.print(Text(
                "   drilling alone rarely fixes a leech: read its source, add a note or a "
                "mnemonic, or split the card",
                style="dim",
            ))


def show_missed(
    rows: Sequence[MissedCard],
    now: datetime,
    *,
    since: timedelta | None = None,
    json_output: bool = False,
    out: TextIO | None = None,
) -> None:
    """`review --list`: a table on a terminal, plain columns on a pipe, or JSON."""
    out = out or sys.stdout
    if json_output:
        from awsquiz.ui.tables import print_json

        print_json([row.to_dict() for row in rows], out)
        return
    if not rows:
        print(nothing_missed(since), file=out)
        return
    body = [
        [
            row.card.deck,
            row.card.id,
            _one_line(row.card.question),
            _one_line(row.picked) or "-",
            _times(row.times_missed),
            ago(row.progress.last_time, now),
            "leech" if row.leech else "",
        ]
        for row in rows
    ]
    if not is_terminal(out):
        print(plain_table(LIST_HEADERS, body), file=out)
        return
    # A block per card rather than a table: the question keeps its width at 80 columns.
    from rich.padding import Padding

    term = console(out)
    for row in rows:
        head = Text(" ")
        head.append(inert(row.card.deck), style="cyan")
        head.append(" / ", style="dim")
        head.append(inert(row.card.id), style="bold")
        head.append(f"  missed {_times(row.times_missed)} · {ago(row.progress.last_time, now)}",
                    style="dim")
        if row.leech:
            head.append(" · leech", style="bold red")
        term.print(head)
        term.print(Padding(_t(_one_line(row.card.question)), (0, 0, 0, 3)))
        if row.picked:
            term.print(Padding(Text.assemble(("you picked  ", "dim"),
                                             _t(_one_line(row.picked), "red")), (0, 0, 0, 3)))
    leeches = sum(row.leech for row in rows)
    footer = f"{len(rows)} missed card{'s' if len(rows) != 1 else ''}"
    if leeches:
        footer += f" · {leeches} leech{'es' if leeches != 1 else ''}"
    term.print(Text(f"{footer} · drill them: awsquiz review", style="dim"))
