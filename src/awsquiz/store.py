"""The review log and the card states on disk: append-only, lock-safe, versioned.

Layout of a progress folder:

- ``reviews-<machine>.jsonl``: this machine's append-only review log, one JSON object per
  answer. Every ``reviews-*.jsonl`` in the folder is read, so a file syncer never sees two
  machines writing one file.
- ``snapshot-<machine>.json``: a cache of every card's progress and of how many bytes of each
  log it covers (``{"version": 1, "logs": {name: {"offset": n, "head": sha256}}, "cards":
  {...}}``). It can always be rebuilt from the logs; opening the store reads it and then only
  the bytes each log gained since.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import gc
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from awsquiz import fastjson
from awsquiz.errors import AwsquizError
from awsquiz.model import CardProgress, Review, ReviewDict

try:  # POSIX only; without it appends still use O_APPEND, just unlocked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOG_VERSION = 1
SNAPSHOT_VERSION = 2  # 2: each card as a flat list (CardProgress.to_row)
HEAD_BYTES = 256
LOG_GLOB = "reviews-*.jsonl"
# Leave this much room on the disk before a session starts (a few thousand answers).
MIN_FREE_BYTES = 1 << 20

Warn = Callable[[str], None]

_O_BINARY = getattr(os, "O_BINARY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_RECORD_START = '{"v":'
_TORN = "skipped an incomplete answer (the program stopped while saving it)"
_BAD_LINE_HINT = (
    "the file was not changed. Open it in a text editor, fix or delete that line "
    "(keep a copy first), then run the command again"
)


def _ignore(message: str) -> None:
    return None


def new_review_id() -> str:
    """A unique id for one answer: 96 random bits as hex."""
    return os.urandom(12).hex()


def machine_name(machine: str | None = None) -> str:
    """This machine's name for file names: AWSQUIZ_MACHINE or the hostname, as [a-z0-9-]."""
    raw = machine if machine is not None else os.environ.get("AWSQUIZ_MACHINE") or ""
    if not raw:
        try:
            raw = os.uname().nodename  # the host name, without importing socket
        except (AttributeError, OSError):  # pragma: no cover - Windows
            import socket

            raw = socket.gethostname()
    name = re.sub(r"[^a-z0-9-]+", "-", raw.lower()).strip("-")
    return name or "local"


def log_files(folder: Path) -> list[Path]:
    """Every review log in a progress folder, by name."""
    try:
        # os.scandir, not Path.glob: glob treats an unreadable folder as empty, which would
        # show a learner no progress at all instead of saying why.
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if fnmatch.fnmatchcase(entry.name, LOG_GLOB)]
        return sorted(p for p in (folder / name for name in names) if p.is_file())
    except OSError as exc:
        raise _io_error(folder, "could not list the progress folder", exc) from exc


# ---------------------------------------------------------------------------------------------
# Reading log lines


def _is_torn(line: str | bytes, exc: ValueError) -> bool:
    """True if a line that failed to parse looks like a record cut short by a crash."""
    text = (line.decode("utf-8", "replace") if isinstance(line, bytes) else line).rstrip()
    if not (text.startswith(_RECORD_START) or _RECORD_START.startswith(text)):
        return False
    if not text.endswith("}"):
        return True
    # A cut that happens to fall just after a "}" (the end of the nested state): the parser
    # ran out of input rather than meeting something wrong.
    import json

    if isinstance(exc, json.JSONDecodeError):
        return exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string")
    return False


def _is_int(value: object) -> bool:
    return type(value) is int


def _is_num(value: object) -> bool:
    """A whole or finite number (the json module reads NaN and Infinity too)."""
    return type(value) is int or (type(value) is float and math.isfinite(value))


