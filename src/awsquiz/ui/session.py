"""A study turn on the screen: header, question panel, choices, feedback and the summary."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from awsquiz.model import Card, CardType
from awsquiz.ui import console, inert
from awsquiz.ui.text import plural, until

if TYPE_CHECKING:
    from rich.console import RenderableType

    from awsquiz.session.turn import Feedback, Summary, Turn


def _t(text: str, style: str = "") -> Text:
    """Card text as literal characters: never markup, never an escape sequence."""
    return Text(inert(text), style=style)


class RichTerminal:
    """The `Terminal` of study, review and exam sessions, on a Rich console."""

    def __init__(self, out: Console | None = None, stdin: TextIO | None = None) -> None:
        self.out = out or console()
        self.stdin: TextIO | None = stdin or sys.stdin  # None: started with stdin closed

    # Input ----------------------------------------------------------------------------------

    def prompt(self, text: str) -> None:
        self.out.print(Text(text, style="bold cyan"), end="")
        self.out.file.flush()

    def read_line(self) -> str | None:
        """One line of input; None at the end of input, which a closed or unreadable stdin
        is too."""
        try:
            line = self.next_line()
            piped = bool(line) and not self.stdin.isatty()  # type: ignore[union-attr]
        except (OSError, ValueError):  # closed, or the terminal went away
            line, piped = "", False
        if not line:
            self.out.print()
            return None
        if piped:
            self.out.print(Text(inert(line.rstrip("\n")), style="dim"))  # echo piped answers
        return line.rstrip("\r\n")

    def next_line(self) -> str:
        """The next line typed or piped, with its newline; '' at the end of input (or no
        input at all: stdin was closed)."""
        return self.stdin.readline() if self.stdin is not None else ""

    def show_problem(self, message: str) -> None:
        self.out.print(Text(f"  {inert(message)}", style="yellow"))

    def show_note(self, message: str) -> None:
        self.out.print(Text(f"  {inert(message)}", style="magenta"))

    # Output ---------------------------------------------------------------------------------

    def show_question(self, turn: Turn) -> None:
        self.out.print()
        self.hang(" ", self.header(turn))
        self.out.print(question_panel(turn, self.out.width))

    def header(self, turn: Turn) -> Text:
        """Where the session stands (shown after one space, and wrapped under itself)."""
        header = Text()
        header.append(inert(turn.card.deck), style="bold")
        header.append(f" · card {turn.position} of {turn.total}", style="dim")
        if turn.mode == "study":
            header.append(f" · {turn.due_left} due · {turn.new_left} new", style="dim")
        if turn.note:
            header.append(f" · {inert(turn.note)}", style="dim")
        return header

    def show_reveal(self, turn: Turn, typed: str) -> None:
        card = turn.card
        if typed:
            self.out.print(_diff_line(typed, card.answers[0]))
        self.hang(" answer  ", _t(card.answer, "bold green"))
        if card.explanation:
            self.out.print(Padding(_t(card.explanation), (0, 0, 0, 3)))
        self.source(card.source)

    def show_feedback(self, feedback: Feedback) -> None:
        answer, card = feedback.answer, feedback.answer.card
        if card.type.typed:
            # The answer was shown before the learner rated themself; say only what is next.
            if not answer.self_rated:
                self._typed_right(answer.picked if isinstance(answer.picked, str) else "", card)
                self._explain(feedback)
            self._comes_back(feedback)
            return
        if answer.right:
            self.out.print(Text(" ✓ Right.", style="bold green"))
        else:
            word = "answers are" if card.type is CardType.MULTI else "answer is"
            line = Text(f"The {word} ", style="bold red")
            line.append(inert(card.answer), style="bold")
            line.append(".", style="bold red")
            self.hang(" ✗ ", line, "bold red")
            picked = answer.picked if isinstance(answer.picked, tuple) else ()
            for choice in picked:
                if choice not in card.answers and card.why.get(choice):
                    note = Text(f"Why not {inert(choice)}: ", style="yellow")
                    note.append(inert(card.why[choice]))
                    self.hang("   ", note)
                elif choice not in card.answers and card.type is CardType.MULTI:
                    self.hang("   ", Text(f"{inert(choice)} is not one of them.", style="yellow"))
            for missing in (a for a in card.answers if a not in picked):
                if card.type is CardType.MULTI:
                    self.hang("   ", Text(f"You left out {inert(missing)}.", style="yellow"))
        self._explain(feedback)
        self._comes_back(feedback)

    def _typed_right(self, typed: str, card: Card) -> None:
        """A typed answer that counted; one taken through an `accept` variant is shown the
        card's own answer too."""
        from awsquiz.model.answer_text import normalize

        line = Text("Right.", style="bold green")
        if normalize(typed) not in {normalize(a) for a in card.answers}:
            line.append(" The answer is ", style="green")
            line.append(inert(card.answer), style="bold green")
            line.append(".", style="green")
        self.hang(" ✓ ", line, "bold green")

    def _explain(self, feedback: Feedback) -> None:
        card = feedback.answer.card
        if card.explanation:
            self.out.print(Padding(_t(card.explanation), (0, 0, 0, 3)))
        self.source(card.source)

    def source(self, source: str, label: str = "   source  ") -> None:
        """A card's web address: folded under itself on a terminal; piped, on one line,
        whole, for copying."""
        if not source:
            return
        url = _t(source, "dim underline")
        if self.out.is_terminal:
            self.hang(label, url, "dim")
        else:
            self.out.print(Text.assemble((label, "dim"), url), overflow="ignore", crop=False)

    def hang(self, lead: str, body: Text, style: str = "") -> None:
        """`lead`, then `body` wrapped under itself: a wrapped line keeps its indent, and a
        word too long for the line (a web address) is folded there."""
        if len(lead) + body.cell_len <= self.out.width:
            self.out.print(Text.assemble((lead, style), body))
            return
        from rich.table import Table

        grid = Table.grid(padding=0)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(Text(lead, style=style), body)
        self.out.print(grid)

    def _comes_back(self, feedback: Feedback) -> None:
        if feedback.comes_back is not None and feedback.turn.mode != "exam":
            when = until(feedback.comes_back, feedback.now)
            if feedback.days:  # a card in review: in the learner's days, as it is scheduled
                when = "tomorrow" if feedback.days == 1 else f"in {feedback.days} days"
            self.out.print(Text(f"   back {when}", style="dim"))

    def show_summary(self, summary: Summary, now: datetime) -> None:
        self.out.print()
        if summary.retention_change is not None:
            old, new = summary.retention_change
            self.out.print(Text(
                f" desired retention now {new:.2f} (was {old:.2f}), kept for next time",
                style="bold",
            ))
        if summary.nothing_to_do:
            self.out.print(Panel(all_done(summary, now), title=Text("All done"),
                                 title_align="left", border_style="green"))
            return
        lines = Text(
            f"answered {summary.answered} · right {summary.percent_right}% · "
            f"new {summary.new_learned}"
        )
        lines.append(f"\nmissed {len(summary.missed)}")
        if summary.next_due:
            lines.append(f" · next card due {until(summary.next_due, now)}")
        title = "Session stopped" if summary.interrupted else "Session done"
        self.summary_panel(lines, title, summary.answered)
        # Only a card whose last answer is still wrong is worth a drill.
        right_later = [c for c in summary.missed if c not in summary.still_missed]
        if right_later:
            self.out.print(Text.assemble((" missed, then right: ", "dim"),
                                         _t(", ".join(right_later), "dim")))
        self.listed("still missed", summary.still_missed, "drill them now: awsquiz review")
        self.listed(
            "skipped", summary.skipped,
            "no longer in their deck files (edited during the session); run awsquiz check",
        )
        self.listed("suspended", summary.suspended, "bring one back: awsquiz unsuspend DECK/ID")

    def summary_panel(self, lines: Text, title: str, answered: int) -> None:
        # A Text title: a str one is read as markup, which loads Rich's emoji table.
        self.out.print(Panel(lines, title=Text(title), title_align="left", border_style="green",
                             expand=False))
        if answered:
            self.out.print(Text(" every answer is saved", style="dim"))

    def listed(self, label: str, card_ids: list[str], hint: str) -> None:
        """Card ids under a label, and what to run about them."""
        if card_ids:
            self.out.print(Text.assemble(f" {label}: ", _t(", ".join(card_ids))))
            self.out.print(Text(f" {hint}", style="bold"))


