"""The figures of `awsquiz stats` (`model.figures.Figures`), cached in the user cache folder
and kept up with the review logs by reading only what they gained.

Like the glance cache, the cache is keyed by each log's size and change times: while no log
changed, it is read as it is. When logs grew, only the bytes after what it covers are read
(each log's offset, the CRC-32 of every byte before it and its stamp, as the snapshot keeps
them, tell a log that grew from one edited or rewritten). Anything else (no cache, a damaged
one, another version, a log rewritten or gone, a review that is not after its card's newest,
an id seen before) means the figures are built again from every log, 32 KB at a time;
only a history whose logs are not each in time order is read whole and sorted first. The
answer is always the one a full read of the history gives.

One cache per progress folder and UTC offset (the offset decides local days), in three files:
the figures (JSON, behind a checksum), the last days' retention per card (`recent`, read only
when the report needs it) and the sorted hashes of every review id (read only to grow).
"""

from __future__ import annotations

import heapq
import operator
import os
from array import array
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsquiz.model import MARK_KINDS
from awsquiz.model.figures import Figures, LocalDays, id_hash, new_hashes
from awsquiz.model.review import ReviewDict
from awsquiz.store import parts_cache
from awsquiz.store.logfiles import Stamps, Warn, log_files, log_stamps, machine_name
from awsquiz.store.reading import last_review_time, record_chunks
from awsquiz.store.snapshot import Coverage, crc_ahead, is_stale, settle_ahead, vouched
from awsquiz.system import fastjson
from awsquiz.system.files import write_cache

if TYPE_CHECKING:
    from awsquiz.store.figures_halves import Halves

VERSION = parts_cache.VERSION  # 4: review ids hashed to 53 bits, kept as floats

LearnerDay = Callable[[datetime], int]  # `scheduling.days.LearnerDays.number`

# log name -> [offset read up to, CRC-32 of those bytes, the log's stamp if they were all of
# it, else None], as the snapshot keeps them (`store.snapshot.Mark`)
Covered = dict[str, list[Any]]


class Cached:
    """The figures, how they were had ("cached", "grown", "built" or "sorted": see the
    module's docstring), the logs' stamps they cover, the token of the cache that now holds
    them (None: not cached) and of the one they grew from, and their `recent` tallies."""

    def __init__(
        self, figures: Figures, how: str, recent: Callable[[], dict[int, dict[str, list[int]]]],
        *, stamps: Stamps | None = None, token: str | None = None, before: str | None = None,
    ) -> None:
        self.figures = figures
        self.how = how
        self._recent = recent
        self.stamps = stamps
        self.token = token
        self.before = before

    def recent(self) -> dict[int, dict[str, list[int]]]:
        return self._recent()


def start(
    folder: Path, offset_seconds: int, warn: Warn, learner_day: LearnerDay | None = None
) -> Halves | None:
    """On a first run (no figures cached) over one long log: its second half read by a
    second process from now on, for `load` (which is then given what this returns, and the
    same `learner_day`), while this one does other work; else None."""
    if _files(folder, offset_seconds)[0].exists():
        return None
    from awsquiz.store.figures_halves import halves_of  # a first run only

    logs = log_files(folder)
    builder = _Builder(folder, offset_seconds, warn, learner_day)
    builder.prepare(logs)
    return halves_of(builder, logs)


def check_ahead(folder: Path, before: Any, now: Stamps) -> None:
    """For each log that grew since the logs' stamps were `before` (as the figures kept
    with them were made): the checksum of the bytes it held then, which `load` checks before
    the figures grow, worked out in a thread meanwhile (`store.snapshot.crc_ahead`)."""
    if type(before) is not dict:
        return
    for name, stamp in now.items():
        old = before.get(name)
        if type(old) is list and old and type(old[0]) is int and 0 < old[0] < stamp[0]:
            crc_ahead(folder / name, old[0])


def load(
    folder: Path, offset_seconds: int, warn: Warn, early: Halves | None = None,
    learner_day: LearnerDay | None = None,
) -> Cached:
    """The figures of every review log in `folder` (see the module's docstring); `early`,
    from `start`; the answers they gained (`Figures.steps`) in the days of `learner_day`."""
    stamps = log_stamps(folder)
    files = _files(folder, offset_seconds)
    main = _read_main(files[0], folder, offset_seconds)
    if main is not None and stamps is not None and main["stamps"] == stamps:
        try:
            figures = Figures.from_doc(main["figures"])
        except (ValueError, KeyError, TypeError, IndexError):
            figures = None
        if figures is not None:
            token = main["token"]

            def read_recent() -> dict[int, dict[str, list[int]]]:
                found = _read_recent(files[1], token)
                if found is None:  # missing or damaged: the figures are built again
                    found = _Builder(folder, offset_seconds, warn).run(None, files)[0].recent
                return found

            if early is not None:
                early.cancel()
            return Cached(figures, "cached", read_recent, stamps=stamps, token=token,
                          before=token)
    builder = _Builder(folder, offset_seconds, warn, learner_day)
    figures, covered, hashes = builder.run(main, files, early)
    figures.settle()
    token = None
    if stamps is not None and not builder.unsettled and not builder.warned:
        token = _write(files, folder, stamps, figures, covered, hashes)
    recent = figures.recent
    before = main["token"] if main is not None and builder.how == "grown" else None
    return Cached(figures, builder.how, lambda: recent, stamps=stamps, token=token,
                  before=before)