def _check_state(state: object) -> str | None:
    if type(state) is not dict:
        return 'field "state" should be an object with the card\'s scheduler state'
    if not _is_int(state.get("state")):
        return 'field "state.state" should be a whole number'
    step = state.get("step")
    if step is not None and not _is_int(step):
        return 'field "state.step" should be a whole number or null'
    for name in ("stability", "difficulty"):
        value = state.get(name)
        if value is not None and not _is_num(value):
            return f'field "state.{name}" should be a number or null'
    if type(state.get("due")) is not str:
        return 'field "state.due" should be a time (text)'
    last = state.get("last_review")
    if last is not None and type(last) is not str:
        return 'field "state.last_review" should be a time (text) or null'
    for name in ("reps", "lapses"):
        if name in state and not _is_int(state[name]):
            return f'field "state.{name}" should be a whole number'
    return None


def _check_record(obj: object) -> str | None:
    """What is wrong with one parsed log record, or None if it is a valid review."""
    if type(obj) is not dict:
        return "not a review record (expected a JSON object)"
    version = obj.get("v")
    if type(version) is not int or version < 1:
        return 'field "v" (the log format version) is missing or not a positive whole number'
    if version > LOG_VERSION:
        return (
            f"written by a newer awsquiz (log format version {version}; "
            f"this version reads up to {LOG_VERSION})"
        )
    for name in ("id", "deck", "card", "time"):
        value = obj.get(name)
        if type(value) is not str or not value:
            return f'field "{name}" is missing or not text'
    try:
        datetime.fromisoformat(obj["time"])
    except ValueError:
        return f'field "time" is not an ISO 8601 time: {obj["time"]!r}'
    rating = obj.get("rating")
    if type(rating) is not int or not 1 <= rating <= 4:
        return 'field "rating" should be 1, 2, 3 or 4'
    if "right" not in obj or obj["right"] not in (True, False, None):
        return 'field "right" should be true, false or null'
    picked = obj.get("picked")
    if (
        picked is not None
        and type(picked) is not str
        and (type(picked) is not list or any(type(item) is not str for item in picked))
    ):
        return 'field "picked" should be text, a list of texts, or null'
    if "ms" in obj and not _is_num(obj["ms"]):
        return 'field "ms" should be a number'
    if "kind" in obj and type(obj["kind"]) is not str:
        return 'field "kind" should be text'
    return _check_state(obj.get("state"))


class _Lines:
    """Line numbers of a chunk of a log that starts at byte `offset`, counted only if needed."""

    def __init__(self, path: Path, offset: int) -> None:
        self.path = path
        self.offset = offset
        self._base: int | None = 0 if offset == 0 else None

    def where(self, index: int) -> str:
        if self._base is None:
            try:
                with open(self.path, "rb") as handle:
                    self._base = handle.read(self.offset).count(b"\n")
            except OSError:
                self._base = 0
        return f"{self.path}:{self._base + index + 1}"


def _split_lines(body: bytes) -> list[Any]:
    """The lines of `body` as text, or as bytes if some line is not valid UTF-8."""
    try:
        return body.decode("utf-8").split("\n")
    except UnicodeDecodeError:  # a damaged line somewhere: keep bytes, to find and name it
        return body.split(b"\n")


def _parse_records(
    path: Path, data: bytes, offset: int, warn: Warn
) -> tuple[list[ReviewDict], int]:
    """The valid records in `data` (bytes of `path` from `offset`) and how many bytes of
    complete lines they cover. Torn lines are skipped with a warning; any other bad line
    raises AwsquizError naming the file and line."""
    consumed = data.rfind(b"\n") + 1
    tail = data[consumed:]  # the last line when it has no newline yet
    body = data if consumed == len(data) else data[:consumed]
    lines = _split_lines(body)
    lines.pop()  # what follows the last newline: nothing
    where = _Lines(path, offset)
    fast, check = fastjson.loads, _check_record
    records: list[Any] = []
    append = records.append
    for index, line in enumerate(lines):
        try:  # the fast path (orjson), for a line of strict JSON that is a valid record
            obj = fast(line)
            problem = check(obj)
        except ValueError:
            problem = "unread"
        if problem is not None:
            obj = _read_slowly(line, where, index, warn)
            if obj is None:
                continue  # torn
        append(obj)
    if tail.strip():
        # The last line has no newline yet: a crash cut it short, or it lacks only the newline.
        obj = _read_slowly(tail, where, len(lines), warn)
        if obj is not None:
            append(obj)  # complete but unterminated: used, yet not counted as consumed
    return records, consumed


