"""Progress services behind `awsquiz progress path / merge DIR / export FILE / import FILE
[--deck ID]`.

No terminal code here: each function returns a number and raises AwsquizError on failure.
"""

from __future__ import annotations

from pathlib import Path

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model import ReviewDict
from awsquiz.store.logfiles import LOG_GLOB, log_files
from awsquiz.store.reading import read_records, to_reviews
from awsquiz.store.records import dumps_review
from awsquiz.store.review_csv import is_review_csv
from awsquiz.store.store import Store
from awsquiz.system.files import atomic_write


def path(store: Store) -> Path:
    """Where this machine's answers are saved."""
    return store.log_path


def _union(store: Store, incoming: dict[str, ReviewDict]) -> int:
    """Append to this machine's log every review whose id the store does not hold yet."""
    known = store.review_ids()
    added = store.append_many(
        to_reviews(record for rid, record in incoming.items() if rid not in known)
    )
    if added:
        store.save_snapshot()
    return added


def merge(store: Store, other: Path) -> int:
    """Union with another machine's progress folder (every reviews-*.jsonl in it) or with an
    exported file; returns how many reviews were added. Every line of the other side is read
    and checked before anything is written here."""
    other = Path(other)
    if other.is_file():
        return import_file(store, other)
    if not other.is_dir():
        raise AwsquizError(
            f"{other}: no such folder",
            hint="give the progress folder of the other machine "
            "(`awsquiz progress path` shows it there) or an exported file",
        )
    logs = log_files(other)
    if not logs:
        raise AwsquizError(
            f"{other}: no review logs ({LOG_GLOB}) in this folder",
            hint="give the progress folder of the other machine "
            "(`awsquiz progress path` shows it there) or an exported file",
        )
    return _union(store, read_records(logs, store.warn))


def import_file(store: Store, file: Path, deck: str | None = None) -> int:
    """Union with one exported file, or with a review-log CSV whose cards are those of
    `deck`; returns how many reviews were added."""
    file = Path(file)
    if not file.is_file():
        raise AwsquizError(
            f"{file}: no such file",
            hint="give a file written by `awsquiz progress export FILE`, "
            "or a review-log CSV (card_id,review_rating,review_time) with --deck ID",
        )
    if is_review_csv(file):
        from awsquiz.services.history_import import import_csv

        return import_csv(store, file, deck)
    if deck is not None:
        raise AwsquizError(
            f"--deck {deck}: only a review-log CSV takes --deck "
            f"({file} is not one: its first line is not card_id,review_rating,review_time)",
            hint="an exported file already names each review's deck",
            exit_code=EXIT_USAGE,
        )
    return _union(store, read_records([file], store.warn))


def export(store: Store, file: Path, *, force: bool = False) -> int:
    """Write every review (deduplicated, sorted by time) to FILE as JSON Lines, atomically;
    returns how many. An existing FILE is replaced only with force=True."""
    file = Path(file)
    if file.is_dir():
        raise AwsquizError(
            f"{file}: is a folder", hint="give a file name, for example awsquiz-progress.jsonl"
        )
    if file.exists() and not force:
        raise AwsquizError(
            f"{file}: already exists; not overwritten",
            hint="choose another name, or pass --force to replace it",
        )
    reviews = store.reviews()
    data = b"".join(dumps_review(review) for review in reviews)
    try:
        atomic_write(file, data, overwrite=force)
    except FileExistsError as exc:
        raise AwsquizError(
            f"{file}: already exists; not overwritten",
            hint="choose another name, or pass --force to replace it",
        ) from exc
    except OSError as exc:
        raise AwsquizError(
            f"{file}: could not write the export: {exc.strerror or exc}",
            hint="check that the folder exists, is writable and has free space",
        ) from exc
    return len(reviews)
