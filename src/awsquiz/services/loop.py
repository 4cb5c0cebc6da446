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
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

from awsquiz.errors import AwsquizError
from awsquiz.model import CardType, Rating
from awsquiz.model.state import LEECH_LAPSES
from awsquiz.model.times import from_iso, iso
from awsquiz.session.turn import Answer, Feedback, Terminal, TimeUp, Turn
from awsquiz.store import config as settings
from awsquiz.store import glances
from awsquiz.store.logfiles import new_review_id

if TYPE_CHECKING:  # names for annotations only: the first card is shown without them
    from awsquiz.model import Card, CardProgress, CardState, Review
    from awsquiz.scheduling.scheduler import Scheduler
    from awsquiz.store.logfiles import Warn
    from awsquiz.store.store import Store

QUIT = "q"
FLAG = "f"
UNDO = "u"
SUSPEND = "s"
_TICK = timedelta(microseconds=1)
Action = Literal["flag", "undo", "suspend"]


class Session(Protocol):
    """One kind of session, driven by `run_session`."""

    allow_flag: bool  # `f` moves on and brings the card back later (exams)
    allow_undo: bool  # `u` takes back the last answer, `s` suspends the card (study, review)
    feedback: bool  # show right or wrong after each answer

    def next_turn(self, now: datetime) -> Turn | None: ...
    def accepts(self, turn: Turn, answer: Answer, now: datetime) -> bool: ...
    def answered(self, turn: Turn, answer: Answer, review: Review, first: bool) -> None: ...
    def flag(self, turn: Turn) -> None: ...
    def checkpoint(self) -> object: ...  # where the session stands, for `rewind` after an undo
    def rewind(self, saved: object) -> None: ...
    def drop(self, key: str) -> None: ...  # the card was suspended: never shown again
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


class _Given(NamedTuple):
    """One answer of this session, as `u` needs it to take the answer back."""

    saved: object  # the session before the answer
    review: Review
    previous: CardProgress | None  # the card's progress before it
    suspended: bool  # the answer made the card a leech, and it was suspended


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
    changed = False
    given: list[_Given] = []
    dropped: list[str] = []  # suspended in this session: dropped again after a rewind
    try:
        while (turn := session.next_turn(clock())) is not None:
            response = ask(
                terminal, turn, allow_flag=session.allow_flag, allow_undo=session.allow_undo,
                meanwhile=later.load,
            )
            if response is None:
                session.quit(clock(), interrupted=False)
                break
            if response == "flag":
                session.flag(turn)
                continue
            if response == "undo":
                changed |= _undo(session, terminal, later.load(), given, dropped, clock())
                continue
            if response == "suspend":
                _suspend(session, terminal, later.load(), turn.card, clock(), dropped)
                changed = True
                continue
            now = clock()
            if not session.accepts(turn, response, now):
                break
            store = later.load()
            previous = store.progress.get(turn.card.key)
            saved = session.checkpoint() if session.allow_undo else None
            review = record(
                store, scheduler, response, previous.state if previous else None, now, turn.mode
            )
            changed = True
            session.answered(turn, response, review, previous is None)
            if session.feedback:
                due = from_iso(review.state.due)
                days = scheduler.days_until(review.state, now)
                terminal.show_feedback(Feedback(response, turn, due, now, days))
            leech = session.allow_undo and _leech(
                session, terminal, store, turn.card, previous, review, now, dropped
            )
            given.append(_Given(saved, review, previous, leech))
    except TimeUp:
        session.time_up(clock())  # the deadline passed while the prompt waited
    except KeyboardInterrupt:
        session.quit(clock(), interrupted=True)
        interrupted = True
    finally:
        if changed:
            save_snapshot(later.store, warn)
    session.finish(clock())
    if interrupted:
        raise KeyboardInterrupt


def _undo(
    session: Session,
    terminal: Terminal,
    store: Store,
    given: list[_Given],
    dropped: list[str],
    now: datetime,
) -> bool:
    """`u`: the last answer of this session taken back; the card is asked again."""
    if not given:
        terminal.show_problem("nothing to undo: no answer given in this session yet")
        return False
    from awsquiz.services.marks import set_suspended, undo_answer
    last = given.pop()
    key = last.review.deck + "/" + last.review.card
    undo_answer(store, last.review, last.previous, now)
    if last.suspended:  # the answer that made it a leech is taken back: so is its suspension
        set_suspended(store, [key], now, on=False)
        dropped.remove(key)
    session.rewind(last.saved)
    for gone in dropped:
        session.drop(gone)
    state = "new again" if last.previous is None else "as it was before"
    terminal.show_note(f"undone: your answer to {key} ({state})")
    return True


def _suspend(
    session: Session, terminal: Terminal, store: Store, card: Card, now: datetime,
    dropped: list[str],
) -> None:
    """`s`: the card shown is suspended and the session goes on without it."""
    from awsquiz.services.marks import set_suspended
    set_suspended(store, [card.key], now, on=True)
    session.drop(card.key)
    dropped.append(card.key)
    terminal.show_note(
        f"suspended {card.key}: no session shows it until `awsquiz unsuspend {card.key}`"
    )


