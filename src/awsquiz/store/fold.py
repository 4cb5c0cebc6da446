"""Folding reviews into each card's progress: the newest review by (time, id) gives a card's
state, the oldest its first time. Order and duplicates do not matter, so logs from several
machines, read in any order and any number of times, add up to the same progress.

Marks fold too. An undo cancels one review: its id joins `Marks.cancelled`, and a cancelled
review counts nowhere, whenever and however often it is read. The undo carries the card's
progress before that review, which stands in for the reviews the fold did not keep. A card's
suspension follows its newest suspend or unsuspend mark by (time, id)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from awsquiz.model import MARK_KINDS, CardProgress, Mark, MarkDict, MarkKind, Review, ReviewDict


@dataclass
class Marks:
    """What the marks of the logs add up to: the cancelled reviews and each card's newest
    suspend or unsuspend mark, as (time, id, suspended)."""

    cancelled: set[str] = field(default_factory=set)
    suspensions: dict[str, tuple[str, str, bool]] = field(default_factory=dict)

    @property
    def suspended(self) -> frozenset[str]:
        """The keys of the suspended cards."""
        return frozenset(key for key, (_, _, on) in self.suspensions.items() if on)

    def copy(self) -> Marks:
        return Marks(set(self.cancelled), dict(self.suspensions))


def fold_review(
    progress: dict[str, CardProgress], review: Review, marks: Marks | None = None
) -> None:
    """Fold one review into `progress` in place (nothing, if an undo cancelled it)."""
    if marks is not None and review.id in marks.cancelled:
        return
    current = progress.get(review.key)
    progress[review.key] = (
        CardProgress.first(review) if current is None else current.updated(review)
    )


def fold_mark(progress: dict[str, CardProgress], marks: Marks, mark: Mark) -> None:
    """Fold one mark into `progress` and `marks` in place."""
    if mark.kind is not MarkKind.UNDO:
        stamp = (mark.time, mark.id, mark.kind is MarkKind.SUSPEND)
        current = marks.suspensions.get(mark.key)
        if current is None or stamp[:2] > current[:2]:
            marks.suspensions[mark.key] = stamp
        return
    assert mark.undoes is not None  # checked when read
    marks.cancelled.add(mark.undoes)
    entry = progress.get(mark.key)
    restores = mark.restores
    if restores is not None and restores.last_id in marks.cancelled:
        restores = None  # undone since (several undos in a row): the fold has what came before
    if entry is not None and entry.last_id == mark.undoes:
        if restores is None:
            del progress[mark.key]
        else:
            first_time = min(restores.first_time, entry.first_time)
            progress[mark.key] = CardProgress(
                restores.state, restores.last_id, restores.last_time, restores.last_rating,
                restores.last_right, restores.last_picked, first_time,
            )
    elif restores is not None:
        # The review this undo cancels is not the card's newest (a newer one came after it,
        # or it was never read): the progress before it still takes part, as its review would.
        progress[mark.key] = restores if entry is None else _newer(entry, restores)


def _newer(entry: CardProgress, other: CardProgress) -> CardProgress:
    first_time = min(entry.first_time, other.first_time)
    best = other if (other.last_time, other.last_id) > (entry.last_time, entry.last_id) else entry
    if best.first_time == first_time:
        return best
    return CardProgress(
        best.state, best.last_id, best.last_time, best.last_rating, best.last_right,
        best.last_picked, first_time,
    )


def fold_record(progress: dict[str, CardProgress], marks: Marks, record: Review | Mark) -> None:
    """Fold one review or mark into `progress` and `marks` in place."""
    if isinstance(record, Mark):
        fold_mark(progress, marks, record)
    else:
        fold_review(progress, record, marks)


class Fold:
    """The newest and oldest record of each card over any number of batches of records, so
    that a long log read a chunk at a time builds each card's progress once. Marks, rare,
    are kept whole.

    A review cancelled by an undo read earlier is skipped; one that an undo read later
    cancels is forgotten (its card's newest then comes from the undo's `restores`, and its
    oldest from the reviews read after it)."""

    def __init__(self, cancelled: set[str] | None = None) -> None:
        self.newest: dict[str, ReviewDict] = {}
        self.oldest: dict[str, ReviewDict] = {}
        self.marks: dict[str, MarkDict] = {}
        self.cancelled = cancelled if cancelled is not None else set()

    def add(self, records: Iterable[ReviewDict]) -> None:
        newest, oldest, cancelled = self.newest, self.oldest, self.cancelled
        for record in records:
            if record.get("kind") in MARK_KINDS:
                self._mark(cast(MarkDict, record))
                continue
            if record["id"] in cancelled:
                continue
            key = record["deck"] + "/" + record["card"]
            best = newest.get(key)
            if best is None or (record["time"], record["id"]) > (best["time"], best["id"]):
                newest[key] = record
            first = oldest.get(key)
            if first is None or record["time"] < first["time"]:
                oldest[key] = record

    def _mark(self, mark: MarkDict) -> None:
        self.marks.setdefault(mark["id"], mark)
        undoes = mark.get("undoes")
        if undoes is None:
            return
        self.cancelled.add(undoes)
        key = mark["deck"] + "/" + mark["card"]
        for chosen in (self.newest, self.oldest):
            record = chosen.get(key)
            if record is not None and record["id"] == undoes:
                del chosen[key]

    def into(self, progress: dict[str, CardProgress], marks: Marks | None = None) -> None:
        """Fold what was added into `progress` (and `marks`) in place."""
        marks = marks if marks is not None else Marks(self.cancelled)
        marks.cancelled.update(self.cancelled)
        # The marks first: an undo of a review folded before (in the snapshot) takes the card
        # back before the reviews that came after the undo are folded on top.
        ordered = sorted(
            (Mark.from_dict(data) for data in self.marks.values()),
            key=lambda mark: (mark.time, mark.id),
        )
        for mark in ordered:
            fold_mark(progress, marks, mark)
        for key, record in self.newest.items():
            fold_review(progress, Review.from_dict(record))
            first = self.oldest.get(key)
            if first is not None and first is not record:
                fold_review(progress, Review.from_dict(first))
        for key, first in self.oldest.items():
            if key not in self.newest:
                fold_review(progress, Review.from_dict(first))


def progress_of(reviews: Iterable[Review]) -> dict[str, CardProgress]:
    """Each card's progress from a set of reviews."""
    progress: dict[str, CardProgress] = {}
    for review in reviews:
        fold_review(progress, review)
    return progress