def every_step(
    folder: Path, offset_seconds: int, warn: Warn, learner_day: LearnerDay | None = None
) -> Figures | None:
    """The figures of every log read again, not cached, with each card's every answer in
    `steps` (what the calibration needs when it has no tally to grow); None if they cannot
    stand for the history."""
    builder = _Builder(folder, offset_seconds, warn, learner_day)
    figures = builder.run(None, _files(folder, offset_seconds))[0]
    return None if figures.broken else figures


def _files(folder: Path, offset: int) -> tuple[Path, Path, Path]:
    where = parts_cache.base(folder, offset)
    return (where.with_name(f"{where.name}.json"), where.with_name(f"{where.name}.recent.json"),
            where.with_name(f"{where.name}.ids"))


# -- building ------------------------------------------------------------------------------


class _Builder:
    """Figures from a cache that may be grown, or from every log."""

    def __init__(
        self, folder: Path, offset: int, warn: Warn, learner_day: LearnerDay | None = None
    ) -> None:
        self.folder = folder
        self.offset = offset
        self.learner_day = learner_day
        self._warn = warn
        self.warned = False  # figures read with a warning are not cached: it is given again
        self._said: set[str] = set()
        self.how = "built"
        # A complete last line without its newline yet is used but not counted as read, so
        # figures that hold it are not cached (the next read would meet it again).
        self.unsettled = False
        self.vouched: dict[str, int] = {}  # log name -> bytes checked before (a first read)
        self.reaches = 0  # a day the newest review is on or after (`Figures.reaches`)

    def fork(self, warn: Warn) -> _Builder:
        """A builder of the same figures that tells `warn` (one for a child process)."""
        other = _Builder(self.folder, self.offset, warn, self.learner_day)
        other.vouched, other.reaches = self.vouched, self.reaches
        return other

    def prepare(self, logs: list[Path]) -> None:
        """What a first read of `logs` works out once, before it may be split in two: the
        bytes this machine's snapshot vouches for (they were checked when it was made) and
        the day of the last review each log ends with."""
        self.vouched = {path.name: vouched(self.folder, path, machine_name()) for path in logs}
        local_day = LocalDays(self.offset).exact
        self.reaches = max((local_day(time) for time in map(last_review_time, logs)
                            if time is not None), default=0)

    def warn(self, message: str) -> None:
        self.warned = True
        if message not in self._said:  # once, though a log may be read again
            self._said.add(message)
            self._warn(message)

    def run(
        self, main: dict[str, Any] | None, files: tuple[Path, Path, Path],
        early: Halves | None = None,
    ) -> tuple[Figures, Covered, array[float]]:
        logs = log_files(self.folder)
        grown = self._grow(main, files, logs) if main is not None else None
        if grown is not None:
            if early is not None:
                early.cancel()
            self.how = "grown"
            return grown
        from awsquiz.store.figures_halves import halves_of  # built again: not to grow

        settle_ahead()  # a child is forked only with no other thread running
        figures = Figures(self.offset, self.learner_day)
        covered: Covered = {path.name: [0, 0, None] for path in logs}
        hashes: array[float] = new_hashes()
        started = early if early is not None and early.fits(logs) else None
        if started is not None:
            self.vouched, self.reaches = started.vouched, started.reaches
        else:
            self.prepare(logs)
        figures.reaches = self.reaches
        halves = started if started is not None else halves_of(self, logs)
        if early is not None and halves is not early:
            early.cancel()
        if halves is None:
            self._feed(figures, logs, covered, hashes)
            hashes = new_hashes(sorted(hashes))  # else each half sorted its own
        else:
            hashes = halves.feed(self, figures, covered)
        if figures.broken or any(map(operator.eq, hashes, islice(hashes, 1, None))):
            return self._sorted(logs)
        return figures, covered, hashes

    def _grow(
        self, main: dict[str, Any], files: tuple[Path, Path, Path], logs: list[Path]
    ) -> tuple[Figures, Covered, array[float]] | None:
        """The cached figures with what the logs gained, or None to build them again."""
        token = main["token"]
        recent = _read_recent(files[1], token)
        known = _read_ids(files[2], token)
        if recent is None or known is None:
            return None
        try:
            covered: Covered = {name: list(entry) for name, entry in main["logs"].items()}
            figures = Figures.from_doc(main["figures"], recent, self.learner_day)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None
        try:
            marks = {name: Coverage(int(offset), int(crc), None if stamp is None else tuple(stamp))
                     for name, (offset, crc, stamp) in covered.items()}
        except (ValueError, TypeError):
            return None
        if is_stale(marks, logs):
            return None  # a log gone, rewritten, edited or replaced
        for path in logs:
            covered.setdefault(path.name, [0, 0, None])
        new: array[float] = new_hashes()
        self._feed(figures, logs, covered, new)
        ids: array[float] = known
        if figures.broken or len(set(new)) != len(new) or any(
            (index := bisect_left(ids, value)) < len(ids) and ids[index] == value
            for value in new
        ):
            return None  # an id seen before: the figures are built again
        if len(new) < 64:
            for value in new:
                insort(ids, value)
        else:
            ids = new_hashes(sorted([*ids, *new]))
        return figures, covered, ids

    def _feed(
        self, figures: Figures, logs: list[Path], covered: Covered, hashes: array[float],
        stop: int | None = None,
    ) -> None:
        """Add what each log holds after its covered offset (up to `stop`, with one log),
        merged in (time, id) order; a copy of the review just added (the same review in two
        logs) is left out."""
        streams = [self._records(path, covered, stop) for path in logs]
        if len(streams) == 1:
            merged: Iterable[ReviewDict] = streams[0]
        else:
            merged = heapq.merge(*streams, key=lambda r: (r["time"], r["id"]))
        figures.add_records(merged, hashes)

    def _records(self, path: Path, covered: Covered, stop: int | None = None
                 ) -> Iterator[ReviewDict]:
        entry = covered[path.name]
        for records, end, crc, stamp in record_chunks(path, self.warn, entry[0], entry[1],
                                                      stop, self.vouched.get(path.name, 0)):
            if end == entry[0] and records:
                self.unsettled = True
            entry[:] = [end, crc, None if stamp is None else list(stamp)]
            yield from records

    def _sorted(self, logs: list[Path]) -> tuple[Figures, Covered, array[float]]:
        """Figures from the whole history deduplicated by id and sorted (logs not each in
        time order: rare, and read whole)."""
        self.how = "sorted"
        unique: dict[str, ReviewDict] = {}
        cancelled: set[str] = set()
        covered: Covered = {}
        for path in logs:
            entry = covered[path.name] = [0, 0, None]
            for records, end, crc, stamp in record_chunks(path, self.warn):
                if end == entry[0] and records:
                    self.unsettled = True
                entry[:] = [end, crc, None if stamp is None else list(stamp)]
                for record in records:
                    if record.get("kind") in MARK_KINDS:
                        if record["kind"] == "undo":
                            cancelled.add(record["undoes"])  # type: ignore[typeddict-item]
                        continue
                    unique.setdefault(record["id"], record)
        for review_id in cancelled:
            unique.pop(review_id, None)  # a cancelled review counts nowhere
        figures = Figures(self.offset, self.learner_day)
        figures.add_records(sorted(unique.values(), key=lambda r: (r["time"], r["id"])))
        # Sorted and unique, no review is out of order: only a card key under two decks
        # leaves these figures broken (and the report is then made from the history).
        return figures, covered, new_hashes(sorted(id_hash(i) for i in unique))


