"""The snapshot: a cache of every card's progress and of how much of each log it covers.

``snapshot-<machine>.json`` holds ``{"version": SNAPSHOT_VERSION, "logs": {name: {"offset": n,
"crc": c, "stamp": s}}, "cards": {key: row}, "cancelled": [review id], "suspensions": {key:
[time, id, suspended]}}``: it can always be rebuilt from the logs, so opening the store reads
it and then only the bytes each log gained since.

A log the snapshot covers is trusted only while it is provably the same: either its stamp
(size, change times, inode) is exactly what it was when the snapshot read all of it, or the
checksum of its first `offset` bytes (CRC-32, which can be continued from a stored value, so
appending never needs the old bytes again) still matches. Any edit of a covered line, of
any length and whatever the modification time says, is noticed and the logs are read again.
"""

from __future__ import annotations

import os
import threading
import zlib
from pathlib import Path
from typing import NamedTuple

from awsquiz.model import CardProgress
from awsquiz.store.fold import Marks
from awsquiz.store.logfiles import is_log_name
from awsquiz.system import fastjson
from awsquiz.system.files import atomic_write, sealed, unsealed

SNAPSHOT_VERSION = 4  # 3: each log's checksum of every covered byte and its stamp; sealed; 4: marks
_BLOCK = 1 << 20


class Coverage(NamedTuple):
    """How much of one log a snapshot covers: bytes, their CRC-32, and the log's stamp when
    those bytes were the whole file (None when the file held more, or it is not known)."""

    offset: int
    crc: int
    stamp: tuple[int, ...] | None


Covered = dict[str, Coverage]


