"""Each card's progress at a glance: the few fields `decks` counts and `study` plans with,
cached in the user cache folder under the size and change times of every review log.

Progress is a function of the logs alone (the snapshot is a cache of them), and the logs only
grow: while no log has changed, the glances of last time still hold, and neither the store
nor a CardProgress is built. Any change to any log, or a log added or gone, means the store
is opened as usual (reporting bad lines, catching up, rebuilding its snapshot). A store that
warned (a torn line) is not cached, so the warning is given every time.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsquiz import fastjson, paths

if TYPE_CHECKING:
    from awsquiz.model import CardProgress
    from awsquiz.service import Where
    from awsquiz.store import Store

VERSION = 2

# fsrs state, due, stability, last answered, last review (the scheduler's), first answered:
# a tuple, or a list of the same six when read back from the cache.
Glance = Sequence[Any]
STATE, DUE, STABILITY, LAST_TIME, LAST_REVIEW, FIRST_TIME = range(6)

# Log file name -> [size, mtime_ns, ctime_ns] (ctime: a log made unreadable is noticed)
Stamps = dict[str, list[int]]


def glance(entry: CardProgress) -> Glance:
    state = entry.state
    return (
        state.state, state.due, state.stability, entry.last_time, state.last_review,
        entry.first_time,
    )


def glances(progress: Mapping[str, CardProgress]) -> dict[str, Glance]:
    return {key: glance(entry) for key, entry in progress.items()}


@dataclass(frozen=True)
class Glances:
    """Every studied card's glance by key, and the store if it had to be read for them."""

    cards: Mapping[str, Glance]
    store: Store | None  # the store, when it had to be opened to get them (and is up to date)


def read(where: Where) -> Glances:
    """Every studied card's glance: from the cache while no log changed, else from the store
    (which is then returned too, open and caught up)."""
    folder = paths.progress_dir(where.progress)
    stamps = log_stamps(folder)
    cache_file = _cache_file(folder)
    if stamps is not None:
        try:
            entry = fastjson.loads(cache_file.read_bytes())
            if (
                entry["version"] == VERSION
                and entry["folder"] == os.fsdecode(folder)
                and entry["logs"] == stamps
            ):
                return Glances(entry["cards"], None)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            pass  # no cache or a damaged one: open the store
    warned: list[str] = []

    def warn(message: str) -> None:
        warned.append(message)
        where.warn(message)

    store = dataclasses.replace(where, warn=warn).store()
    cards = glances(store.progress)
    if stamps is not None and not warned:
        _write(folder, stamps, cards)
    return Glances(cards, store)


def remember(store: Store, stamps: Stamps | None) -> None:
    """Cache the glances of a store caught up with the logs as `stamps` found them (or
    later), so the next command need not open it."""
    if stamps is not None and not store.warned:
        _write(store.folder, stamps, glances(store.progress))


def log_stamps(folder: Path) -> Stamps | None:
    """The stamps of every review log (as `store.log_files` finds them), or None if the
    folder cannot be listed."""
    stamps: Stamps = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("reviews-") and name.endswith(".jsonl") and entry.is_file():
                    stat = entry.stat()
                    stamps[name] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
    except OSError:
        return None
    return stamps


def _cache_file(folder: Path) -> Path:
    return paths.cache_dir() / "progress" / f"{paths.cache_name(folder)}.json"


def _write(folder: Path, stamps: Stamps, cards: Mapping[str, Glance]) -> None:
    from awsquiz.library import write_cache_json

    document = {"version": VERSION, "folder": os.fsdecode(folder), "logs": stamps, "cards": cards}
    write_cache_json(_cache_file(folder), document)
