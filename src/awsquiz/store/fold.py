"""Folding reviews into each card's progress: the newest review by (time, id) gives a card's
state, the oldest its first time. Order and duplicates do not matter, so logs from several
machines, read in any order and any number of times, add up to the same progress."""

from __future__ import annotations

from collections.abc import Iterable

from awsquiz.model import CardProgress, Review, ReviewDict


def fold_review(progress: dict[str, CardProgress], review: Review) -> None:
    """Fold one review into `progress` in place."""
    current = progress.get(review.key)
    progress[review.key] = (
        CardProgress.first(review) if current is None else current.updated(review)
    )


class Fold:
    """The newest and oldest record of each card over any number of batches of records, so
    that a long log read a chunk at a time builds each card's progress once."""

    def __init__(self) -> None:
        self.newest: dict[str, ReviewDict] = {}
        self.oldest: dict[str, ReviewDict] = {}

    def add(self, records: Iterable[ReviewDict]) -> None:
        newest, oldest = self.newest, self.oldest
        for record in records:
            key = record["deck"] + "/" + record["card"]
            best = newest.get(key)
            if best is None:
                newest[key] = oldest[key] = record
                continue
            if (record["time"], record["id"]) > (best["time"], best["id"]):
                newest[key] = record
            if record["time"] < oldest[key]["time"]:
                oldest[key] = record

    def into(self, progress: dict[str, CardProgress]) -> None:
        """Fold what was added into `progress` in place."""
        for key, record in self.newest.items():
            fold_review(progress, Review.from_dict(record))
            first = self.oldest[key]
            if first is not record:
                fold_review(progress, Review.from_dict(first))


def progress_of(reviews: Iterable[Review]) -> dict[str, CardProgress]:
    """Each card's progress from a set of reviews."""
    progress: dict[str, CardProgress] = {}
    for review in reviews:
        fold_review(progress, review)
    return progress
