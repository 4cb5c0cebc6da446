"""A first `stats` over one long log reads it in two processes (`store.figures_cache`): the
first part here, the rest in a child forked for it (`system.forked`); the figures of each
part are made apart and joined (`model.figures_join`), the CRC-32 of the whole worked out
from its parts' (`system.crc`), and each part's id hashes sorted where they were read. The
outcome is what one process reading it all gives; `Halves` is one such reading under way.
"""

from __future__ import annotations

import heapq
import os
from array import array
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from awsquiz.model.figures import Figures, new_hashes
from awsquiz.model.figures_join import join
from awsquiz.system import forked
from awsquiz.system.crc import combine
from awsquiz.system.forked import Forked

# A log shorter than this is read by one process: forking costs more than it saves.
PARALLEL_BYTES = 16 << 20

Covered = dict[str, list[Any]]
Half = tuple[Figures, list[Any], "array[float]", bool, list[str]]


class Builder(Protocol):
    """What of `figures_cache._Builder` a half is read with."""

    folder: Path
    offset: int
    learner_day: Callable[[datetime], int] | None
    vouched: dict[str, int]
    reaches: int
    unsettled: bool

    def warn(self, message: str) -> None: ...

    def _feed(self, figures: Figures, logs: list[Path], covered: Covered, hashes: array[float],
              stop: int | None = None) -> None: ...

    def fork(self, warn: Any) -> Builder: ...


class Halves:
    """The log `path` being read from `split` on by a child (see the module's docstring)."""

    def __init__(self, builder: Builder, path: Path, split: int) -> None:
        self.path = path
        self.split = split
        self.vouched = builder.vouched  # worked out once, for both parts
        self.reaches = builder.reaches
        self.child: Forked[Half] = Forked(lambda: _second_half(builder, path, split))

    def fits(self, logs: list[Path]) -> bool:
        """Whether the logs to read are still this one log."""
        return logs == [self.path]

    def cancel(self) -> None:
        self.child.cancel()

    def feed(self, builder: Builder, figures: Figures, covered: Covered) -> array[float]:
        """Add the log's figures to `figures` (its first part read here, now), its coverage
        to `covered`; the sorted hashes of its ids."""
        path, split = self.path, self.split
        hashes: array[float] = new_hashes()
        try:
            builder._feed(figures, [path], covered, hashes, stop=split)  # noqa: SLF001
        except BaseException:
            self.cancel()
            raise
        if figures.broken:
            self.cancel()
            return hashes
        # Each part's hashes sorted on its own (a list of a million numbers is big), this
        # one's while the child may still be reading; merged once both are.
        mine = new_hashes(sorted(hashes))
        later, entry, ids, unsettled, warnings = self.child.result()
        for message in warnings:
            builder.warn(message)
        builder.unsettled = builder.unsettled or unsettled
        join(figures, later)
        first = covered[path.name]
        covered[path.name] = [entry[0], combine(first[1], entry[1], entry[0] - split), entry[2]]
        return new_hashes(heapq.merge(mine, ids))


def halves_of(builder: Builder, logs: list[Path]) -> Halves | None:
    """The one long log of a first read, being read in two (the child's half from just after
    a newline), if that is worth it; None to read it as usual.

    Halves even when the child is started early (`figures_cache.start`) and this process
    parses the decks first (a second for 10,000 cards with no deck cache): a log's later
    reviews cost more to count (more cards in review, the last days' retention), which makes
    up for it. On 1,000,000 reviews, a child given 55% finished 1.6 to 2 seconds after this
    process, one given 45% before it."""
    if len(logs) != 1 or not forked.can_fork():
        return None
    try:
        with open(logs[0], "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < PARALLEL_BYTES:
                return None
            cut = size // 2
            handle.seek(cut)
            block = handle.read(1 << 20)
    except OSError:
        return None  # read as usual, which says what is wrong
    newline = block.find(b"\n")
    return None if newline < 0 else Halves(builder, logs[0], cut + newline + 1)


def _second_half(builder: Builder, path: Path, split: int) -> Half:
    """The figures of a log from `split` on (in the child process): what `join` adds to
    the first part's, the log's coverage from `split`, the ids' hashes sorted, whether a
    last line was unsettled, and the warnings to give."""
    warnings: list[str] = []
    reader = builder.fork(warnings.append)
    later = Figures(builder.offset, builder.learner_day)
    later.heads = {}
    later.reaches = builder.reaches
    covered: Covered = {path.name: [split, 0, None]}
    ids: array[float] = new_hashes()
    reader._feed(later, [path], covered, ids)  # noqa: SLF001
    return later, covered[path.name], new_hashes(sorted(ids)), reader.unsettled, warnings