# -- the files -------------------------------------------------------------------------------


def _read_main(path: Path, folder: Path, offset: int) -> dict[str, Any] | None:
    doc = parts_cache.read_sealed(path, folder, offset)
    if doc is None or type(doc.get("logs")) is not dict or type(doc.get("token")) is not str:
        return None
    return doc


def _read_recent(path: Path, token: str) -> dict[int, dict[str, list[int]]] | None:
    try:
        doc = fastjson.loads(path.read_bytes())
        if type(doc) is not dict or doc.get("token") != token:
            return None
        return {int(day): tallies for day, tallies in doc["recent"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _read_ids(path: Path, token: str) -> array[float] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    mark = token.encode("ascii")
    ids = new_hashes()
    if not data.startswith(mark) or (len(data) - len(mark)) % ids.itemsize:
        return None
    ids.frombytes(data[len(mark):])
    return ids


def _write(
    files: tuple[Path, Path, Path], folder: Path, stamps: Stamps, figures: Figures,
    covered: Covered, hashes: array[float],
) -> str | None:
    if figures.broken:
        return None  # a card key under two decks: the report is made from the history
    token = os.urandom(8).hex()
    write_cache(files[2], token.encode("ascii") + hashes.tobytes())
    write_cache(files[1], fastjson.dumps({"token": token, "recent": figures.recent_doc()}))
    parts_cache.write_sealed(files[0], folder, figures.offset, {
        "token": token, "stamps": stamps, "logs": covered, "figures": figures.to_doc(),
    })
    return token
