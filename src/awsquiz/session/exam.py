"""Mock exams, pure: drawing the questions, the timer, flagging and scoring.

The clock is passed in; the terminal is reached only through `ExamScreen`, so an exam runs
the same in a real terminal, over a pipe and in tests. Only cards that grade themselves
are asked: choice, multi, and cloze (right when the typed text matches). There is no
right/wrong feedback until the end.

The time limit is checked before each question is shown and when each answer is given, and
the terminal ends a prompt still waiting at the deadline (`TimeUp`): an answer given after
the deadline is not counted, and every question without a counted answer is wrong once the
time is up.
"""

from __future__ import annotations

import math
import os
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model import Card, Deck
from awsquiz.model.exam_result import ExamResult
from awsquiz.model.times import iso
from awsquiz.session.grading import grade_choices, typed_is_right
from awsquiz.session.turn import Terminal, shuffled_choices

DEFAULT_QUESTIONS = 20
SECONDS_PER_QUESTION = 90
DEFAULT_PASS_MARK = 70

Ending = Literal["done", "time", "abandoned"]


# Options ------------------------------------------------------------------------------------


MAX_MINUTES = 100_000


def check_options(questions: int, minutes: float | None, pass_mark: int) -> None:
    """Usage errors (exit 2) for options out of range."""
    if questions < 1:
        raise AwsquizError(
            f"--questions {questions}: an exam needs at least 1 question",
            hint="for example --questions 20", exit_code=EXIT_USAGE,
        )
    if minutes is not None and not (0 < minutes <= MAX_MINUTES and math.isfinite(minutes)):
        raise AwsquizError(
            f"--minutes {minutes:g}: the time limit must be more than 0 minutes, "
            f"up to {MAX_MINUTES:,} (about ten weeks)",
            hint="for example --minutes 30 (default: 90 seconds a question)",
            exit_code=EXIT_USAGE,
        )
    if not 0 < pass_mark <= 100:
        raise AwsquizError(
            f"--pass {pass_mark}: the pass mark is a percentage above 0, up to 100",
            hint="for example --pass 70", exit_code=EXIT_USAGE,
        )


def seconds_allowed(questions: int, minutes: float | None) -> int:
    if minutes is None:
        return SECONDS_PER_QUESTION * questions
    return max(1, round(minutes * 60))


# Drawing ------------------------------------------------------------------------------------


def draw(decks: Sequence[Deck], count: int, rng: random.Random) -> list[Card]:
    """Up to `count` exam cards (choice, multi, cloze), balanced across decks, in a shuffled order.

    Each deck's cards are shuffled, then taken one deck at a time in turn (the turn order is
    shuffled too, so no deck always gets the extra card); a deck that runs out leaves its
    turns to the others. With fewer cards than `count`, every card is drawn.
    """
    pools: list[deque[Card]] = []
    for deck in decks:
        cards = [card for card in deck.cards if card.type.in_exam]
        rng.shuffle(cards)
        if cards:
            pools.append(deque(cards))
    rng.shuffle(pools)
    drawn: list[Card] = []
    while len(drawn) < count and pools:
        for pool in list(pools):
            if len(drawn) == count:
                break
            drawn.append(pool.popleft())
            if not pool:
                pools.remove(pool)
    rng.shuffle(drawn)
    return drawn


@dataclass(frozen=True)
class Question:
    """One exam question: its number, card and choices in the order shown."""

    number: int  # 1-based, fixed for the whole exam
    card: Card
    choices: tuple[str, ...]  # in the order shown


def plan(decks: Sequence[Deck], count: int, seed: int | None) -> list[Question]:
    """The exam's questions and their choice order; the same seed gives the same exam."""
    rng = random.Random(seed)
    cards = draw(decks, count, rng)
    return [Question(n, card, shuffled_choices(card, rng)) for n, card in enumerate(cards, 1)]


# The timer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timer:
    """When the exam started and how long it may take."""

    started: datetime
    seconds: int  # allowed

    @property
    def deadline(self) -> datetime:
        return self.started + timedelta(seconds=self.seconds)

    def expired(self, now: datetime) -> bool:
        return now >= self.deadline

    def left(self, now: datetime) -> float:
        return max(0.0, (self.deadline - now).total_seconds())

    def used(self, now: datetime) -> int:
        return min(self.seconds, max(0, round((now - self.started).total_seconds())))


