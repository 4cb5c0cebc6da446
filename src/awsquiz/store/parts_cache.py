"""The files beside the figures cache (`store.figures_cache`) that a warm `stats` reads: the
report's parts (`session.stats_figures`) and the calibration tally (`scheduling.calibration`),
each behind a checksum. Light on purpose: a warm `stats` reads one of these and nothing more.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

from awsquiz.system import fastjson, paths
from awsquiz.system.files import write_cache

DETAILS = ("tags", "confused")  # of a deck part: kept on their own
VERSION = 4  # as store.figures_cache.VERSION: the parts are made from its figures


def base(folder: Path, offset: int) -> Path:
    """The cache files' common path for a progress folder and UTC offset, without suffix."""
    sign = "+" if offset >= 0 else "-"
    return paths.cache_dir() / "stats" / f"{paths.cache_name(folder)}{sign}{abs(offset)}"


def has_figures(folder: Path, offset: int) -> bool:
    """Whether figures are cached for this folder and offset (`store.figures_cache`)."""
    where = base(folder, offset)
    return where.with_name(f"{where.name}.json").exists()


def read_parts(folder: Path, offset: int) -> dict[str, Any] | None:
    """The parts document `write_parts` wrote for this folder and offset, if intact, without
    each deck part's `DETAILS` (see `with_details`)."""
    return read_sealed(_named(folder, offset, "parts"), folder, offset)


def with_details(folder: Path, offset: int, doc: dict[str, Any]) -> dict[str, Any] | None:
    """`doc` (as `read_parts` gave it) with every deck part's `DETAILS`, if they were kept
    with it and are intact."""
    more = read_sealed(_named(folder, offset, "details"), folder, offset)
    if more is None or more.get("token") != doc.get("token"):
        return None
    try:
        decks = {path: {**entry, "part": {**entry["part"], **more["decks"][path]}}
                 for path, entry in doc["decks"].items()}
    except (KeyError, TypeError, AttributeError):
        return None
    return {**doc, "decks": decks}


def write_parts(folder: Path, offset: int, doc: dict[str, Any]) -> None:
    """Keep `doc`, its deck parts' `DETAILS` on their own (parts without them leave the kept
    ones as they are: `doc` was read without them)."""
    decks: dict[str, Any] = doc["decks"]
    if any(name in entry["part"] for entry in decks.values() for name in DETAILS):
        more = {path: {name: entry["part"][name] for name in DETAILS}
                for path, entry in decks.items()}
        # Written first: should the parts not follow, their token tells these are not theirs.
        write_sealed(_named(folder, offset, "details"), folder, offset,
                     {"token": doc["token"], "decks": more})
        lean = {path: {**entry, "part": {name: value for name, value in entry["part"].items()
                                         if name not in DETAILS}}
                for path, entry in decks.items()}
        doc = {**doc, "decks": lean}
    write_sealed(_named(folder, offset, "parts"), folder, offset, doc)


def read_tally(folder: Path, offset: int) -> dict[str, Any] | None:
    """The calibration tallies `write_tally` wrote, if intact."""
    return read_sealed(_named(folder, offset, "calibration"), folder, offset)


def write_tally(folder: Path, offset: int, doc: dict[str, Any]) -> None:
    write_sealed(_named(folder, offset, "calibration"), folder, offset, doc)


def _named(folder: Path, offset: int, kind: str) -> Path:
    where = base(folder, offset)
    return where.with_name(f"{where.name}.{kind}.json")


def read_sealed(path: Path, folder: Path, offset: int) -> dict[str, Any] | None:
    """A stats cache document, if intact, of this version, folder and offset."""
    try:
        data = path.read_bytes()
        check, _, body = data.partition(b"\n")
        if int(check, 16) != zlib.crc32(body):
            return None
        doc = fastjson.loads(body)
    except (OSError, ValueError):
        return None
    if type(doc) is not dict or doc.get("version") != VERSION:
        return None
    if doc.get("folder") != os.fsdecode(folder) or doc.get("offset") != offset:
        return None
    return doc


def write_sealed(path: Path, folder: Path, offset: int, doc: dict[str, Any]) -> None:
    """`doc` with this version, folder and offset, behind its checksum."""
    body = fastjson.dumps({**doc, "version": VERSION, "folder": os.fsdecode(folder),
                           "offset": offset})
    write_cache(path, b"%08x\n" % zlib.crc32(body) + body)
