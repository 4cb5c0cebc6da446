"""A first run's deck files parsed on every core at once (see `parse_ahead`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from stat import S_ISREG
from typing import Any

from awsquiz.decks.cache import entry_file, load_cached

# Parse files in parallel only when there is this much YAML to parse (about 1,500 cards).
PARSE_AHEAD_BYTES = 1 << 20


class ParseAhead:
    """Deck files being parsed in other processes (see `parse_ahead`)."""

    def __init__(self, pool: Any = None, futures: Sequence[Any] = ()) -> None:
        self._pool = pool
        self._futures = futures

    def finish(self) -> None:
        """Wait for the parsing to end; never fails (the ordinary path parses what is left)."""
        if self._pool is None:
            return
        try:
            for future in self._futures:
                future.result()
        except Exception:  # noqa: BLE001 - a broken pool, no processes left: parse later
            pass
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def parse_ahead(files: Sequence[Path]) -> ParseAhead:
    """Start parsing the deck files the cache has nothing recent for on every core at once,
    so that a first run (or a new machine) does not parse thousands of cards one file at a
    time; `finish()` waits for it.

    Each worker goes through the parse cache as usual and writes the file's entry; the files
    are then read from the cache in order, which is where every check and problem comes
    from, so the outcome is the same as without this. Only where processes can be forked
    (POSIX); anything going wrong here just leaves the work to the ordinary path.
    """
    # One core stays with this process, which reads the review logs meanwhile.
    workers = min((os.cpu_count() or 1) - 1, 8)
    if workers < 1 or len(files) < 2:
        return ParseAhead()
    sizes = {path: _probably_stale(path) for path in files}
    stale = [path for path, size in sizes.items() if size]
    if len(stale) < 2 or sum(sizes.values()) < PARSE_AHEAD_BYTES:
        return ParseAhead()  # starting processes would cost more than it saves
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork (Windows)
        return ParseAhead()
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(min(workers, len(stale)), mp_context=context)
        futures = [pool.submit(_parse_into_cache, path) for path in stale]
    except Exception:  # noqa: BLE001 - no processes to be had: parse later
        return ParseAhead()
    return ParseAhead(pool, futures)


def _probably_stale(path: Path) -> int:
    """The size of this regular file if the parse cache seems to hold nothing as recent as
    it, else 0."""
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):
            return 0  # refused in the ordinary path, never read ahead
    except OSError:
        return 0
    try:
        stale = entry_file(path).stat().st_mtime_ns < stat.st_mtime_ns
    except OSError:
        stale = True
    return max(stat.st_size, 1) if stale else 0


def _parse_into_cache(path: Path) -> None:
    load_cached(path)
