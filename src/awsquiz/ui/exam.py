"""A mock exam on the screen: the start, each question (no feedback), and the result."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.panel import Panel
from rich.text import Text

from awsquiz.model import CardType
from awsquiz.session.exam import clock_text
from awsquiz.session.turn import TimeUp
from awsquiz.ui import inert, plain_table
from awsquiz.ui.session import RichTerminal
from awsquiz.ui.timed_input import TimedLines, timed_lines

if TYPE_CHECKING:
    from rich.console import RenderableType

    from awsquiz.session.exam import Exam, Miss, Report, Tally
    from awsquiz.session.turn import Turn

_LABEL = 16  # "   right answers"
TOP_TAGS = 5  # the tags with misses shown, weakest first


def _t(text: str, style: str = "") -> Text:
    """Card text as literal characters: never markup, never an escape sequence."""
    return Text(inert(text), style=style)


class ExamTerminal(RichTerminal):
    """The exam's screen: RichTerminal's input and question panel, with an exam header; a
    prompt that waits past the deadline ends the exam (`TimeUp`)."""

    _deadline: float | None = None  # time.monotonic() at which the exam's time is up
    _timed: TimedLines | None = None
    _started_timing = False

    def show_question(self, turn: Turn) -> None:
        super().show_question(turn)
        if turn.seconds_left is not None:
            self._deadline = time.monotonic() + turn.seconds_left

    def next_line(self) -> str:
        if not self._started_timing:
            self._started_timing = True
            self._timed = timed_lines(self.stdin)
        if self._timed is None or self._deadline is None:
            return super().next_line()
        # A moment past the deadline, so that the exam's clock agrees the time is up.
        left = max(0.0, self._deadline - time.monotonic()) + 0.05
        try:
            return self._timed.read(left)
        except TimeoutError:
            raise TimeUp from None

    def show_exam_start(self, exam: Exam) -> None:
        decks = ", ".join(dict.fromkeys(q.card.deck for q in exam.questions))
        lines = Text(
            f"{exam.total} question{'s' if exam.total != 1 else ''} · "
            f"{clock_text(exam.timer.seconds)} · pass mark {exam.pass_mark}%"
        )
        lines.append("\ndecks: ")
        lines.append(inert(decks))
        if exam.requested > exam.total:
            lines.append(
                f"\nonly {exam.total} choice, multi and cloze cards in these decks "
                f"(asked for {exam.requested}): the exam has all of them",
                style="yellow",
            )
        lines.append(
            "\nno feedback until the end · f flags a question for later · q ends the exam",
            style="dim",
        )
        self.out.print(Panel(lines, title=Text("Mock exam"), title_align="left",
                             border_style="blue", expand=False))

    def header(self, turn: Turn) -> Text:
        header = Text()
        # No deck name: it would hint at the answer.
        header.append(f"question {turn.position} of {turn.total}", style="bold")
        if turn.note:
            header.append(f" · {inert(turn.note)}", style="dim")
        return header

    def show_time_up(self, late_answer: bool) -> None:
        self.out.print()
        message = " Time is up."
        if late_answer:
            message += " That answer came after the deadline and is not counted."
        self.out.print(Text(message, style="bold yellow"))

    def show_exam_result(self, report: Report) -> None:
        """The breakdown, the tags missed most, every miss, and the score last, where the
        screen ends."""
        if report.answered or not report.abandoned:
            if len(report.by_deck) > 1:
                self._breakdown("deck", report.by_deck)
            missed_tags = [t for t in report.by_tag if t.right < t.total][:TOP_TAGS]
            self._breakdown("tag", missed_tags)
        self._misses(report)
        self.out.print()
        self.out.print(_score_panel(report))
        if report.answered:
            self.out.print(Text(" every answer is saved", style="dim"))
        if any(miss.picked is not None for miss in report.misses):
            # Only answers given are reviews: a question left unanswered has nothing to drill.
            self.out.print(Text(" drill them now: awsquiz review", style="bold"))

    def _breakdown(self, kind: str, tallies: list[Tally]) -> None:
        if not tallies:
            return
        headers = [kind, "right", "of", "%"]
        rows = [[t.name, t.right, t.total, f"{t.percent}%"] for t in tallies]
        self.out.print()
        if not self.out.is_terminal:
            self.out.print(Text(plain_table(headers, rows)))
            return
        from rich.table import Table

        table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1, 0, 1))
        for index, header in enumerate(headers):
            table.add_column(header, justify="left" if index == 0 else "right")
        for tally, row in zip(tallies, rows, strict=True):
            style = "red" if tally.percent < 50 else ""
            table.add_row(*(Text(inert(str(cell)), style=style) for cell in row))
        self.out.print(table)

    def _misses(self, report: Report) -> None:
        if not report.misses:
            return
        self.out.print()
        self.out.print(Text(f" missed {len(report.misses)}", style="bold"))
        for miss in report.misses:
            self.out.print()
            for part in _miss_lines(miss):
                self.out.print(part)
            self.source(miss.question.card.source, f"{'   source':<{_LABEL + 1}}")


def _score_panel(report: Report) -> Panel:
    used = clock_text(report.result.seconds_used)
    allowed = clock_text(report.result.seconds_allowed)
    if report.abandoned:
        lines = Text(
            f"ended after {report.answered} of {report.questions} questions · "
            f"{report.right} right so far"
        )
        lines.append("\nabandoned: not scored", style="bold yellow")
        title, border = "Exam abandoned", "yellow"
    else:
        lines = Text(f"score {report.percent}% · {report.right}/{report.questions} right · ")
        if report.passed:
            lines.append("PASS", style="bold green")
        else:
            lines.append("FAIL", style="bold red")
        lines.append(f" (pass mark {report.result.pass_mark}%)")
        if report.unanswered:
            lines.append(f"\n{report.unanswered} not answered (counted wrong)")
        title = "Exam done" if report.ending == "done" else "Time is up"
        border = "green" if report.passed else "red"
    lines.append(f"\ntime used {used} of {allowed}")
    return Panel(lines, title=Text(title), title_align="left", border_style=border,
                 expand=False)


def _miss_lines(miss: Miss) -> list[RenderableType]:
    """One miss: the question, the right answer, the pick, why not, the explanation and the
    source, in grids so long text wraps under itself."""
    from rich.table import Table

    card = miss.question.card
    head = Table.grid(padding=(0, 1, 0, 0))
    head.add_column(no_wrap=True)
    head.add_column()
    head.add_row(Text(f" ✗ {miss.question.number}.", style="bold red"), _t(card.question, "bold"))
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True, min_width=_LABEL)
    grid.add_column()
    word = "answers" if card.type is CardType.MULTI else "answer"
    grid.add_row(Text(f"   right {word}"), _t(card.answer, "bold green"))
    if miss.picked is None:
        grid.add_row(Text("   you picked"), Text("not answered", style="yellow"))
    else:
        verb = "you typed" if card.type is CardType.CLOZE else "you picked"
        grid.add_row(Text(f"   {verb}"), _t(", ".join(miss.picked), "red"))
        for choice in miss.picked:
            reason = card.why.get(choice, "")
            if choice not in card.answers and reason:
                grid.add_row(Text("   why not", style="yellow"),
                             Text.assemble(_t(choice, "yellow"), ": ", _t(reason)))
    if card.explanation:
        grid.add_row(Text("   why"), _t(card.explanation))
    return [head, grid]
