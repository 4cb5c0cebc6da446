"""Progress services behind `awsquiz progress path / merge DIR / export FILE / import FILE
[--deck ID]`.

No terminal code here: each function returns how many reviews and exam results it moved, and
raises AwsquizError on failure. An export holds every exam result (one `{"exam": ...}` line
each), then every review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model.exam_result import ExamResult
from awsquiz.store.exam_log import load_results, save_result
from awsquiz.store.logfiles import LOG_GLOB, log_files
from awsquiz.store.reading import record_chunks, to_records
from awsquiz.store.review_csv import is_review_csv
from awsquiz.store.snapshot import stamp_of
from awsquiz.store.store import Store
from awsquiz.system.files import atomic_write

EXAM_LINE = b'{"exam":'


class Moved(NamedTuple):
    """How many reviews and exam results were written or added."""

    reviews: int
    exams: int = 0


def path(store: Store) -> Path:
    """Where this machine's answers are saved."""
    return store.log_path


def _union(
    store: Store, sources: dict[Path, int], exams: Sequence[ExamResult] = ()
) -> Moved:
    """Append to this machine's log every review or mark (an undo, a suspension) of
    `sources` (each read from its byte offset) whose id the store does not hold yet, and
    to its exam log every exam result it lacks. Every line of every source is read and
    checked before anything is written; then the new ones are appended a chunk at a time,
    so memory stays flat whatever the size of the files (only their ids are kept)."""
    known = store.review_ids()
    new: set[str] = set()
    stamps: dict[Path, tuple[int, ...]] = {}
    for source, start in sources.items():
        stamps[source] = _stamp(source)
        for chunk in record_chunks(source, store.warn, start):
            new.update(record["id"] for record in chunk.records if record["id"] not in known)
    del known
    added = 0
    for source, start in sources.items() if new else ():
        if _stamp(source) != stamps[source]:
            raise AwsquizError(
                f"{source}: changed while it was being read; nothing was added from it",
                hint="run the command again once the file is no longer being written",
            )
        for chunk in record_chunks(source, store.warn, start):
            batch = [record for record in chunk.records if record["id"] in new]
            new.difference_update(record["id"] for record in batch)  # the first copy wins
            added += store.append_many(to_records(batch))
    if added:
        store.save_snapshot()
    have = {result.id for result in load_results(store.folder)}
    fresh = sorted((r for r in exams if r.id not in have), key=lambda r: r.time)
    for result in fresh:
        save_result(store.folder, store.machine, result)
    return Moved(added, len(fresh))


def _exams_ahead(file: Path) -> tuple[list[ExamResult], int]:
    """The exam results an export begins with, and the byte offset of its first review."""
    exams: list[ExamResult] = []
    offset = 0
    try:
        with open(file, "rb") as handle:
            for number, line in enumerate(handle, 1):
                if not line.startswith(EXAM_LINE):
                    break
                try:
                    exams.append(ExamResult.from_dict(json.loads(line)["exam"]))
                except (ValueError, KeyError, TypeError) as exc:
                    raise AwsquizError(
                        f"{file}:{number}: not an exam result of an export",
                        hint="give a file written by `awsquiz progress export FILE`",
                    ) from exc
                offset += len(line)
    except OSError as exc:
        raise AwsquizError(
            f"{file}: could not read it: {exc.strerror or exc}",
            hint="check that the file exists and is readable",
        ) from exc
    return exams, offset


def _stamp(path: Path) -> tuple[int, ...]:
    try:
        return stamp_of(path.stat())
    except OSError as exc:
        raise AwsquizError(
            f"{path}: could not read it: {exc.strerror or exc}",
            hint="check that the file exists and is readable",
        ) from exc


def merge(store: Store, other: Path) -> Moved:
    """Union with another machine's progress folder (every reviews-*.jsonl in it, and its
    exam results) or with an exported file; returns how many reviews and exams were added.
    Every line of the other side is read and checked before anything is written here."""
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
    return _union(store, dict.fromkeys(logs, 0), load_results(other))


def import_file(store: Store, file: Path, deck: str | None = None) -> Moved:
    """Union with one exported file, or with a review-log CSV whose cards are those of
    `deck`; returns how many reviews (and exam results) were added."""
    file = Path(file)
    if not file.is_file():
        raise AwsquizError(
            f"{file}: no such file",
            hint="give a file written by `awsquiz progress export FILE`, "
            "or a review-log CSV (card_id,review_rating,review_time) with --deck ID",
        )
    if is_review_csv(file):
        from awsquiz.services.history_import import import_csv

        return Moved(import_csv(store, file, deck))
    if deck is not None:
        raise AwsquizError(
            f"--deck {deck}: only a review-log CSV takes --deck "
            f"({file} is not one: its first line is not card_id,review_rating,review_time)",
            hint="an exported file already names each review's deck",
            exit_code=EXIT_USAGE,
        )
    exams, start = _exams_ahead(file)
    return _union(store, {file: start}, exams)


def export(store: Store, file: Path, *, force: bool = False) -> Moved:
    """Write every exam result, then every review and mark (deduplicated, sorted by time),
    to FILE as JSON Lines, atomically; returns how many. An existing FILE is replaced only with
    force=True."""
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
    exams = [
        json.dumps({"exam": result.to_dict()}, separators=(",", ":")).encode() + b"\n"
        for result in load_results(store.folder)
    ]
    lines = store.export_lines()
    try:
        atomic_write(file, exams + lines, overwrite=force)
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
    return Moved(len(lines), len(exams))
