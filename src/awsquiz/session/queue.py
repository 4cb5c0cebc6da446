"""The queue of a study session: what comes next. Pure logic; the clock is passed in.

Due cards come first, the lowest predicted recall first; then new cards in teaching order
(the decks by their `order`, each deck's cards as written), within the day's new-card
allowance, or as many as the learner asked for now. A card still in its learning steps comes
back in the same session when its step is over; when nothing else is left, learning cards
due within LEARN_AHEAD are shown early rather than ending the session.

Siblings (the cards of one cloze, a card and its reverse, the cards of one classify block)
are buried as Anki buries them: once one is answered, its new siblings wait for the next
day, so that one does not give another away.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from awsquiz.model import CardState, Glance
from awsquiz.model.state import LEARNING_STATES
from awsquiz.model.times import iso
from awsquiz.scheduling.days import LearnerDays
from awsquiz.scheduling.scheduler import Scheduler

LEARN_AHEAD = timedelta(minutes=20)
DEFAULT_NEW_PER_DAY = 10


@dataclass(frozen=True)
class StudyQueue:
    """The cards still to show in a session, in order, and those in learning steps."""

    upcoming: tuple[str, ...]  # card keys not yet shown, in order
    new: frozenset[str]  # the keys of `upcoming` that have never been studied
    learning: tuple[tuple[str, str], ...] = ()  # (due, key) of cards in learning steps, by due
    new_waiting: int = 0  # never-studied cards of the selection left out of this session
    new_today: int = 0  # cards first studied today, before this session
    new_buried: int = 0  # of those, siblings of cards answered today: they wait for tomorrow
    siblings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # key: its group

    def peek(self, now: datetime) -> str | None:
        """The card to show now, or None when the session is over."""
        now_text = iso(now)
        if self.learning and self.learning[0][0] <= now_text:
            return self.learning[0][1]
        if self.upcoming:
            return self.upcoming[0]
        if self.learning and self.learning[0][0] <= iso(now + LEARN_AHEAD):
            return self.learning[0][1]
        return None

    def answered(self, key: str, state: CardState) -> StudyQueue:
        """The queue after `key` was answered and got `state`: its new siblings are buried."""
        buried = {k for k in self.siblings.get(key, ()) if k != key and k in self.new}
        upcoming = tuple(k for k in self.upcoming if k != key and k not in buried)
        learning = [entry for entry in self.learning if entry[1] != key]
        if state.state in LEARNING_STATES:
            learning.append((state.due, key))
        return replace(self, upcoming=upcoming, learning=tuple(sorted(learning)))

    def without(self, key: str) -> StudyQueue:
        """The queue with `key` left out (a card that can no longer be shown, or one
        suspended)."""
        return replace(
            self,
            upcoming=tuple(k for k in self.upcoming if k != key),
            learning=tuple(entry for entry in self.learning if entry[1] != key),
        )

    @property
    def due_left(self) -> int:
        return sum(1 for key in self.upcoming if key not in self.new)

    @property
    def new_left(self) -> int:
        return sum(1 for key in self.upcoming if key in self.new)

    @property
    def left(self) -> int:
        """Cards still to answer at least once more."""
        return len(self.upcoming) + len({key for _, key in self.learning} - set(self.upcoming))

    def left_within(self, now: datetime) -> int:
        """Answers still to give this session as it stands: the cards not yet shown, and the
        learning cards that come back before it would end."""
        horizon = iso(now + LEARN_AHEAD)
        upcoming = set(self.upcoming)
        back = {key for due, key in self.learning if due <= horizon} - upcoming
        return len(self.upcoming) + len(back)


def _today(now: datetime, days: LearnerDays | None = None) -> str:
    """When the learner's day began: at their day start (`days`; local midnight when None)."""
    if days is None:
        return iso(now.replace(hour=0, minute=0, second=0, microsecond=0))
    return iso(days.start(days.number(now)))


def new_started_today(
    glances: Mapping[str, Glance], now: datetime, days: LearnerDays | None = None
) -> int:
    """How many cards had their first review today (the learner's day, as `_today`)."""
    start = _today(now, days)
    return sum(1 for entry in glances.values() if entry.first_time >= start)


