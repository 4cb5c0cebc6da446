"""Running a study session: one turn after another, every answer saved before the next card.

The terminal is reached only through the `Terminal` protocol, so sessions run the same in a
real terminal, over a pipe and in tests.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol

from awsquiz import config as settings
from awsquiz import glance, paths
from awsquiz.library import CardShelf
from awsquiz.model import Card, CardState, CardType, Rating, Review
from awsquiz.scheduler import Scheduler
from awsquiz.service import Where, decks_and_progress
from awsquiz.session import DEFAULT_NEW_PER_DAY, plan_study
from awsquiz.store import Store, new_review_id

QUIT = "q"
FLAG = "f"
_TICK = timedelta(microseconds=1)


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


@dataclass
class Summary:
    """How a session went, for the panel at its end."""

    answered: int = 0
    right: int = 0
    new_learned: int = 0
    missed: list[str] = field(default_factory=list)  # card keys, in the order missed
    next_due: datetime | None = None
    interrupted: bool = False
    nothing_to_do: bool = False

    @property
    def percent_right(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0


class Terminal(Protocol):
    def show_question(self, turn: Turn) -> None: ...
    # None: end of input. `meanwhile` is run once the prompt is on the screen, before the
    # terminal waits for the answer: work the learner need not wait for.
    def read(
        self, prompt: str, *, meanwhile: Callable[[], object] | None = None
    ) -> str | None: ...
    def show_problem(self, message: str) -> None: ...
    def show_reveal(self, turn: Turn, typed: str) -> None: ...
    def show_feedback(self, feedback: Feedback) -> None: ...
    def show_summary(self, summary: Summary, now: datetime) -> None: ...


def shuffled_choices(card: Card, rng: random.Random) -> tuple[str, ...]:
    choices = list(card.choices)
    rng.shuffle(choices)
    return tuple(choices)


def ask(
    terminal: Terminal,
    turn: Turn,
    *,
    allow_flag: bool = False,
    reveal: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> Answer | Literal["flag"] | None:
    """Show a card and read the learner's answer; None when they quit or input ends.
    `meanwhile` is run once, when the card and its prompt are on the screen.

    A response that names no choice is explained and asked again; nothing is recorded for it.
    """
    terminal.show_question(turn)
    _collect_from_now_on()
    # Grading is loaded while the learner reads: the first card is shown without it.
    from awsquiz.grading import Unreadable, grade_choices, pick_choices, typed_is_right

    card = turn.card
    started = time.monotonic()
    if card.type is CardType.BASIC:
        prompt = "your answer (Enter shows it; q quits) › "
    elif card.type is CardType.CHOICE:
        prompt = "answer (number or text; q quits) › "
    else:
        prompt = "answers (numbers or texts, commas between; q quits) › "
    if allow_flag:
        prompt = prompt.replace("q quits", "f flags, q quits")
    while True:
        response = terminal.read(prompt, meanwhile=meanwhile)
        meanwhile = None
        if response is None or response.strip().lower() == QUIT:
            return None
        if allow_flag and response.strip().lower() == FLAG:
            return "flag"
        ms = int((time.monotonic() - started) * 1000)
        if card.type is not CardType.BASIC:
            try:
                picked = pick_choices(
                    response, turn.choices, many=card.type is CardType.MULTI
                )
            except Unreadable as problem:
                terminal.show_problem(str(problem))
                continue
            graded = grade_choices(card, picked)
            return Answer(card, graded.right, graded.rating, graded.picked, ms)
        typed = response.strip()
        if typed and typed_is_right(card, typed):
            return Answer(card, True, Rating.GOOD, typed, ms)
        if reveal:
            terminal.show_reveal(turn, typed)
        rating = _read_rating(terminal)
        if rating is None:
            return None
        return Answer(card, rating is not Rating.AGAIN, rating, typed or None, ms, self_rated=True)


def _collect_from_now_on() -> None:
    """The garbage collector back on (the command line pauses it while a command starts),
    with what start-up made set aside, so that turning it on costs nothing now."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _read_rating(terminal: Terminal) -> Rating | None:
    from awsquiz.grading import Unreadable, self_rating

    while True:
        response = terminal.read("how well did you know it? 1 Again 2 Hard 3 Good 4 Easy › ")
        if response is None or response.strip().lower() == QUIT:
            return None
        try:
            return self_rating(response)
        except Unreadable as problem:
            terminal.show_problem(str(problem))


def record(
    store: Store,
    scheduler: Scheduler,
    answer: Answer,
    previous: CardState | None,
    now: datetime,
    kind: str,
) -> Review:
    """Schedule the card from the answer and save the review before anything else happens.

    A card's reviews are kept in answer order even when the clock is pinned (AWSQUIZ_NOW) or
    stepped back: the newest review of a card is the one its state follows.
    """
    if previous is not None and previous.last_review is not None:
        now = max(now, paths.from_iso(previous.last_review) + _TICK)
    state = scheduler.review(previous, answer.rating, now)
    review = Review(
        id=new_review_id(),
        deck=answer.card.deck,
        card=answer.card.id,
        time=paths.iso(now),
        rating=answer.rating,
        right=answer.right,
        picked=answer.picked,
        ms=answer.ms,
        state=state,
        kind=kind,
    )
    store.append(review)
    return review


