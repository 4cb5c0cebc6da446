"""`awsquiz progress import FILE --deck ID` for a review-log CSV: every row a review of card
ID/card_id, each card's rows replayed in time order through the learner's scheduler.

A row's review id is derived from the row itself, so importing a file twice adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from awsquiz.decks.deck_file import DECK_ID
from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model import CardState, Rating, Review
from awsquiz.model.times import from_iso, iso
from awsquiz.services import learner
from awsquiz.store.review_csv import CsvRow, check_rows, rows
from awsquiz.store.snapshot import stamp_of
from awsquiz.store.store import Store

KIND = "import"
BATCH = 5_000  # reviews written at a time: memory stays flat
_TICK = timedelta(microseconds=1)


def row_id(deck: str, row: CsvRow) -> str:
    """The review id of a row: the same row always gets the same id."""
    text = f"{deck}/{row.card}|{row.time}|{row.rating}|{row.ms}"
    return "csv-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def import_csv(store: Store, file: Path, deck: str | None) -> int:
    """Add the file's reviews that this progress lacks; returns how many."""
    if not deck or not DECK_ID.match(deck):
        raise AwsquizError(
            f"{file}: a review-log CSV needs --deck ID" if not deck
            else f"--deck {deck!r}: a deck id is lowercase letters, digits and '-'",
            hint="the cards are imported as ID/card_id, for example --deck history",
            exit_code=EXIT_USAGE,
        )
    stamp = _stamp(file)
    in_order = check_rows(file)  # every row checked before anything is written
    known = store.review_ids()
    if _stamp(file) != stamp:
        raise AwsquizError(
            f"{file}: changed while it was being read; nothing was imported",
            hint="run the command again once the file is no longer being written",
        )
    # A card's rows must be replayed in time order: sorted in memory only when they are not.
    ordered = rows(file) if in_order else iter(sorted(rows(file)))
    batch: list[Review] = []
    added = 0
    for review in _replayed(store, deck, ordered):
        if review.id in known:
            continue
        batch.append(review)
        if len(batch) >= BATCH:
            added += store.append_many(batch)
            batch = []
    added += store.append_many(batch)
    if added:
        store.save_snapshot()
    return added


def _stamp(path: Path) -> tuple[int, ...]:
    try:
        return stamp_of(path.stat())
    except OSError as exc:
        raise AwsquizError(f"{path}: could not read it: {exc.strerror or exc}") from exc


def _replayed(store: Store, deck: str, ordered: Iterator[CsvRow]) -> Iterator[Review]:
    # No fuzz: importing again replays the same states.
    scheduler = learner.scheduler_of(store.folder, fuzz=False)
    states: dict[str, CardState] = {}
    seen: set[str] = set()
    for row in ordered:
        rid = row_id(deck, row)
        if rid in seen:  # the same row twice is the same review
            continue
        seen.add(rid)
        moment = from_iso(row.time)
        previous = states.get(row.card)
        if previous is not None and previous.last_review is not None:
            # Two rows of a card at one time: one after the other, as answers are.
            moment = max(moment, from_iso(previous.last_review) + _TICK)
        rating = Rating(row.rating)
        state = states[row.card] = scheduler.review(previous, rating, moment)
        yield Review(
            id=rid, deck=deck, card=row.card, time=iso(moment), rating=rating,
            right=rating is not Rating.AGAIN, picked=None, ms=row.ms, state=state, kind=KIND,
        )
