"""Reading review logs: every line checked, torn last lines skipped, bad lines named.

orjson reads each line first; any line it refuses or that fails the check is read again by
the standard library, whose reading is the format's, to find out what is wrong with it.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, cast

from awsquiz.errors import AwsquizError
from awsquiz.model import MARK_KINDS, Answered, Mark, MarkDict, Review, ReviewDict
from awsquiz.store.logfiles import Warn, ignore, io_error, lock, read_from, unlock
from awsquiz.store.records import RECORD_START, all_need_nothing, check_record
from awsquiz.store.snapshot import stamp_of
from awsquiz.system import fastjson

_TORN = "skipped an incomplete answer (the program stopped while saving it)"
_BAD_LINE_HINT = (
    "the file was not changed. Open it in a text editor, fix or delete that line "
    "(keep a copy first), then run the command again"
)


def _is_torn(line: str | bytes, exc: ValueError) -> bool:
    """True if a line that failed to parse looks like a record cut short by a crash."""
    text = (line.decode("utf-8", "replace") if isinstance(line, bytes) else line).rstrip()
    if not (text.startswith(RECORD_START) or RECORD_START.startswith(text)):
        return False
    if not text.endswith("}"):
        return True
    # A cut that happens to fall just after a "}" (the end of the nested state): the parser
    # ran out of input rather than meeting something wrong.
    import json

    if isinstance(exc, json.JSONDecodeError):
        return exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string")
    return False



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


def parse_records(
    path: Path, data: bytes, offset: int, warn: Warn, vouched: bool = False
) -> tuple[list[ReviewDict], int]:
    """The valid records in `data` (bytes of `path` from `offset`) and how many bytes of
    complete lines they cover. Torn lines are skipped with a warning; any other bad line
    raises AwsquizError naming the file and line. `vouched`: every line was checked before
    (`store.snapshot.vouched`), so only their times' form is confirmed."""
    consumed = data.rfind(b"\n") + 1
    tail = data[consumed:]  # the last line when it has no newline yet
    body = data if consumed == len(data) else data[:consumed]
    if vouched and not tail:
        vouched_records = _checked_before(body)
        if vouched_records is not None:
            return vouched_records, consumed
    lines = _split_lines(body)
    lines.pop()  # what follows the last newline: nothing
    where = _Lines(path, offset)
    fast, check = fastjson.loads, check_record
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


def _checked_before(body: bytes) -> list[Any] | None:
    """The records of lines checked before, if each is still as the check left it (see
    `records.all_need_nothing`); None to read them as any other lines (one is not, or cannot
    be read).

    The lines are read as one JSON array, a call to orjson instead of one per line: lines
    checked one by one before are each one JSON value, so that the array holds one value per
    line, which its length confirms."""
    count = body.count(b"\n")
    try:
        records = fastjson.loads(b"".join((b"[", body[:-1].replace(b"\n", b","), b"]")))
    except ValueError:
        return None
    if type(records) is not list or len(records) != count:
        return None
    return records if all_need_nothing(records) else None


def _read_slowly(line: str | bytes, where: _Lines, index: int, warn: Warn) -> Any:
    """One line read by the standard library, whose reading is the format's: it reads what
    orjson refuses (NaN, integers beyond 64 bits, which orjson turns into floats) and says
    what is wrong with a bad line. None for a torn line (after a warning); AwsquizError for
    any other bad line."""
    try:
        obj = fastjson.reference_loads(line)
    except ValueError as exc:
        if _is_torn(line, exc):
            warn(f"{where.where(index)}: {_TORN}")
            return None
        raise _bad_line(where.where(index), "not valid JSON (the line is damaged)") from exc
    problem = check_record(obj)
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


def read_records(paths: Iterable[Path], warn: Warn = ignore) -> dict[str, ReviewDict]:
    """The checked records of these log files by review id (the first copy of each id)."""
    unique: dict[str, ReviewDict] = {}
    for path in paths:
        records, _ = parse_records(path, read_from(path, 0), 0, warn)
        for record in records:
            unique.setdefault(record["id"], record)
    return unique


def to_records(records: Iterable[ReviewDict]) -> list[Review | Mark]:
    """Reviews and marks from checked records, sorted by (time, id)."""
    ordered = sorted(records, key=lambda record: (record["time"], record["id"]))
    return [
        Mark.from_dict(cast(MarkDict, record))
        if record.get("kind") in MARK_KINDS
        else Review.from_dict(record)
        for record in ordered
    ]


def to_reviews(records: Iterable[ReviewDict]) -> list[Review]:
    """The reviews (not the marks) of checked records, sorted by (time, id)."""
    return [record for record in to_records(records) if isinstance(record, Review)]