def _read_slowly(line: str | bytes, where: _Lines, index: int, warn: Warn) -> Any:
    """One line read by the standard library, whose reading is the format's: it reads what
    orjson refuses (NaN, integers beyond 64 bits, which orjson turns into floats) and says
    what is wrong with a bad line. None for a torn line (after a warning); AwsquizError for
    any other bad line."""
    import json

    try:
        obj = json.loads(line)
    except ValueError as exc:
        if _is_torn(line, exc):
            warn(f"{where.where(index)}: {_TORN}")
            return None
        raise _bad_line(where.where(index), "not valid JSON (the line is damaged)") from exc
    problem = _check_record(obj)
    if problem is not None:
        raise _bad_line(where.where(index), problem)
    return obj


def _bad_line(where: str, problem: str) -> AwsquizError:
    if problem.startswith("written by a newer awsquiz"):
        hint = (
            "upgrade awsquiz (pip install --upgrade awsquiz) to read it; "
            "the file was not changed"
        )
    else:
        hint = _BAD_LINE_HINT
    return AwsquizError(f"{where}: {problem}", hint=hint)


def _read_from(path: Path, offset: int) -> bytes:
    """The bytes of `path` from `offset`, read under a shared lock so that a local writer's
    half-written line is never seen."""
    try:
        with open(path, "rb") as handle:
            locked = _lock(handle.fileno(), shared=True)
            try:
                handle.seek(offset)
                return handle.read()
            finally:
                if locked:
                    _unlock(handle.fileno())
    except OSError as exc:
        raise _io_error(path, "could not read the review log", exc) from exc


def _head(path: Path, length: int) -> str | None:
    import hashlib  # here, not at the top: a session's first card needs no store read

    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read(length)).hexdigest()
    except OSError:
        return None


def _lock(fd: int, *, shared: bool = False) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
    except OSError:  # a file system without locks: carry on with O_APPEND alone
        return False
    return True


def _unlock(fd: int) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):  # closing the file unlocks it anyway
            fcntl.flock(fd, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------------
# Errors and atomic writes


def _io_error(path: Path, what: str, exc: OSError) -> AwsquizError:
    reason = exc.strerror or str(exc)
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        hint = "free some disk space, then run the command again"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = (
            "make the folder writable, or keep progress elsewhere with --progress DIR "
            "or AWSQUIZ_PROGRESS"
        )
    elif code in (errno.ENOENT, errno.ENOTDIR):
        hint = "check that the path exists and is a folder, or choose another with --progress DIR"
    else:
        hint = "check the disk and the folder's permissions, then run the command again"
    return AwsquizError(f"{path}: {what}: {reason}", hint=hint)


def _fsync_dir(folder: Path) -> None:
    """Make a new or renamed entry in `folder` survive a power cut (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # pragma: no cover - regular files raise instead
            raise OSError(errno.EIO, "nothing was written")
        view = view[written:]


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write a whole file so that readers see the old one or the new one, never half of it.

    Raises FileExistsError if `overwrite` is false and `path` exists, OSError otherwise.
    """
    import tempfile  # only when saving a whole file: not on the way to the first card

    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o644)  # like the log, not mkstemp's 0600
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)  # fails if `path` exists, atomically
            except FileExistsError:
                raise
            except OSError as exc:  # a file system without hard links
                if path.exists():
                    raise FileExistsError(
                        errno.EEXIST, os.strerror(errno.EEXIST), str(path)
                    ) from exc
                os.replace(temp, path)
        _fsync_dir(path.parent)
    finally:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover
            pass


def dumps_review(review: Review) -> bytes:
    """One log line, newline included."""
    import json  # the standard library's, so every log line is written as it always was

    text = json.dumps(review.to_dict(LOG_VERSION), separators=(",", ":"))
    return text.encode("ascii") + b"\n"


