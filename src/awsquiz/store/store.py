"""The review log and the card states on disk: append-only, lock-safe, versioned.

A progress folder holds each machine's review log (`logfiles`), which is the truth, and this
machine's snapshot (`snapshot`), a cache of the progress the logs add up to (`fold`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import zlib
from collections.abc import Iterable
from pathlib import Path

from awsquiz.errors import AwsquizError
from awsquiz.model import Answered, CardProgress, Mark, Review
from awsquiz.store.fold import Fold, Marks, fold_record
from awsquiz.store.logfiles import (
    Warn,
    ignore,
    io_error,
    lock,
    log_files,
    machine_name,
    progress_folder,
    unlock,
)
from awsquiz.store.reading import (
    read_history,
    read_records,
    read_reviews,
    record_chunks,
    to_records,
)
from awsquiz.store.records import checked, dumps_mark, encode_record
from awsquiz.store.snapshot import (
    Coverage,
    Covered,
    is_stale,
    read_snapshot,
    stamp_of,
    write_snapshot,
)
from awsquiz.system.files import fsync_dir, write_all

# Leave this much room on the disk before a session starts (a few thousand answers).
MIN_FREE_BYTES = 1 << 20

_O_BINARY = getattr(os, "O_BINARY", 0)
_NOTHING = Coverage(0, 0, None)


def _stamp(path: Path) -> tuple[int, ...] | None:
    try:
        return stamp_of(path.stat())
    except OSError:
        return None

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Store:
    """One progress folder: this machine's log for writing, every machine's log for reading,
    and the card progress they add up to."""

    def __init__(self, folder: Path, machine: str, warn: Warn) -> None:
        self.folder = folder
        self.machine = machine
        self.log_path = folder / f"reviews-{machine}.jsonl"
        self.snapshot_path = folder / f"snapshot-{machine}.json"
        self._warn = warn
        self._warned: set[str] = set()
        self.progress: dict[str, CardProgress] = {}
        self.marks = Marks()  # cancelled reviews and suspensions
        # log file name -> how much of it progress covers (snapshot.Coverage)
        self._logs: Covered = {}
        self._loaded = False  # whether _logs and progress hold a usable snapshot
        self.rebuilt = False  # whether the last open/catch-up had to replay every log

    def warn(self, message: str) -> None:
        """Pass a warning on to the caller, once per store (a torn line is read again by
        every full read, but the learner needs to hear of it once)."""
        if message not in self._warned:
            self._warned.add(message)
            self._warn(message)

    @property
    def warned(self) -> bool:
        """Whether anything was said about the logs (a torn line)."""
        return bool(self._warned)

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: Path,
        *,
        machine: str | None = None,
        warn: Warn = ignore,
    ) -> Store:
        """Open a progress folder (created if missing): read the snapshot, then catch up with
        the bytes each log gained since; rebuild from the logs if the snapshot is missing,
        damaged, of another version or out of date."""
        return cls.at(folder, machine=machine, warn=warn).load()

    @classmethod
    def at(
        cls,
        folder: Path,
        *,
        machine: str | None = None,
        warn: Warn = ignore,
    ) -> Store:
        """The store of a progress folder (created if missing), with nothing read yet: ready
        for `ensure_writable`, and for `load` before its progress is used."""
        return cls(progress_folder(Path(folder)), machine_name(machine), warn)

    def load(self) -> Store:
        """Read the snapshot and catch up with the logs (see `open`); returns the store."""
        self._load_snapshot()
        self.catch_up()
        if self.rebuilt and self._logs:
            # A cache: next time starts fast; a read-only folder simply goes without.
            with contextlib.suppress(OSError):
                self._write_snapshot()
        return self

    def _load_snapshot(self) -> None:
        snapshot = read_snapshot(self.snapshot_path)
        if snapshot is not None:
            self._logs, self.progress, self.marks = snapshot
            self._loaded = True

    def catch_up(self) -> None:
        """Fold in what every log gained since it was last read (all of it for a new log);
        start over from the logs if one was edited, rewritten or removed. Nothing changes if
        a log holds a bad line (AwsquizError)."""
        logs = log_files(self.folder)
        self.rebuilt = not self._loaded or is_stale(self._logs, logs)
        if self.rebuilt:
            progress: dict[str, CardProgress] = {}
            known: Covered = {}
            marks = Marks()
        else:
            progress = dict(self.progress)
            known = dict(self._logs)
            marks = self.marks.copy()
        folding = Fold(marks.cancelled)
        for path in logs:
            mark = known.get(path.name, _NOTHING)
            if mark.stamp is not None and _stamp(path) == mark.stamp:
                continue  # not a byte more since it was all read
            # A chunk of lines at a time (`record_chunks`), keeping only each card's newest
            # and oldest record: memory stays flat however long the history.
            for chunk in record_chunks(path, self.warn, mark.offset, mark.crc):
                folding.add(chunk.records)
                mark = Coverage(chunk.end, chunk.crc, chunk.stamp)
            known[path.name] = mark
        folding.into(progress, marks)
        if self.rebuilt:
            # Reviews this process appended are in its log, so nothing in memory is lost.
            self.progress.clear()
        else:
            for key in self.progress.keys() - progress.keys():
                del self.progress[key]  # an undo read from a log took the card back to new
        self.progress.update(progress)
        self.marks = marks
        self._logs = known
        self._loaded = True

    # -- writing ---------------------------------------------------------------------------

    def ensure_writable(self) -> None:
        """Raise AwsquizError now if answers could not be saved, before a session starts."""
        try:
            fd = self._open_log()
            os.close(fd)
        except OSError as exc:
            raise io_error(self.log_path, "answers could not be saved", exc) from exc
        try:
            stats = os.statvfs(self.folder)
        except (OSError, AttributeError):  # pragma: no cover - no statvfs (Windows)
            return
        if stats.f_bavail * stats.f_frsize < MIN_FREE_BYTES:
            raise AwsquizError(
                f"{self.folder}: answers could not be saved: the disk is full",
                hint="free some disk space, then run the command again",
            )

    def _open_log(self) -> int:
        flags = os.O_RDWR | os.O_APPEND | _O_BINARY | _O_CLOEXEC
        try:
            return os.open(self.log_path, flags)
        except FileNotFoundError:
            fd = os.open(self.log_path, flags | os.O_CREAT, 0o644)
            fsync_dir(self.folder)
            return fd

    def append(self, review: Review | Mark) -> None:
        """Save one answer (or mark): one line appended to this machine's log and fsynced, in
        time that does not depend on the length of the history."""
        self.append_many([review])

    def append_many(self, reviews: Iterable[Review | Mark]) -> int:
        """Save several answers or marks with one write and one fsync; returns how many."""
        items: list[Review | Mark] = []
        lines: list[bytes] = []
        for review in reviews:
            try:
                if isinstance(review, Mark):
                    item: Review | Mark = review
                    line = dumps_mark(review)
                else:
                    item, line = checked(review)
            except ValueError as exc:
                raise AwsquizError(
                    f"{self.log_path}: answer to {review.key!r} not saved: {exc}",
                    hint="nothing was written; please report this as a bug",
                ) from None
            items.append(item)
            lines.append(line)
        if not items:
            return 0
        data = b"".join(lines)
        try:
            fd = self._open_log()
        except OSError as exc:
            raise io_error(self.log_path, "could not save the answer", exc) from exc
        stage = "could not save the answer"
        try:
            locked = lock(fd)
            try:
                before = os.fstat(fd)
                size = before.st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data  # after a torn line: start on a fresh line
                if len(items) == 1:
                    written = os.write(fd, data)
                    if written != len(data):
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                else:
                    write_all(fd, data)
                stage = "could not make sure the answer reached the disk"
                os.fsync(fd)
                self._covered_own(before, os.fstat(fd), data)
            finally:
                if locked:
                    unlock(fd)
        except OSError as exc:
            raise io_error(self.log_path, stage, exc) from exc
        finally:
            os.close(fd)
        for review in items:
            fold_record(self.progress, self.marks, review)
        return len(items)

    def _covered_own(self, before: os.stat_result, after: os.stat_result, data: bytes) -> None:
        """After an append: if this log was all read and unchanged up to it, the lines just
        written are covered too (they are folded in already), so the snapshot need not read
        the log again."""
        mark = self._logs.get(self.log_path.name)
        if mark is None and before.st_size == 0:
            mark = Coverage(0, 0, stamp_of(before))  # created by this append: all of it is ours
        if (
            self._loaded
            and mark is not None
            and mark.stamp == stamp_of(before)
            and after.st_size == before.st_size + len(data)
        ):
            self._logs[self.log_path.name] = Coverage(
                after.st_size, zlib.crc32(data, mark.crc), stamp_of(after)
            )

    def save_snapshot(self) -> None:
        """Catch up with every log, then write the snapshot atomically."""
        self.catch_up()
        try:
            self._write_snapshot()
        except OSError as exc:
            error = io_error(self.snapshot_path, "could not save the snapshot", exc)
            error.hint += " (answers are safe in the review log; the snapshot is a cache)"
            raise error from exc

    def _write_snapshot(self) -> None:
        write_snapshot(self.snapshot_path, self._logs, self.progress, self.marks)

    # -- reading everything ----------------------------------------------------------------

    def reviews(self) -> list[Review]:
        """Every review in every log, deduplicated by id, sorted by (time, id), cancelled
        ones included (`marks.cancelled` names them)."""
        return read_reviews(log_files(self.folder), self.warn)

    def records(self) -> list[Review | Mark]:
        """Every review and mark in every log, deduplicated by id, sorted by (time, id)."""
        return to_records(read_records(log_files(self.folder), self.warn).values())

    def history(self) -> list[Answered]:
        """Every review in every log, deduplicated and in time order, in compact form: a long
        history (a million answers) read for statistics without a Review object per line."""
        return read_history(log_files(self.folder), self.warn)

    def export_lines(self) -> list[bytes]:
        """Every review and mark in every log as its log line (deduplicated by id, sorted by
        time and id), read a chunk at a time: only the lines are held, not a Review per
        answer."""
        rows: dict[str, tuple[str, str, bytes]] = {}
        for path in log_files(self.folder):
            for chunk in record_chunks(path, self.warn):
                for record in chunk.records:
                    if record["id"] not in rows:
                        line = encode_record(record)
                        rows[record["id"]] = (record["time"], record["id"], line)
        ordered = sorted(rows.values())
        rows.clear()
        return [line for _, _, line in ordered]

    def review_ids(self) -> set[str]:
        """The id of every review in every log."""
        ids: set[str] = set()
        for path in log_files(self.folder):
            for chunk in record_chunks(path, self.warn):
                ids.update(record["id"] for record in chunk.records)
        return ids