def all_done(summary: Summary, now: datetime) -> Text:
    """Why a study session had nothing to show, and the command that gets more."""
    if summary.new_waiting == 0:
        text = Text("Nothing is due, and no new cards remain: every card has been started.")
        more = "Study ahead with: awsquiz study --all"
    elif summary.new_waiting == summary.new_buried and (
        summary.new_asked is not None or summary.new_today < summary.new_per_day
    ):
        text = Text(
            f"Nothing is due, and the {plural(summary.new_waiting, 'new card')} left "
            f"{'are siblings' if summary.new_waiting > 1 else 'is a sibling'} of cards answered "
            "today: they wait for tomorrow, so that one card does not give another away."
        )
        more = "Study ahead with: awsquiz study --all"
    elif summary.new_asked is not None:
        text = Text(f"Nothing is due, and --new {summary.new_asked} asked for no new cards "
                    f"({plural(summary.new_waiting, 'new card')} waiting).")
        more = "More new cards now: awsquiz study --new 5"
    else:
        text = Text(
            f"Nothing is due, and today's new cards are done: {summary.new_today} started "
            f"today, the daily number is {summary.new_per_day} "
            f"({plural(summary.new_waiting, 'new card')} waiting)."
        )
        more = "More new cards now: awsquiz study --new 5 · study ahead: awsquiz study --all"
    if summary.next_due:
        text.append(f"\nThe next card is due {until(summary.next_due, now)}.")
    text.append(f"\n{more}", style="dim")
    return text


