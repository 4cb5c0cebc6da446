"""The one session loop of study, review and exam: ask, save, go on; Ctrl-C, `q` and the end
of input stop it with every answer already saved; then the snapshot and the summary.

What differs between the three is a `Session`: which card comes next, what an answer does to
the queue, what is shown at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal, Protocol

from awsquiz.errors import AwsquizError
from awsquiz.model import CardState, CardType, Rating, Review
from awsquiz.model.times import from_iso, iso
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.session.turn import Answer, Feedback, Terminal, TimeUp, Turn
from awsquiz.store import config as settings
from awsquiz.store import glances
from awsquiz.store.logfiles import Warn, new_review_id
from awsquiz.store.store import Store

QUIT = "q"
FLAG = "f"
_TICK = timedelta(microseconds=1)


class Session(Protocol):
    """One kind of session, driven by `run_session`."""

    allow_flag: bool  # `f` moves on and brings the card back later (exams)
    feedback: bool  # show right or wrong after each answer

    def next_turn(self, now: datetime) -> Turn | None: ...
    def accepts(self, turn: Turn, answer: Answer, now: datetime) -> bool: ...
    def answered(self, turn: Turn, answer: Answer, review: Review, first: bool) -> None: ...
    def flag(self, turn: Turn) -> None: ...
    def quit(self, now: datetime, *, interrupted: bool) -> None: ...
    def time_up(self, now: datetime) -> None: ...
    def finish(self, now: datetime) -> None: ...


class LoadLater:
    """A store read only once the first card is on the screen: a study session plans its
    queue from the cached glances, and the store is read while the learner reads the card
    (`load` before its progress is used; it reads once)."""

    def __init__(self, store: Store, *, loaded: bool = False) -> None:
        self.store = store
        self._loaded = loaded

    def load(self) -> Store:
        if not self._loaded:
            self.store.load()
            self._loaded = True
        return self.store


def run_session(
    session: Session,
    terminal: Terminal,
    later: LoadLater,
    scheduler: Scheduler,
    clock: Callable[[], datetime],
    warn: Warn,
) -> None:
    """Ask turn after turn, saving each answer before the next card; then save the snapshot,
    let the session finish (its summary), and raise KeyboardInterrupt again after a Ctrl-C."""
    interrupted = False
    answered = 0
    try:
        while (turn := session.next_turn(clock())) is not None:
            response = ask(terminal, turn, allow_flag=session.allow_flag, meanwhile=later.load)
            if response is None:
                session.quit(clock(), interrupted=False)
                break
            if response == "flag":
                session.flag(turn)
                continue
            now = clock()
            if not session.accepts(turn, response, now):
                break
            store = later.load()
            previous = store.progress.get(turn.card.key)
            review = record(
                store, scheduler, response, previous.state if previous else None, now, turn.mode
            )
            answered += 1
            session.answered(turn, response, review, previous is None)
            if session.feedback:
                due = from_iso(review.state.due)
                days = scheduler.days_until(review.state, now)
                terminal.show_feedback(Feedback(response, turn, due, now, days))
    except TimeUp:
        session.time_up(clock())  # the deadline passed while the prompt waited
    except KeyboardInterrupt:
        session.quit(clock(), interrupted=True)
        interrupted = True
    finally:
        if answered:
            save_snapshot(later.store, warn)
    session.finish(clock())
    if interrupted:
        raise KeyboardInterrupt


def ask(
    terminal: Terminal,
    turn: Turn,
    *,
    allow_flag: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> Answer | Literal["flag"] | None:
    """Show a card and read the learner's answer; None when they quit or input ends.
    `meanwhile` is done once, when the card and its prompt are on the screen: work the
    learner need not wait for.

    A response that names no choice is explained and asked again; nothing is recorded for it.
    """
    terminal.show_question(turn)
    # Grading is loaded while the learner reads: the first card is shown without it.
    from awsquiz.session.grading import (
        Unreadable,
        check_count,
        grade_choices,
        pick_choices,
        typed_is_right,
    )

    card = turn.card
    started = time.monotonic()
    exam = turn.mode == "exam"
    if card.type.typed:
        prompt = "your answer (q quits) › " if exam else "your answer (Enter shows it; q quits) › "
    elif card.type is CardType.CHOICE:
        prompt = "answer (number or text; q quits) › "
    else:
        prompt = "answers (numbers or texts, commas between; q quits) › "
    if allow_flag:
        prompt = prompt.replace("q quits", "f flags, q quits")
    while True:
        response = _read(terminal, prompt, meanwhile)
        meanwhile = None
        if response is None or response.strip().lower() == QUIT:
            return None
        if allow_flag and response.strip().lower() == FLAG:
            return "flag"
        ms = int((time.monotonic() - started) * 1000)
        if not card.type.typed:
            try:
                picked = pick_choices(response, turn.choices, many=card.type is CardType.MULTI)
                if card.type is CardType.MULTI:
                    check_count(picked, len(card.answers))
            except Unreadable as problem:
                terminal.show_problem(str(problem))
                continue
            graded = grade_choices(card, picked)
            return Answer(card, graded.right, graded.rating, graded.picked, ms)
        typed = response.strip()
        if exam:  # no answer is shown before the end: the typed text alone decides
            if not typed:
                terminal.show_problem("type your answer")
                continue
            right = typed_is_right(card, typed)
            return Answer(card, right, Rating.GOOD if right else Rating.AGAIN, typed, ms)
        if typed and typed_is_right(card, typed):
            return Answer(card, True, Rating.GOOD, typed, ms)
        terminal.show_reveal(turn, typed)
        rating = _read_rating(terminal)
        if rating is None:
            return None
        return Answer(card, rating is not Rating.AGAIN, rating, typed or None, ms, self_rated=True)


def _read(
    terminal: Terminal, prompt: str, meanwhile: Callable[[], object] | None = None
) -> str | None:
    terminal.prompt(prompt)
    if meanwhile is not None:
        meanwhile()
    return terminal.read_line()


def _read_rating(terminal: Terminal) -> Rating | None:
    from awsquiz.session.grading import Unreadable, self_rating

    while True:
        response = _read(terminal, "how well did you know it? 1 Again 2 Hard 3 Good 4 Easy › ")
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
        now = max(now, from_iso(previous.last_review) + _TICK)
    state = scheduler.review(previous, answer.rating, now)
    review = Review(
        id=new_review_id(),
        deck=answer.card.deck,
        card=answer.card.id,
        time=iso(now),
        rating=answer.rating,
        right=answer.right,
        picked=answer.picked,
        ms=answer.ms,
        state=state,
        kind=kind,
    )
    store.append(review)
    return review


def next_due(dues: Iterable[str], now: datetime) -> datetime | None:
    """The soonest of these due times (ISO text) after `now`."""
    now_text = iso(now)
    later = [due for due in dues if due > now_text]
    return from_iso(min(later)) if later else None


def ready_for_answers(
    store: Store, retention: float | None, changed: Callable[[float, float], None] | None = None
) -> Scheduler:
    """Check now, before the first card, that answers can be saved; the learner's scheduler
    (a `retention` given is kept for next time, and `changed(old, new)` told of it)."""
    store.ensure_writable()
    from awsquiz.services import learner

    saved = settings.load(store.folder)
    if retention is not None and retention != saved.retention:
        new = replace(saved, retention=settings.check_retention(retention))
        settings.save(store.folder, new)
        if changed is not None:
            changed(saved.retention, new.retention)
        saved = new
    return learner.scheduler(saved)


def save_snapshot(store: Store, warn: Warn) -> None:
    """After a session's answers: the snapshot and the glances, so the next command need not
    read the log."""
    stamps = glances.log_stamps(store.folder)  # before catching up: the glances cover these
    try:
        store.save_snapshot()
    except AwsquizError as error:
        # The answers are in the log; the snapshot is only a cache rebuilt next time.
        warn(error.message)
        return
    glances.remember(store, stamps)