def sibling_map(groups: Iterable[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Each key of the sibling groups with its whole group (itself included): one tuple
    shared by the group's keys, so that a classify block of hundreds of items costs no more
    than its items."""
    found: dict[str, tuple[str, ...]] = {}
    for group in groups:
        shared = tuple(group)
        found.update(dict.fromkeys(shared, shared))
    return found


def unburied(
    new: Sequence[str],
    siblings: Mapping[str, tuple[str, ...]],
    glances: Mapping[str, Glance],
    now: datetime,
    limit: int,
    days: LearnerDays | None = None,
) -> list[str]:
    """Up to `limit` of the new cards that may be shown today: none whose sibling was
    answered today (the learner's day, as `_today`), and of new siblings only the first."""
    if not siblings:
        return list(new[:limit])
    start = _today(now, days)
    taken: set[int] = set()  # groups (by identity) that already give a new card today
    answered: dict[int, bool] = {}  # group -> whether one of its cards was answered today
    shown: list[str] = []
    for key in new:
        if len(shown) >= limit:
            break
        group = siblings.get(key)
        if group is not None:
            mark = id(group)
            if mark in taken:
                continue
            if mark not in answered:
                answered[mark] = any(
                    (g := glances.get(k)) is not None and g.last_time >= start for k in group
                )
            if answered[mark]:
                continue
            taken.add(mark)
        shown.append(key)
    return shown


def plan_study(
    keys: Sequence[str],
    glances: Mapping[str, Glance],
    scheduler: Scheduler,
    now: datetime,
    rng: random.Random,
    *,
    new_per_day: int = DEFAULT_NEW_PER_DAY,
    new_now: int | None = None,
    limit: int | None = None,
    include_all: bool = False,
    siblings: Mapping[str, tuple[str, ...]] | None = None,
) -> StudyQueue:
    """The session's queue over these cards (by key, in teaching order, with the glances of
    those studied): due cards, most at risk first, then new ones, then (with `include_all`)
    cards not yet due, soonest first.

    New cards: up to `new_now` when it is given (on top of those started today), else what
    is left of `new_per_day` today."""
    now_text = iso(now)
    due: list[Glance] = []
    due_keys: list[str] = []
    later: list[tuple[str, str]] = []
    learning: list[tuple[str, str]] = []
    new: list[str] = []
    glance_of = glances.get  # thousands of cards: the loop is kept tight
    for key in keys:
        entry = glance_of(key)
        if entry is None:
            new.append(key)
        elif entry.due <= now_text:
            due.append(entry)
            due_keys.append(key)
        elif entry.state in LEARNING_STATES:
            learning.append((entry.due, key))
        elif include_all:
            later.append((entry.due, key))
    today = new_started_today(glances, now, scheduler.days)
    allowance = new_now if new_now is not None else max(0, new_per_day - today)
    siblings = siblings or {}
    never_studied = len(new)
    everything = unburied(new, siblings, glances, now, never_studied, scheduler.days)
    buried = never_studied - len(everything)
    new = unburied(new, siblings, glances, now, allowance, scheduler.days)
    waiting = never_studied - len(new)
    recalls = scheduler.recalls(((entry.last_review, entry.stability) for entry in due), now)
    ranked = sorted(
        (recall, rng.random(), key) for recall, key in zip(recalls, due_keys, strict=True)
    )
    order = [key for _, _, key in ranked] + new
    if include_all:
        order += [key for _, key in sorted(later)]
        learning_keys = [key for _, key in sorted(learning)]
        order += learning_keys
        learning = []
    new_keys = frozenset(new)
    if limit is not None:
        waiting += sum(1 for key in order[limit:] if key in new_keys)
        order = order[:limit]
    return StudyQueue(
        upcoming=tuple(order), new=new_keys, learning=tuple(sorted(learning)),
        new_waiting=waiting, new_today=today, new_buried=buried, siblings=siblings,
    )