def question_panel(turn: Turn, width: int) -> Panel:
    """The question with its numbered choices; a short question goes in the panel's title."""
    card = turn.card
    body: list[RenderableType] = []
    inner = width - 4  # the panel's borders and padding
    if any(len(choice) + 5 > inner for choice in turn.choices):
        # A long choice wraps under its own text, not under its number.
        from rich.table import Table

        grid = Table.grid(padding=0)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for number, choice in enumerate(turn.choices, 1):
            grid.add_row(Text(f" {number:>2}  ", style="bold"), _t(choice))
        body.append(grid)
    else:
        for number, choice in enumerate(turn.choices, 1):
            line = Text(f" {number:>2}  ", style="bold")
            line.append(inert(choice))
            body.append(line)
    if card.type is CardType.MULTI:
        body.append(Text(f"select {len(card.answers)}", style="dim italic"))
    if not body:
        what = "the hidden text" if card.type is CardType.CLOZE else "your answer"
        hint = "" if turn.mode == "exam" else ", or press Enter to see it"
        body.append(Text(f"type {what}{hint}", style="dim italic"))
    if len(card.question) <= max(20, width - 8) and "\n" not in card.question:
        return Panel(Group(*body), title=_t(card.question, "bold"), title_align="left",
                     border_style="blue", padding=(0, 1))
    return Panel(Group(_t(card.question, "bold"), Text(""), *body), border_style="blue",
                 padding=(0, 1))


def _diff_line(typed: str, answer: str) -> Text:
    from difflib import SequenceMatcher

    from awsquiz.session.grading import diff

    line = Text(" you typed  ")
    if SequenceMatcher(a=typed.lower(), b=answer.lower()).ratio() < 0.5:
        line.append(inert(typed), style="red")  # too different for a useful mark-up
        return line
    for kind, run in diff(typed, answer):
        if kind == "same":
            line.append(inert(run), style="green")
        elif kind == "wrong":
            line.append(inert(run), style="red strike")
        else:
            line.append(inert(run), style="yellow underline")
    return line