def read_reviews(paths: Iterable[Path], warn: Warn = ignore) -> list[Review]:
    """Every review in these log files, deduplicated by id, sorted by (time, id); cancelled
    reviews included (see `cancelled_ids`)."""
    return to_reviews(read_records(paths, warn).values())


def cancelled_ids(records: Iterable[ReviewDict]) -> set[str]:
    """The ids of the reviews that an undo among `records` cancels."""
    return {
        cast(MarkDict, record)["undoes"]
        for record in records
        if record.get("kind") == "undo"
    }



_CHUNK = 1 << 15  # log bytes parsed at a time (see `record_chunks`)


def read_history(paths: Iterable[Path], warn: Warn = ignore) -> list[Answered]:
    """Every review in these logs as `Answered`, deduplicated by id, sorted by (time, id);
    reviews cancelled by an undo left out."""
    unique: dict[str, Answered] = {}
    shared: dict[str, str] = {}  # one string object per deck and card key
    cancelled: set[str] = set()
    for path in paths:
        for chunk in record_chunks(path, warn):
            for r in chunk.records:
                if r["id"] in unique:
                    continue
                if r.get("kind") in MARK_KINDS:
                    cancelled.update(cancelled_ids([r]))
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
    for rid in cancelled:
        unique.pop(rid, None)  # a cancelled review counts nowhere
    return sorted(unique.values())


_TAIL = 1 << 16  # the bytes at a log's end looked at for its last review


def last_review_time(path: Path) -> str | None:
    """The time of the last review among a log's last complete lines (those that are not
    valid reviews passed over); None if there is none there or the log cannot be read."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - _TAIL))
            lines = handle.read(_TAIL).split(b"\n")
    except OSError:
        return None
    lines.pop()  # what follows the last newline: nothing, or a line being written
    for line in reversed(lines[1:] if size > _TAIL else lines):  # the first may be cut
        try:
            obj = fastjson.loads(line)
        except ValueError:
            continue
        if check_record(obj) is None and obj.get("kind") not in MARK_KINDS:
            return cast(str, obj["time"])
    return None


class Chunk(NamedTuple):
    """Checked records of a log, the offset just past their last complete line, the CRC-32
    of every complete line read so far (continued from the one given), and, with the last
    chunk, the log's stamp if those lines were all of it (else None)."""

    records: list[ReviewDict]
    end: int
    crc: int
    stamp: tuple[int, ...] | None


def record_chunks(
    path: Path, warn: Warn, start: int = 0, crc: int = 0, stop: int | None = None,
    vouched: int = 0,
) -> Iterator[Chunk]:
    """The checked records of a log from byte `start`, `_CHUNK` bytes of lines at a time.
    Read under a shared lock, so that a local writer's half-written line is never seen; the
    last chunk (there is always one) carries the stamp. With `stop` (just after a newline),
    only the lines before it are read, and no chunk carries a stamp. The first `vouched`
    bytes were checked before (`parse_records`).

    A chunk is small (32 KB, some 80 lines) so that its records are still in the processor's
    cache when the caller goes through them (a first `stats`, benchmarks/RESULTS.md); memory
    stays flat however long the history."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - held across the generator's yields
    except OSError as exc:
        raise io_error(path, "could not read the review log", exc) from exc
    with handle:
        locked = lock(handle.fileno(), shared=True)
        try:
            handle.seek(start)
            offset = start
            carry = b""
            waiting: list[bytes] = []  # blocks of one long line, joined once it ends
            pending: Chunk | None = None
            while True:
                size = _CHUNK if stop is None else min(_CHUNK, stop - offset - len(carry)
                                                       - sum(map(len, waiting)))
                try:
                    block = handle.read(size) if size > 0 else b""
                except OSError as exc:
                    raise io_error(path, "could not read the review log", exc) from exc
                if not block:
                    break
                if b"\n" not in block:
                    waiting.append(block)  # never `carry + block` again and again: linear
                    continue
                data = b"".join([carry, *waiting, block])
                waiting.clear()
                cut = data.rfind(b"\n") + 1
                records, _ = parse_records(path, data[:cut], offset, warn,
                                           offset + cut <= vouched)
                offset += cut
                crc = zlib.crc32(memoryview(data)[:cut], crc)
                if pending is not None:
                    yield pending
                pending = Chunk(records, offset, crc, None)
                carry = data[cut:]
            if pending is not None:
                yield pending
            if waiting:
                carry = b"".join([carry, *waiting])
            stamp = None
            if not carry and stop is None:
                try:
                    stat = os.fstat(handle.fileno())
                except OSError:
                    stat = None
                if stat is not None and stat.st_size == offset:
                    stamp = stamp_of(stat)
            # A last line without its newline: used if complete, never counted as read.
            records = parse_records(path, carry, offset, warn)[0] if carry else []
            yield Chunk(records, offset, crc, stamp)
        finally:
            if locked:
                unlock(handle.fileno())
