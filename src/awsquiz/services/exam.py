"""`awsquiz exam`: a timed mock exam; every counted answer saved as an "exam" review, and the
result saved to the exam log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from awsquiz.errors import AwsquizError
from awsquiz.model import Review
from awsquiz.services.loop import LoadLater, ready_for_answers, run_session
from awsquiz.services.where import Where
from awsquiz.session.exam import (
    DEFAULT_PASS_MARK,
    DEFAULT_QUESTIONS,
    Exam,
    ExamScreen,
    Report,
    Timer,
    check_options,
    clock_text,
    plan,
    seconds_allowed,
)
from awsquiz.session.selection import narrow
from awsquiz.session.turn import Answer, Turn
from awsquiz.store.exam_log import save_result
from awsquiz.store.store import Store
from awsquiz.system import paths


class _Sitting:
    """The `Session` of an exam: no feedback, flagging, and the timer's deadline."""

    allow_flag = True
    allow_undo = False  # exams are exams: an answer stands
    feedback = False

    def __init__(self, exam: Exam, store: Store, terminal: ExamScreen) -> None:
        self.exam = exam
        self.store = store
        self.terminal = terminal
        self.report: Report | None = None
        self.problem: AwsquizError | None = None

    def next_turn(self, now: datetime) -> Turn | None:
        question = self.exam.next(now)
        if question is None:
            return None
        note = f"{clock_text(self.exam.timer.left(now))} left"
        if self.exam.was_flagged(question.number):
            note += " · flagged"
        return Turn(
            card=question.card, choices=question.choices, position=question.number,
            total=self.exam.total, mode="exam", note=note,
            seconds_left=self.exam.timer.left(now),
        )

    def accepts(self, turn: Turn, answer: Answer, now: datetime) -> bool:
        """Counted unless it came after the deadline (which ends the exam)."""
        picked = answer.picked if answer.picked is not None else ()
        return self.exam.answer(turn.position, picked, now) is not None

    def answered(self, turn: Turn, answer: Answer, review: Review, first: bool) -> None:
        pass  # counted by `accepts`; the result says how it went

    def flag(self, turn: Turn) -> None:
        self.exam.flag(turn.position)

    def checkpoint(self) -> object:
        return None

    def rewind(self, saved: object) -> None:
        raise AssertionError("an exam answer cannot be undone")

    def drop(self, key: str) -> None:
        raise AssertionError("an exam does not suspend its questions")

    def quit(self, now: datetime, *, interrupted: bool) -> None:
        self.exam.abandon(now)

    def time_up(self, now: datetime) -> None:
        self.exam.time_up(now)

    def finish(self, now: datetime) -> None:
        if self.exam.ending == "time":
            self.terminal.show_time_up(self.exam.late_answer)
        self.report = self.exam.report(now)
        try:
            save_result(self.store.folder, self.store.machine, self.report.result)
        except AwsquizError as error:
            self.problem = error  # raised once the result is on the screen
        self.terminal.show_exam_result(self.report)


def run_exam(
    where: Where,
    selection: Sequence[str],
    terminal: ExamScreen,
    *,
    questions: int = DEFAULT_QUESTIONS,
    minutes: float | None = None,
    pass_mark: int = DEFAULT_PASS_MARK,
    seed: int | None = None,
    clock: Callable[[], datetime] | None = None,
    tags: Sequence[str] = (),
) -> Report:
    """Ask the questions, save every counted answer as an "exam" review, save the result.

    `q` or the end of input abandons the exam (the answers given are kept); so does Ctrl-C,
    after which KeyboardInterrupt is raised again once the result is saved and shown.
    """
    check_options(questions, minutes, pass_mark)
    library = where.library(selection)
    store = where.store()
    kept = {c.key for c in narrow(library.cards(), tags, store.marks.suspended)}
    decks = [replace(d, cards=tuple(c for c in d.cards if c.key in kept)) for d in library.decks]
    drawn = plan(decks, questions, seed)
    if not drawn:
        names = ", ".join(deck.id for deck in library.decks) or "none"
        raise AwsquizError(
            f"no choice, multi or cloze cards in the chosen decks ({names})"
            + (f" tagged {', '.join(tags)}" if tags else "")
            + (" that are not suspended" if store.marks.suspended else ""),
            hint="an exam asks only cards that grade themselves (type: choice, multi, cloze)",
        )
    scheduler = ready_for_answers(store, None)
    clock = clock or paths.clock()
    exam = Exam(
        drawn, Timer(clock(), seconds_allowed(len(drawn), minutes)), pass_mark, questions
    )
    terminal.show_exam_start(exam)
    sitting = _Sitting(exam, store, terminal)
    run_session(sitting, terminal, LoadLater(store, loaded=True), scheduler, clock, where.warn)
    if sitting.problem is not None:
        raise sitting.problem
    assert sitting.report is not None
    return sitting.report
