"""One turn of a session as the terminal sees it: the card shown, the answer given, what is
shown after it, and the summary at the end; and the `Terminal` protocol that shows them."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from awsquiz.model import Card, Rating


@dataclass(frozen=True)
class Turn:
    """One card as shown: its choices in the order shown, and where the session stands."""

    card: Card
    choices: tuple[str, ...]
    position: int  # 1-based
    total: int
    due_left: int = 0
    new_left: int = 0
    mode: str = "study"
    note: str = ""  # e.g. the time left in an exam
    seconds_left: float | None = None  # an exam's time left: the prompt ends with it


class TimeUp(Exception):
    """Raised by a terminal's `read_line` when an exam's time ran out at the prompt."""


@dataclass(frozen=True)
class Answer:
    """The learner's answer to one card, graded."""

    card: Card
    right: bool
    rating: Rating
    picked: tuple[str, ...] | str | None  # choices picked, or the typed text
    ms: int
    self_rated: bool = False  # a basic card the learner rated after seeing the answer


@dataclass(frozen=True)
class Feedback:
    """What is shown after an answer: how it went and when the card comes back."""

    answer: Answer
    turn: Turn
    comes_back: datetime | None  # when the card is due again
    now: datetime
    days: int | None = None  # the learner's calendar days until then, for a card in review


@dataclass
class Summary:
    """How a session went, for the panel at its end."""

    answered: int = 0
    right: int = 0
    new_learned: int = 0
    missed: list[str] = field(default_factory=list)  # card ids, in the order missed
    still_missed: list[str] = field(default_factory=list)  # of those, last answered wrong
    next_due: datetime | None = None
    interrupted: bool = False
    nothing_to_do: bool = False
    skipped: list[str] = field(default_factory=list)  # keys no longer in their decks
    # Why no new card came (study): how many wait, how many were started today, the daily
    # number, and the number asked for with --new (None: the daily number applied).
    new_waiting: int = 0
    new_today: int = 0
    new_buried: int = 0  # new cards waiting because a sibling was answered today
    new_per_day: int = 10
    new_asked: int | None = None
    retention_change: tuple[float, float] | None = None  # (old, new) desired retention
    suspended: list[str] = field(default_factory=list)  # card keys suspended in the session

    @property
    def percent_right(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0

    def saved(self) -> Summary:
        """A copy of the counts so far, to go back to when an answer is undone."""
        return copy.deepcopy(self)

    def restore(self, saved: Summary) -> None:
        """The counts of `saved` again (an undo); the cards suspended meanwhile stay so."""
        suspended = self.suspended
        self.__dict__.update(copy.deepcopy(saved).__dict__)
        self.suspended = suspended

    def count(self, answer: Answer, *, first_time: bool) -> None:
        """Count one saved answer."""
        self.answered += 1
        self.right += answer.right
        self.new_learned += first_time
        card_id = answer.card.id
        if not answer.right and card_id not in self.missed:
            self.missed.append(card_id)
        if not answer.right and card_id not in self.still_missed:
            self.still_missed.append(card_id)
        elif answer.right and card_id in self.still_missed:
            self.still_missed.remove(card_id)


class Terminal(Protocol):
    """Where a session is shown and answered: a Rich console, a pipe, or a test's script."""

    def show_question(self, turn: Turn) -> None: ...
    def prompt(self, text: str) -> None: ...
    def read_line(self) -> str | None: ...  # None: the end of input
    def show_problem(self, message: str) -> None: ...
    def show_note(self, message: str) -> None: ...  # an undo, a suspension, a leech
    def show_reveal(self, turn: Turn, typed: str) -> None: ...
    def show_feedback(self, feedback: Feedback) -> None: ...
    def show_summary(self, summary: Summary, now: datetime) -> None: ...


def shuffled_choices(card: Card, rng: random.Random) -> tuple[str, ...]:
    choices = list(card.choices)
    rng.shuffle(choices)
    return tuple(choices)