# ---------------------------------------------------------------------------------------------
# Folding reviews into progress


def fold(progress: dict[str, CardProgress], records: Iterable[ReviewDict]) -> None:
    """Fold log records into `progress` in place: the newest review by (time, id) gives a
    card's state, the oldest its first time. Order and duplicates do not matter."""
    folding = _Fold()
    folding.add(records)
    folding.into(progress)


class _Fold:
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
        _fold_into(progress, self.newest, self.oldest)


def _fold_into(
    progress: dict[str, CardProgress],
    newest: dict[str, ReviewDict],
    oldest: dict[str, ReviewDict],
) -> None:
    for key, record in newest.items():
        review = Review.from_dict(record)
        current = progress.get(key)
        current = CardProgress.first(review) if current is None else current.updated(review)
        first = oldest[key]
        if first is not record:
            current = current.updated(Review.from_dict(first))
        progress[key] = current


def progress_of(reviews: Iterable[Review]) -> dict[str, CardProgress]:
    """Each card's progress from a set of reviews (the reference fold)."""
    progress: dict[str, CardProgress] = {}
    for review in reviews:
        current = progress.get(review.key)
        progress[review.key] = (
            CardProgress.first(review) if current is None else current.updated(review)
        )
    return progress


def _snapshot_shape(data: object) -> tuple[dict[str, tuple[int, str]], dict[str, CardProgress]]:
    """The logs and cards of a snapshot; ValueError if it is not one this version wrote."""
    if type(data) is not dict or data.get("version") != SNAPSHOT_VERSION:
        raise ValueError("not a snapshot of this version")
    raw_logs, raw_cards = data.get("logs"), data.get("cards")
    if type(raw_logs) is not dict or type(raw_cards) is not dict:
        raise ValueError("no logs or cards")
    logs: dict[str, tuple[int, str]] = {}
    for name, entry in raw_logs.items():
        if (
            "/" in name
            or "\\" in name
            or not (name.startswith("reviews-") and name.endswith(".jsonl"))
            or type(entry) is not dict
            or not _is_int(entry.get("offset"))
            or entry["offset"] < 0
            or type(entry.get("head")) is not str
        ):
            raise ValueError(f"bad log entry {name!r}")
        logs[name] = (entry["offset"], entry["head"])
    try:
        from_row = CardProgress.from_row
        cards = {key: from_row(row) for key, row in raw_cards.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("bad card") from exc
    return logs, cards


# ---------------------------------------------------------------------------------------------
# The store


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
        # log file name -> (bytes consumed, sha256 of the first min(offset, 256) bytes)
        self._logs: dict[str, tuple[int, str]] = {}
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
        warn: Warn = _ignore,
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
        warn: Warn = _ignore,
    ) -> Store:
        """The store of a progress folder (created if missing), with nothing read yet: ready
        for `ensure_writable`, and for `load` before its progress is used."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise AwsquizError(
                f"{folder}: the progress folder is a file, not a folder",
                hint="choose another with --progress DIR or AWSQUIZ_PROGRESS",
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _io_error(folder, "could not create the progress folder", exc) from exc
        return cls(folder, machine_name(machine), warn)

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
        try:
            raw = self.snapshot_path.read_bytes()
        except FileNotFoundError:
            return
        except OSError:
            return  # unreadable cache: rebuild from the logs
        try:
            with _bulk():
                logs, cards = _snapshot_shape(fastjson.loads(raw))
        except ValueError:
            return
        self._logs, self.progress, self._loaded = logs, cards, True

    def _stale(self, logs: list[Path]) -> bool:
        present = {path.name: path for path in logs}
        for name, (offset, head) in self._logs.items():
            path = present.get(name)
            if path is None:
                return True  # a log the cache counted is gone
            try:
                size = path.stat().st_size
            except OSError:
                return True
            if size < offset or _head(path, min(offset, HEAD_BYTES)) != head:
                return True  # rewritten or replaced
        return False

    def catch_up(self) -> None:
        """Fold in what every log gained since it was last read (all of it for a new log);
        start over from the logs if one was rewritten or removed. Nothing changes if a log
        holds a bad line (AwsquizError)."""
        logs = log_files(self.folder)
        self.rebuilt = not self._loaded or self._stale(logs)
        if self.rebuilt:
            progress: dict[str, CardProgress] = {}
            known: dict[str, tuple[int, str]] = {}
        else:
            progress = dict(self.progress)
            known = dict(self._logs)
        folding = _Fold()
        # The collector paused throughout: parsing makes and drops a dict per line, none in
        # a cycle, and would otherwise set it off every few hundred lines.
        with _bulk():
            for path in logs:
                offset = end = known.get(path.name, (0, ""))[0]
                # A megabyte of lines at a time, keeping only each card's newest and oldest
                # record: memory stays flat however long the history.
                for records, chunk_end in _record_chunks(path, self.warn, offset):
                    folding.add(records)
                    end = chunk_end
                if offset >= HEAD_BYTES:
                    head = known[path.name][1]
                else:
                    head = _head(path, min(end, HEAD_BYTES)) or ""  # "": unreadable: stale
                known[path.name] = (end, head)
            folding.into(progress)
        if self.rebuilt:
            # Reviews this process appended are in its log, so nothing in memory is lost.
            self.progress.clear()
        self.progress.update(progress)
        self._logs = known
        self._loaded = True

    # -- writing ---------------------------------------------------------------------------

    def ensure_writable(self) -> None:
        """Raise AwsquizError now if answers could not be saved, before a session starts."""
        try:
            fd = self._open_log()
            os.close(fd)
        except OSError as exc:
            raise _io_error(self.log_path, "answers could not be saved", exc) from exc
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
            _fsync_dir(self.folder)
            return fd

    def append(self, review: Review) -> None:
        """Save one answer: one line appended to this machine's log and fsynced, in time that
        does not depend on the length of the history."""
        self.append_many([review])

    def append_many(self, reviews: Iterable[Review]) -> int:
        """Save several answers with one write and one fsync; returns how many."""
        items = list(reviews)
        if not items:
            return 0
        data = b"".join(dumps_review(review) for review in items)
        try:
            fd = self._open_log()
        except OSError as exc:
            raise _io_error(self.log_path, "could not save the answer", exc) from exc
        stage = "could not save the answer"
        try:
            locked = _lock(fd)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data  # after a torn line: start on a fresh line
                if len(items) == 1:
                    written = os.write(fd, data)
                    if written != len(data):
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                else:
                    _write_all(fd, data)
                stage = "could not make sure the answer reached the disk"
                os.fsync(fd)
            finally:
                if locked:
                    _unlock(fd)
        except OSError as exc:
            raise _io_error(self.log_path, stage, exc) from exc
        finally:
            os.close(fd)
        progress = self.progress
        for review in items:
            current = progress.get(review.key)
            progress[review.key] = (
                CardProgress.first(review) if current is None else current.updated(review)
            )
        return len(items)

    def save_snapshot(self) -> None:
        """Catch up with every log, then write the snapshot atomically."""
        self.catch_up()
        try:
            self._write_snapshot()
        except OSError as exc:
            error = _io_error(self.snapshot_path, "could not save the snapshot", exc)
            error.hint += " (answers are safe in the review log; the snapshot is a cache)"
            raise error from exc

    def _write_snapshot(self) -> None:
        document = {
            "version": SNAPSHOT_VERSION,
            "logs": {
                name: {"offset": offset, "head": head}
                for name, (offset, head) in sorted(self._logs.items())
            },
            "cards": {key: card.to_row() for key, card in self.progress.items()},
        }
        data = fastjson.dumps(document)  # a cache, read back only by fastjson
        atomic_write(self.snapshot_path, data)

    # -- reading everything ----------------------------------------------------------------

    def reviews(self) -> list[Review]:
        """Every review in every log, deduplicated by id, sorted by (time, id)."""
        return read_reviews(log_files(self.folder), self.warn)

    def history(self) -> list[Answered]:
        """Every review in every log, deduplicated and in time order, in compact form: a long
        history (a million answers) read for statistics without a Review object per line."""
        return read_history(log_files(self.folder), self.warn)

    def review_ids(self) -> set[str]:
        """The id of every review in every log."""
        return set(read_records(log_files(self.folder), self.warn))


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that are all
    kept: it would otherwise walk them again and again (a third of the time at 100k lines)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_records(paths: Iterable[Path], warn: Warn = _ignore) -> dict[str, ReviewDict]:
    """The checked records of these log files by review id (the first copy of each id)."""
    unique: dict[str, ReviewDict] = {}
    with _bulk():
        for path in paths:
            records, _ = _parse_records(path, _read_from(path, 0), 0, warn)
            for record in records:
                unique.setdefault(record["id"], record)
    return unique


def to_reviews(records: Iterable[ReviewDict]) -> list[Review]:
    """Reviews from checked records, sorted by (time, id)."""
    ordered = sorted(records, key=lambda record: (record["time"], record["id"]))
    with _bulk():
        return [Review.from_dict(record) for record in ordered]


def read_reviews(paths: Iterable[Path], warn: Warn = _ignore) -> list[Review]:
    """Every review in these log files, deduplicated by id, sorted by (time, id)."""
    return to_reviews(read_records(paths, warn).values())


class Answered(NamedTuple):
    """One review as statistics need it. Sorts by (time, id), like the reviews themselves."""

    time: str
    id: str
    deck: str
    key: str  # deck/card
    rating: int
    right: bool | None
    picked: tuple[str, ...] | str | None
    ms: int
    after: int  # the card's fsrs state after this review

    @property
    def missed(self) -> bool:
        return self.right is False or (self.right is None and self.rating == 1)


_CHUNK = 1 << 20  # log bytes parsed at a time: memory stays flat however long the history


def read_history(paths: Iterable[Path], warn: Warn = _ignore) -> list[Answered]:
    """Every review in these logs as `Answered`, deduplicated by id, sorted by (time, id)."""
    unique: dict[str, Answered] = {}
    shared: dict[str, str] = {}  # one string object per deck and card key
    with _bulk():
        for path in paths:
            for records, _ in _record_chunks(path, warn):
                for r in records:
                    if r["id"] in unique:
                        continue
                    picked = r.get("picked")
                    deck = shared.setdefault(r["deck"], r["deck"])
                    key = deck + "/" + r["card"]
                    unique[r["id"]] = Answered(
                        r["time"],
                        r["id"],
                        deck,
                        shared.setdefault(key, key),
                        r["rating"],
                        r["right"],
                        tuple(picked) if isinstance(picked, list) else picked,
                        int(r.get("ms", 0)),
                        r["state"]["state"],
                    )
    return sorted(unique.values())


def _record_chunks(
    path: Path, warn: Warn, start: int = 0
) -> Iterator[tuple[list[ReviewDict], int]]:
    """The checked records of a log from byte `start`, a megabyte of lines at a time, each
    with the offset just past its last complete line. Read under a shared lock, so that a
    local writer's half-written line is never seen."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - held across the generator's yields
    except OSError as exc:
        raise _io_error(path, "could not read the review log", exc) from exc
    with handle:
        locked = _lock(handle.fileno(), shared=True)
        try:
            handle.seek(start)
            offset = start
            carry = b""
            while True:
                try:
                    block = handle.read(_CHUNK)
                except OSError as exc:
                    raise _io_error(path, "could not read the review log", exc) from exc
                if not block:
                    break
                data = carry + block
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                records, _ = _parse_records(path, data[:cut], offset, warn)
                offset += cut
                yield records, offset
                carry = data[cut:]
            if carry:
                # A last line without its newline: used if complete, never counted as read.
                records, _ = _parse_records(path, carry, offset, warn)
                yield records, offset
        finally:
            if locked:
                _unlock(handle.fileno())