def _leech(
    session: Session,
    terminal: Terminal,
    store: Store,
    card: Card,
    previous: CardProgress | None,
    review: Review,
    now: datetime,
    dropped: list[str],
) -> bool:
    """A card that has just become a leech is suspended (or, with leech_action "tag", only
    marked a leech where leeches are shown), and the learner told; True if suspended."""
    lapses = review.state.lapses
    if lapses < LEECH_LAPSES or (previous is not None and previous.state.lapses >= LEECH_LAPSES):
        return False
    rewrite = f"rewrite it, or read its source: {card.source}" if card.source else "rewrite it"
    if settings.load(store.folder).leech_action == settings.LEECH_TAG:
        terminal.show_note(
            f"{card.key} is a leech: missed {lapses} times. It stays in your sessions "
            f"(leech_action is tag) and `awsquiz review --list` marks it; drilling it again "
            f"is unlikely to help: {rewrite}. Keep it out with: awsquiz suspend {card.key}"
        )
        return False
    from awsquiz.services.marks import set_suspended
    set_suspended(store, [card.key], now, on=True)
    session.drop(card.key)
    dropped.append(card.key)
    terminal.show_note(
        f"{card.key} is a leech: missed {lapses} times, so it is suspended. Drilling it again "
        f"is unlikely to help: {rewrite}. Bring it back with: awsquiz unsuspend {card.key}"
    )
    return True


def ask(
    terminal: Terminal,
    turn: Turn,
    *,
    allow_flag: bool = False,
    allow_undo: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> Answer | Action | None:
    """Show a card and read the learner's answer; None when they quit or input ends.
    `meanwhile` is done once, when the card and its prompt are on the screen: work the
    learner need not wait for.

    A response that names no choice is explained and asked again; nothing is recorded for it.
    """
    terminal.show_question(turn)
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
    if allow_undo:
        prompt = prompt.replace("q quits", "u undoes, s suspends, q quits")
    while True:
        response = _read(terminal, prompt, meanwhile)
        meanwhile = None
        from awsquiz.session import grading  # once answered: the first card is up without it
        if response is None or response.strip().lower() == QUIT:
            return None
        action = _action(response, allow_flag=allow_flag, allow_undo=allow_undo)
        if action == "no undo":
            terminal.show_problem("exam answers cannot be undone (f flags a question for later)")
            continue
        if action is not None:
            return action
        ms = int((time.monotonic() - started) * 1000)
        if not card.type.typed:
            try:
                multi = card.type is CardType.MULTI
                picked = grading.pick_choices(response, turn.choices, many=multi)
                if multi:
                    grading.check_count(picked, len(card.answers))
            except grading.Unreadable as problem:
                terminal.show_problem(str(problem))
                continue
            graded = grading.grade_choices(card, picked)
            return Answer(card, graded.right, graded.rating, graded.picked, ms)
        typed = response.strip()
        if exam:  # no answer is shown before the end: the typed text alone decides
            if not typed:
                terminal.show_problem("type your answer")
                continue
            right = grading.typed_is_right(card, typed)
            return Answer(card, right, Rating.GOOD if right else Rating.AGAIN, typed, ms)
        if typed and grading.typed_is_right(card, typed):
            return Answer(card, True, Rating.GOOD, typed, ms)
        terminal.show_reveal(turn, typed)
        rating = _read_rating(terminal, allow_undo=allow_undo)
        if rating is None or isinstance(rating, str):
            return rating
        return Answer(card, rating is not Rating.AGAIN, rating, typed or None, ms, self_rated=True)


def _read(
    terminal: Terminal, prompt: str, meanwhile: Callable[[], object] | None = None
) -> str | None:
    terminal.prompt(prompt)
    if meanwhile is not None:
        meanwhile()
    return terminal.read_line()


def _action(
    response: str, *, allow_flag: bool, allow_undo: bool
) -> Action | Literal["no undo"] | None:
    """What a one-letter response asks for, if it is one; "no undo" for `u` in an exam."""
    word = response.strip().lower()
    if allow_flag and word == FLAG:
        return "flag"
    if word == UNDO:
        return "undo" if allow_undo else ("no undo" if allow_flag else None)
    if allow_undo and word == SUSPEND:
        return "suspend"
    return None


def _read_rating(terminal: Terminal, *, allow_undo: bool = False) -> Rating | Action | None:
    from awsquiz.session.grading import Unreadable, self_rating

    prompt = "how well did you know it? 1 Again 2 Hard 3 Good 4 Easy › "
    while True:
        response = _read(terminal, prompt)
        if response is None or response.strip().lower() == QUIT:
            return None
        action = _action(response, allow_flag=False, allow_undo=allow_undo)
        if action is not None and action != "no undo":
            return action
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
    from awsquiz.model.review import Review
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
