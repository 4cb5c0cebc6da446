"""Each card's glance (`model.Glance`), cached in the user cache folder under the size and
change times of every review log.

Progress is a function of the logs alone (the snapshot is a cache of them), and the logs only
grow: while no log has changed, the glances of last time still hold, and neither the store
nor a CardProgress is built. Any change to any log, or a log added or gone, means the store
is opened as usual (reporting bad lines, catching up, rebuilding its snapshot). A store that
warned (a torn line) is not cached, so the warning is given every time.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsquiz.model import Glance, glances
from awsquiz.store.logfiles import Stamps, Warn
from awsquiz.store.logfiles import log_stamps as log_stamps  # where callers found it
from awsquiz.system import fastjson, paths
from awsquiz.system.files import sealed, unsealed, write_cache

if TYPE_CHECKING:
    from awsquiz.store.store import Store

VERSION = 5  # 4: a seventh field, whether the last answer was wrong; 5: the suspended cards

# The cache's rows become Glances without a Python call per card (there may be 10,000).
_as_glance = functools.partial(tuple.__new__, Glance)


@dataclass(frozen=True)
class Glances:
    """Every studied card's glance by key, and the store if it had to be read for them."""

    cards: Mapping[str, Glance]
    store: Store | None  # the store, when it had to be opened to get them (and is up to date)
    suspended: frozenset[str] = frozenset()  # the keys of the suspended cards


def read(folder: Path, warn: Warn) -> Glances:
    """Every studied card's glance: from the cache while no log changed, else from the store
    (which is then returned too, open and caught up)."""
    stamps = log_stamps(folder)
    if stamps is not None:
        cached = _cached(folder, stamps)
        if cached is not None:
            return Glances(cached[0], None, cached[1])
    warned: list[str] = []

    def remember_warning(message: str) -> None:
        warned.append(message)
        warn(message)

    from awsquiz.store.store import Store  # while the glances are cached, never loaded

    store = Store.open(folder, warn=remember_warning)
    cards = glances(store.progress)
    suspended = store.marks.suspended
    if stamps is not None and not warned:
        _write(folder, stamps, cards, suspended)
    return Glances(cards, store, suspended)


def _cached(folder: Path, stamps: Stamps) -> tuple[dict[str, Glance], frozenset[str]] | None:
    try:
        body = unsealed(_cache_file(folder).read_bytes())
        if body is None:
            return None
        entry = fastjson.loads(body)
        if (
            entry["version"] != VERSION
            or entry["folder"] != os.fsdecode(folder)
            or entry["logs"] != stamps
        ):
            return None
        rows: dict[str, Any] = entry["cards"]
        if rows and set(map(len, rows.values())) != {len(Glance._fields)}:
            return None
        suspended = entry["suspended"]
        if type(suspended) is not list or any(type(key) is not str for key in suspended):
            return None
        cards = dict(zip(rows, map(_as_glance, rows.values()), strict=True))
        return cards, frozenset(suspended)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # no cache or a damaged one: open the store


def remember(store: Store, stamps: Stamps | None) -> None:
    """Cache the glances of a store caught up with the logs as `stamps` found them (or
    later), so the next command need not open it."""
    if stamps is not None and not store.warned:
        _write(store.folder, stamps, glances(store.progress), store.marks.suspended)


def _cache_file(folder: Path) -> Path:
    return paths.cache_dir() / "progress" / f"{paths.cache_name(folder)}.json"


def _write(
    folder: Path, stamps: Stamps, cards: Mapping[str, Glance], suspended: frozenset[str]
) -> None:
    document = {
        "version": VERSION, "folder": os.fsdecode(folder), "logs": stamps, "cards": cards,
        "suspended": sorted(suspended),
    }
    write_cache(_cache_file(folder), sealed(fastjson.dumps(document)))