def stamp_of(stat: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's content does (ctime cannot be set back by a program)."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


def read_snapshot(path: Path) -> tuple[Covered, dict[str, CardProgress], Marks] | None:
    """The logs covered and the cards of a snapshot; None if there is none this version can
    use (missing, unreadable, damaged, of another version)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    body = unsealed(raw)
    if body is None:
        return None
    try:
        return _snapshot_shape(fastjson.loads(body))
    except ValueError:
        return None


def write_snapshot(
    path: Path, logs: Covered, progress: dict[str, CardProgress], marks: Marks
) -> None:
    document = {
        "version": SNAPSHOT_VERSION,
        "logs": {
            name: {"offset": mark.offset, "crc": mark.crc,
                   "stamp": list(mark.stamp) if mark.stamp else None}
            for name, mark in sorted(logs.items())
        },
        "cards": {key: card.to_row() for key, card in progress.items()},
        "cancelled": sorted(marks.cancelled),
        "suspensions": {key: list(stamp) for key, stamp in marks.suspensions.items()},
    }
    atomic_write(path, sealed(fastjson.dumps(document)))  # a cache, read back by fastjson


# CRC-32s being worked out by a thread (`crc_ahead`), by path and length.
_AHEAD: dict[tuple[str, int], tuple[threading.Thread, list[int | None]]] = {}


def crc_ahead(path: Path, length: int) -> None:
    """Start working out `crc_of(path, length)` in a thread, for a check to come: reading and
    checksumming let other work go on meanwhile (a `stats` after new answers checks the
    bytes its figures cover while it reads its caches). `settle_ahead` before forking."""
    key = (os.fspath(path), length)
    if key in _AHEAD:
        return
    found: list[int | None] = []
    thread = threading.Thread(target=lambda: found.append(_mapped_crc(path, length)),
                              daemon=True)
    _AHEAD[key] = (thread, found)
    thread.start()


def settle_ahead() -> None:
    """Wait for every `crc_ahead` still under way (a child is forked only with no thread)."""
    for thread, _ in list(_AHEAD.values()):
        thread.join()


def crc_of(path: Path, length: int) -> int | None:
    """The CRC-32 of the first `length` bytes of `path`; None if they cannot all be read."""
    ahead = _AHEAD.pop((os.fspath(path), length), None)
    if ahead is not None:
        ahead[0].join()
        if ahead[1]:
            return ahead[1][0]
    return _crc(path, length)


def _mapped_crc(path: Path, length: int) -> int | None:
    """`_crc` in one call over the file mapped into memory: the thread of `crc_ahead` takes
    the interpreter's lock back once, not twice a block (each time waiting for it)."""
    import mmap

    try:
        with open(path, "rb") as handle:
            if not length or os.fstat(handle.fileno()).st_size < length:
                return _crc(path, length)
            with (mmap.mmap(handle.fileno(), length, access=mmap.ACCESS_READ) as mapped,
                  memoryview(mapped) as view):
                return zlib.crc32(view)
    except (OSError, ValueError):
        return None


def _crc(path: Path, length: int) -> int | None:
    crc, left = 0, length
    buffer = bytearray(_BLOCK)  # one buffer read into again and again: no copy per block
    view = memoryview(buffer)
    try:
        with open(path, "rb", buffering=0) as handle:
            while left:
                count = handle.readinto(view[: min(left, _BLOCK)])
                if not count:
                    return None
                crc = zlib.crc32(view[:count], crc)
                left -= count
    except OSError:
        return None
    return crc


def is_stale(covered: Covered, logs: list[Path]) -> bool:
    """Whether a log the snapshot covers is gone or differs in any byte it covers."""
    present = {path.name: path for path in logs}
    for name, mark in covered.items():
        path = present.get(name)
        if path is None:
            return True  # a log the cache counted is gone
        try:
            stat = path.stat()
        except OSError:
            return True
        if mark.stamp is not None and stamp_of(stat) == mark.stamp:
            continue  # untouched since every byte of it was read
        if stat.st_size < mark.offset or crc_of(path, mark.offset) != mark.crc:
            return True  # rewritten, edited or replaced
    return False


def vouched(folder: Path, path: Path, machine: str) -> int:
    """How many leading bytes of the log `path` this machine's snapshot read, every record
    checked, and that are provably the same still (see the module's docstring); 0 if none."""
    try:
        body = unsealed((folder / f"snapshot-{machine}.json").read_bytes())
        doc = fastjson.loads(body) if body is not None else None
        if type(doc) is not dict or doc.get("version") != SNAPSHOT_VERSION:
            return 0
        mark = _mark(doc["logs"][path.name])
        stat = path.stat()
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    if mark.stamp is not None and stamp_of(stat) == mark.stamp:
        return mark.offset
    if stat.st_size >= mark.offset and crc_of(path, mark.offset) == mark.crc:
        return mark.offset
    return 0


def _mark(entry: object) -> Coverage:
    if type(entry) is not dict:
        raise ValueError("not a log entry")
    offset, crc, stamp = entry.get("offset"), entry.get("crc"), entry.get("stamp")
    if type(offset) is not int or offset < 0 or type(crc) is not int or not 0 <= crc < 1 << 32:
        raise ValueError("bad offset or checksum")
    if stamp is not None and (
        type(stamp) is not list or len(stamp) != 5 or any(type(n) is not int for n in stamp)
    ):
        raise ValueError("bad stamp")
    return Coverage(offset, crc, tuple(stamp) if stamp is not None else None)


def _snapshot_shape(data: object) -> tuple[Covered, dict[str, CardProgress], Marks]:
    """The logs and cards of a snapshot; ValueError if it is not one this version wrote."""
    if type(data) is not dict or data.get("version") != SNAPSHOT_VERSION:
        raise ValueError("not a snapshot of this version")
    raw_logs, raw_cards = data.get("logs"), data.get("cards")
    if type(raw_logs) is not dict or type(raw_cards) is not dict:
        raise ValueError("no logs or cards")
    logs: Covered = {}
    for name, entry in raw_logs.items():
        if not is_log_name(name):
            raise ValueError(f"bad log entry {name!r}")
        logs[name] = _mark(entry)
    try:
        from_row = CardProgress.from_row
        cards = {key: from_row(row) for key, row in raw_cards.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("bad card") from exc
    return logs, cards, _marks_shape(data.get("cancelled"), data.get("suspensions"))


def _marks_shape(cancelled: object, suspensions: object) -> Marks:
    if type(cancelled) is not list or any(type(rid) is not str for rid in cancelled):
        raise ValueError("bad cancelled reviews")
    if type(suspensions) is not dict:
        raise ValueError("bad suspensions")
    marks = Marks(set(cancelled))
    for key, stamp in suspensions.items():
        if (
            type(stamp) is not list
            or len(stamp) != 3
            or type(stamp[0]) is not str
            or type(stamp[1]) is not str
            or type(stamp[2]) is not bool
        ):
            raise ValueError(f"bad suspension {key!r}")
        marks.suspensions[key] = (stamp[0], stamp[1], stamp[2])
    return marks
