"""Undo and suspension, written as marks in this machine's review log: `u` and `s` in a
session, `awsquiz undo`, `awsquiz suspend` and `awsquiz unsuspend`.

The log stays append-only: an undo names the review it cancels and carries the card's
progress before it; a suspension is undone by a newer unsuspension."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from awsquiz.errors import AwsquizError
from awsquiz.model import CardProgress, Mark, MarkKind, Review
from awsquiz.model.state import LEECH_LAPSES
from awsquiz.model.times import from_iso, iso
from awsquiz.store.fold import progress_of
from awsquiz.store.logfiles import new_review_id
from awsquiz.store.store import Store

_TICK = timedelta(microseconds=1)


def undo_answer(
    store: Store, review: Review, previous: CardProgress | None, now: datetime
) -> Mark:
    """Cancel `review`, saved; the card goes back to `previous` (None: new again)."""
    # After the review even when the clock is pinned (AWSQUIZ_NOW): the log reads in order.
    when = max(now, from_iso(review.time) + _TICK)
    mark = Mark(
        id=new_review_id(), deck=review.deck, card=review.card, time=iso(when),
        kind=MarkKind.UNDO, undoes=review.id, restores=previous,
    )
    store.append(mark)
    return mark


def set_suspended(store: Store, keys: Iterable[str], now: datetime, *, on: bool) -> list[str]:
    """Suspend (or unsuspend) the cards of `keys` that are not so already, with one write;
    returns their keys."""
    suspended = store.marks.suspended
    kind = MarkKind.SUSPEND if on else MarkKind.UNSUSPEND
    changed = [key for key in dict.fromkeys(keys) if (key in suspended) is not on]
    stamp = iso(now)
    marks = []
    for key in changed:
        deck, _, card = key.partition("/")
        newest = store.marks.suspensions.get(key)
        when = stamp if newest is None or stamp > newest[0] else iso(from_iso(newest[0]) + _TICK)
        marks.append(Mark(id=new_review_id(), deck=deck, card=card, time=when, kind=kind))
    store.append_many(marks)
    return changed


@dataclass(frozen=True)
class Undone:
    """What `awsquiz undo` took back: the answer, and the card's progress now."""

    review: Review
    restored: CardProgress | None


def undo_last(store: Store, now: datetime) -> Undone:
    """Cancel the newest answer of any study or review session (exam answers stand)."""
    records = store.records()
    cancelled = {r.undoes for r in records if isinstance(r, Mark) and r.undoes}
    reviews = [r for r in records if isinstance(r, Review) and r.id not in cancelled]
    last = next((r for r in reversed(reviews) if r.kind != "exam"), None)
    if last is None:
        raise AwsquizError(
            "no answer to undo",
            hint="answers of study and review sessions can be undone; exam answers cannot",
        )
    before = progress_of(r for r in reviews if r.key == last.key and r.id != last.id)
    restored = before.get(last.key)
    undo_answer(store, last, restored, now)
    if _made_a_leech(store, last, restored):
        set_suspended(store, [last.key], now, on=False)  # its automatic suspension goes too
    return Undone(last, restored)


def _made_a_leech(store: Store, review: Review, before: CardProgress | None) -> bool:
    """Whether `review` made its card a leech and the card was suspended for it since."""
    suspension = store.marks.suspensions.get(review.key)
    return (
        review.state.lapses >= LEECH_LAPSES
        and (before is None or before.state.lapses < LEECH_LAPSES)
        and suspension is not None
        and suspension[2]
        and from_iso(suspension[0]) >= from_iso(review.time)
    )