def save_and_tell(
    store: Store,
    scheduler: Scheduler,
    terminal: Terminal,
    turn: Turn,
    answer: Answer,
    now: datetime,
    summary: Summary,
) -> Review:
    """Save the answer, count it in the session's summary, then show how it went."""
    previous = store.progress.get(answer.card.key)
    review = record(
        store, scheduler, answer, previous.state if previous else None, now, turn.mode
    )
    summary.answered += 1
    summary.right += answer.right
    summary.new_learned += previous is None
    if not answer.right and answer.card.id not in summary.missed:
        summary.missed.append(answer.card.id)
    terminal.show_feedback(Feedback(answer, turn, paths.from_iso(review.state.due), now))
    return review


def next_due(dues: Iterable[str], now: datetime) -> datetime | None:
    """The soonest of these due times (ISO text) after `now`."""
    now_text = paths.iso(now)
    later = [due for due in dues if due > now_text]
    return paths.from_iso(min(later)) if later else None


def ready_for_answers(store: Store, retention: float | None) -> Scheduler:
    """Check now, before the first card, that answers can be saved; the learner's scheduler
    (a `retention` given is kept for next time)."""
    store.ensure_writable()
    saved = settings.load(store.folder)
    if retention is not None and retention != saved.retention:
        settings.save(store.folder, settings.Config(retention=settings.check_retention(retention)))
        saved = settings.Config(retention=retention)
    return Scheduler(saved.retention)


def open_for_answers(where: Where, retention: float | None) -> tuple[Store, Scheduler]:
    """The store, read and checked writable before the first card, and the scheduler."""
    store = where.store()
    return store, ready_for_answers(store, retention)


class LoadLater:
    """A store read only once the first card is on the screen: a session plans its queue
    from the cached glances, which need no store, and the learner reads the card while the
    store is read (`load` before its progress is used; it reads once)."""

    def __init__(self, store: Store, *, loaded: bool = False) -> None:
        self.store = store
        self._loaded = loaded

    def load(self) -> Store:
        if not self._loaded:
            self.store.load()
            self._loaded = True
        return self.store


def run_study(
    where: Where,
    selection: Sequence[str],
    terminal: Terminal,
    *,
    new_per_day: int = DEFAULT_NEW_PER_DAY,
    limit: int | None = None,
    include_all: bool = False,
    seed: int | None = None,
    retention: float | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Summary:
    decks, glances = decks_and_progress(where, selection, lambda: glance.read(where))
    later = LoadLater(glances.store or where.store(load=False), loaded=bool(glances.store))
    scheduler = ready_for_answers(later.store, retention)
    keys = [key for deck in decks for key in deck.keys]
    cards = CardShelf(decks)
    clock = clock or paths.clock()
    rng = random.Random(seed)
    queue = plan_study(
        keys, glances.cards, scheduler, clock(), rng,
        new_per_day=new_per_day, limit=limit, include_all=include_all,
    )
    summary = Summary(nothing_to_do=queue.peek(clock()) is None)
    if summary.nothing_to_do:
        dues = [seen[glance.DUE] for key in keys if (seen := glances.cards.get(key))]
        summary.next_due = next_due(dues, clock())
    del glances  # the store, read once the first card is up, holds the rest
    # "card 3 of 10" counts the session's cards; a card back from its learning step says so.
    shown: list[str] = []
    total = queue.left
    try:
        while (key := queue.peek(clock())) is not None:
            card = cards[key]
            again = key in shown
            if not again:
                shown.append(key)
            turn = Turn(
                card=card,
                choices=shuffled_choices(card, rng),
                position=shown.index(key) + 1,
                total=max(total, len(shown)),
                due_left=queue.due_left,
                new_left=queue.new_left,
                note="again" if again else "",
            )
            answer = ask(terminal, turn, meanwhile=later.load)
            if answer is None or answer == "flag":
                break
            store = later.load()
            review = save_and_tell(store, scheduler, terminal, turn, answer, clock(), summary)
            queue = queue.answered(key, review.state)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if summary.answered:
            save_snapshot(later.store, where)
    if not summary.nothing_to_do:
        progress = later.load().progress  # read already, at the first card's prompt
        dues = [entry.state.due for key in keys if (entry := progress.get(key))]
        summary.next_due = next_due(dues, clock())
    terminal.show_summary(summary, clock())
    if summary.interrupted:
        raise KeyboardInterrupt
    return summary


def save_snapshot(store: Store, where: Where) -> None:
    """After a session's answers: the snapshot and the glances, so the next command need not
    read the log."""
    from awsquiz.errors import AwsquizError

    stamps = glance.log_stamps(store.folder)  # before catching up: the glances cover these
    try:
        store.save_snapshot()
    except AwsquizError as error:
        # The answers are in the log; the snapshot is only a cache rebuilt next time.
        where.warn(error.message)
        return
    glance.remember(store, stamps)
