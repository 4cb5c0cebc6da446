"""Per-deck counts for `awsquiz decks` and the bare `awsquiz` overview, from each card's glance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from awsquiz.model import CardProgress, Deck, DeckIndex, Glance, glances
from awsquiz.model.state import LEARNING_STATES, MASTERED_DAYS
from awsquiz.model.times import iso
from awsquiz.scheduling.days import LearnerDays
from awsquiz.session.queue import new_started_today


@dataclass(frozen=True)
class DeckSummary:
    """One deck's row in `awsquiz decks`: its cards by stage and when last studied."""

    id: str
    title: str
    cards: int
    new: int
    learning: int
    due: int
    mastered: int
    last_studied: str | None
    path: str
    missed: int = 0  # cards whose last answer was wrong
    suspended: int = 0  # cards kept out of sessions (not counted as new, learning or due)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def summarize(
    decks: Sequence[Deck], progress: Mapping[str, CardProgress], now: datetime
) -> list[DeckSummary]:
    """The rows from whole decks and progress (see `summarize_index` for the fast path)."""
    return summarize_index([DeckIndex.of(deck) for deck in decks], glances(progress), now)


def summarize_index(
    decks: Sequence[DeckIndex],
    glances: Mapping[str, Glance],
    now: datetime,
    suspended: frozenset[str] = frozenset(),
) -> list[DeckSummary]:
    """The same rows as `summarize`, from deck indexes and each card's glance."""
    now_text = iso(now)
    rows = []
    for deck in decks:
        new = learning = due = mastered = missed = held = 0
        last: str | None = None
        for key in deck.keys:
            entry = glances.get(key)
            if key in suspended:  # neither new nor due: no session shows it
                held += 1
                if entry is not None and (last is None or entry.last_time > last):
                    last = entry.last_time
                continue
            if entry is None:
                new += 1
                continue
            if entry.state in LEARNING_STATES:
                learning += 1
            elif (entry.stability or 0.0) >= MASTERED_DAYS:
                mastered += 1  # as `stats` counts mature cards: in review, stability >= 21 days
            if entry.due <= now_text:
                due += 1
            missed += entry.missed
            if last is None or entry.last_time > last:
                last = entry.last_time
        rows.append(
            DeckSummary(
                deck.id, deck.title, len(deck.keys), new, learning, due, mastered, last,
                deck.path, missed, held,
            )
        )
    return rows


SECONDS_PER_ANSWER = 15  # a rough pace: read, answer, read the feedback
NEW_CARD_ANSWERS = 3  # a new card is answered about three times on its first day
EXAM_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class Today:
    """What bare `awsquiz` recommends: the counts behind it and the next steps, best first."""

    decks: int
    cards: int
    due: int
    new: int  # never studied
    new_today: int  # new cards today's allowance still gives
    missed: int
    next_due: str | None  # the soonest due time after now, when nothing is due
    minutes: int  # today's study and review, estimated
    steps: list[tuple[str, str]]  # (command, why), best first


def plan_today(
    rows: Sequence[DeckSummary],
    glances: Mapping[str, Glance],
    now: datetime,
    *,
    new_per_day: int,
    last_exam: str | None,
    days: LearnerDays | None = None,
) -> Today:
    """The learner's next steps from where they stand: due cards and today's new ones, then
    the missed cards, then a mock exam once most cards are started and none was sat this
    week; or, with nothing to do today, when the next card is due."""
    due = sum(r.due for r in rows)
    new = sum(r.new for r in rows)
    missed = sum(r.missed for r in rows)
    cards = sum(r.cards for r in rows)
    new_today = min(new, max(0, new_per_day - new_started_today(glances, now, days)))
    answers = due + missed + NEW_CARD_ANSWERS * new_today
    minutes = -(-answers * SECONDS_PER_ANSWER // 60)
    steps: list[tuple[str, str]] = []
    if due or new_today:
        parts = [f"{due} due"] if due else []
        if new_today:
            parts.append(f"{new_today} new")
        steps.append(("awsquiz study", f"{' and '.join(parts)} card{'s' * (due + new_today > 1)}"))
    if missed:
        steps.append(("awsquiz review", f"{missed} card{'s' * (missed > 1)} last answered wrong"))
    recent_exam = last_exam is not None and last_exam >= iso(now - EXAM_EVERY)
    if cards and new <= cards // 2 and not recent_exam:
        steps.append(("awsquiz exam", "a timed mock exam: most cards are started, and "
                      + ("none was sat this week" if last_exam else "none was sat yet")))
    now_text = iso(now)
    later = [g.due for g in glances.values() if g.due > now_text]
    next_due = min(later) if later and not (due or new_today) else None
    return Today(len(rows), cards, due, new, new_today, missed, next_due, minutes, steps)