def clock_text(seconds: float) -> str:
    """mm:ss, rounded up so 0:00 shows only when the time is over."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


# The exam -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """The answer given to one question."""

    picked: tuple[str, ...]
    right: bool


@dataclass(frozen=True)
class Tally:
    """Right answers out of a total, for one deck or tag."""

    name: str
    right: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


@dataclass(frozen=True)
class Miss:
    """A question answered wrong or not at all."""

    question: Question
    picked: tuple[str, ...] | None  # None: not answered


@dataclass(frozen=True)
class Report:
    """The end of an exam, for the screen and for the saved result."""

    result: ExamResult
    ending: Ending
    requested: int  # questions asked for; more than `questions` when the decks ran short
    answered: int
    by_deck: list[Tally]
    by_tag: list[Tally]
    misses: list[Miss]  # wrong answers, then (when the exam ended) unanswered questions
    unanswered: int
    late_answer: bool = False  # the last answer came after the deadline and was not counted

    @property
    def questions(self) -> int:
        return self.result.questions

    @property
    def right(self) -> int:
        return self.result.right

    @property
    def percent(self) -> int:
        return self.result.percent

    @property
    def passed(self) -> bool:
        return self.result.passed

    @property
    def abandoned(self) -> bool:
        return self.ending == "abandoned"


@dataclass
class Exam:
    """Which questions are left, which are flagged, and the answers counted so far."""

    questions: list[Question]
    timer: Timer
    pass_mark: int = DEFAULT_PASS_MARK
    requested: int = 0
    given: dict[int, Given] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
    ending: Ending | None = None
    ended_at: datetime | None = None
    late_answer: bool = False
    _queue: deque[int] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self._queue = deque(q.number for q in self.questions)
        self.requested = self.requested or len(self.questions)

    @property
    def total(self) -> int:
        return len(self.questions)

    def next(self, now: datetime) -> Question | None:
        """The question to show now: the first pass in order, then flagged ones in the order
        they were flagged. None when the exam is over (every question answered, time up,
        or abandoned)."""
        if self.ending is not None:
            return None
        if self.timer.expired(now):
            self._end("time", now)
            return None
        if not self._queue:
            self._end("done", now)
            return None
        return self.questions[self._queue[0] - 1]

    def flag(self, number: int) -> None:
        """Move on without answering; the question comes back before the end."""
        self._queue.remove(number)
        self._queue.append(number)
        self.flagged.add(number)

    def answer(self, number: int, picked: Sequence[str] | str, now: datetime) -> bool | None:
        """Count an answer (the choices picked, or a cloze's typed text): True if right,
        False if wrong; None if it came after the deadline, which is not counted and ends
        the exam."""
        if self.ending is not None:
            return None
        if self.timer.expired(now):
            self.late_answer = True
            self._end("time", now)
            return None
        question = self.questions[number - 1]
        if isinstance(picked, str):
            right = typed_is_right(question.card, picked)
            self.given[number] = Given((picked,), right)
            self._queue.remove(number)
            return right
        graded = grade_choices(question.card, picked)
        self.given[number] = Given(graded.picked, graded.right)
        self._queue.remove(number)
        return graded.right

    def time_up(self, now: datetime) -> None:
        """The deadline passed while a question waited for its answer."""
        if self.ending is None:
            self._end("time", max(now, self.timer.deadline))

    def abandon(self, now: datetime) -> None:
        if self.ending is None:
            self._end("abandoned", now)

    def _end(self, ending: Ending, now: datetime) -> None:
        self.ending, self.ended_at = ending, now

    def was_flagged(self, number: int) -> bool:
        return number in self.flagged

    def report(self, now: datetime) -> Report:
        """The score. Unanswered questions count as wrong, except in an abandoned exam,
        whose breakdown covers only the questions answered."""
        ending: Ending = self.ending or "abandoned"
        ended_at = self.ended_at or now
        counted = (
            [q for q in self.questions if q.number in self.given]
            if ending == "abandoned"
            else self.questions
        )
        right = sum(1 for g in self.given.values() if g.right)
        decks: dict[str, list[int]] = {}
        tags: dict[str, list[int]] = {}
        for question in counted:
            score = int(self._right(question.number))
            _add(decks, question.card.deck, score)
            for tag in dict.fromkeys(tag.casefold() for tag in question.card.tags):
                _add(tags, tag, score)  # tags match whatever their case
        misses = [
            Miss(q, self.given[q.number].picked)
            for q in self.questions
            if q.number in self.given and not self.given[q.number].right
        ]
        unanswered = [q for q in self.questions if q.number not in self.given]
        if ending != "abandoned":
            misses += [Miss(q, None) for q in unanswered]
        result = ExamResult(
            id=os.urandom(12).hex(),
            time=iso(self.timer.started),
            decks=tuple(dict.fromkeys(q.card.deck for q in self.questions)),
            questions=self.total,
            right=right,
            pass_mark=self.pass_mark,
            seconds_used=self.timer.used(ended_at),
            seconds_allowed=self.timer.seconds,
            abandoned=ending == "abandoned",
        )
        return Report(
            result=result,
            ending=ending,
            requested=self.requested,
            answered=len(self.given),
            by_deck=_tallies(decks),
            by_tag=_tallies(tags),
            misses=misses,
            unanswered=len(unanswered),
            late_answer=self.late_answer,
        )

    def _right(self, number: int) -> bool:
        given = self.given.get(number)
        return given is not None and given.right


def _add(table: dict[str, list[int]], name: str, right: int) -> None:
    entry = table.setdefault(name, [0, 0])
    entry[0] += right
    entry[1] += 1


def _tallies(table: dict[str, list[int]]) -> list[Tally]:
    """Weakest first, then by name."""
    rows = [Tally(name, right, total) for name, (right, total) in table.items()]
    return sorted(rows, key=lambda t: (t.right / t.total, t.name))


# Running an exam ----------------------------------------------------------------------------


class ExamScreen(Terminal, Protocol):
    def show_exam_start(self, exam: Exam) -> None: ...
    def show_time_up(self, late_answer: bool) -> None: ...
    def show_exam_result(self, report: Report) -> None: ...
