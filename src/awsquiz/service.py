"""What each command does, between the CLI (arguments) and the terminal layer (display).

Each function takes plain values and returns plain data; none of them prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from awsquiz import paths
from awsquiz.library import (
    DeckIndex,
    Library,
    load_library,
    load_selected_index,
    write_cache_json,
)
from awsquiz.model import Card, Problem, Severity
from awsquiz.overview import CardCounts, DeckSummary, card_counts, summarize_index

if TYPE_CHECKING:
    from awsquiz.store import Store

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Where:
    """Where decks and progress come from, as the command line and environment say."""

    deck_dirs: Sequence[Path] = ()
    progress: Path | None = None
    warn: Warn = field(default=lambda message: None)

    def library(self, selection: Sequence[str] = ()) -> Library:
        return load_library(self.deck_dirs, selection)

    def deck_index(self, selection: Sequence[str] = ()) -> list[DeckIndex]:
        return load_selected_index(self.deck_dirs, selection)

    def store(self) -> Store:
        from awsquiz.store import Store

        return Store.open(paths.progress_dir(self.progress), warn=self.warn)


def list_decks(where: Where, now: datetime | None = None) -> list[DeckSummary]:
    """Every deck's counts, from the decks' index entries and a small cache of each card's
    counting fields; neither a card nor the store is built while nothing changed."""
    decks, counts = decks_and_progress(where, (), lambda: _card_counts(where))
    return summarize_index(decks, counts, now or paths.now())


_T = TypeVar("_T")


def decks_and_progress(
    where: Where, selection: Sequence[str], read_progress: Callable[[], _T]
) -> tuple[list[DeckIndex], _T]:
    """The selected decks' index entries and what `read_progress` reads. On a first run the
    deck files are parsed in other processes meanwhile; deck errors still come first."""
    from awsquiz.errors import AwsquizError
    from awsquiz.library import parse_selected_ahead

    ahead = parse_selected_ahead(where.deck_dirs, selection)
    failure: AwsquizError | None = None
    try:
        progress = read_progress()
    except AwsquizError as error:
        failure = error
    finally:
        ahead.finish()
    decks = where.deck_index(selection)
    if failure is not None:
        raise failure
    return decks, progress


# The counts cache ----------------------------------------------------------------------------
# Progress is a function of the review logs alone (the snapshot is a cache of them), and the
# logs only grow: so each card's counting fields are cached keyed by the size and modification
# time of every log in the folder. Any change to any log, a log added or gone, means the store
# is opened as usual (reporting bad lines, catching up, rebuilding its snapshot). A store that
# warned (a torn line) is not cached, so the warning is given every time, as before.

_COUNTS_VERSION = 1


def _card_counts(where: Where) -> dict[str, CardCounts]:
    import dataclasses
    import hashlib
    import json

    folder = paths.progress_dir(where.progress)
    stamps = _log_stamps(folder)
    key = hashlib.sha1(os.fsencode(os.path.realpath(folder))).hexdigest()[:24]
    cache_file = paths.cache_dir() / "progress" / f"{key}.json"
    if stamps is not None:
        try:
            entry = json.loads(cache_file.read_bytes())
            if (
                entry["version"] == _COUNTS_VERSION
                and entry["folder"] == os.fsdecode(folder)
                and entry["logs"] == stamps
            ):
                cards: dict[str, CardCounts] = entry["cards"]  # lists, read like tuples
                return cards
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            pass  # no cache or a damaged one: open the store
    warned: list[str] = []

    def warn(message: str) -> None:
        warned.append(message)
        where.warn(message)

    store = dataclasses.replace(where, warn=warn).store()
    counts = card_counts(store.progress)
    if stamps is not None and not warned:
        document = {
            "version": _COUNTS_VERSION,
            "folder": os.fsdecode(folder),
            "logs": stamps,
            "cards": counts,
        }
        write_cache_json(cache_file, document)
    return counts


def _log_stamps(folder: Path) -> dict[str, list[int]] | None:
    """{log name: [size, mtime_ns]} of every review log (as `store.log_files` finds them),
    or None if the folder cannot be listed."""
    stamps: dict[str, list[int]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("reviews-") and name.endswith(".jsonl") and entry.is_file():
                    stat = entry.stat()
                    stamps[name] = [stat.st_size, stat.st_mtime_ns]
    except OSError:
        return None
    return stamps


def list_cards(where: Where, selection: Sequence[str], tags: Sequence[str]) -> list[Card]:
    cards = where.library(selection).cards()
    if tags:
        wanted = set(tags)
        cards = [card for card in cards if wanted & set(card.tags)]
    return cards


@dataclass(frozen=True)
class CheckReport:
    files: int
    decks: int
    cards: int
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def check(where: Where, targets: Sequence[Path]) -> CheckReport:
    """Validate deck files (default: every deck folder), every problem of every file."""
    from awsquiz.decks import files_in
    from awsquiz.library import load_files

    folders = list(targets) or [d for d in paths.deck_dirs(list(where.deck_dirs)) if d.is_dir()]
    files = files_in(folders)
    library = load_files(files)
    cards = sum(len(deck.cards) for deck in library.decks)
    # A folder named on the command line with nothing to check is a mistake, not a pass.
    empty = [
        Problem(str(target), 0, 0, "a folder with no deck files (.yaml or .yml) in it")
        for target in targets
        if target.is_dir() and not files_in([target])
    ]
    return CheckReport(len(files), len(library.decks), cards, empty + library.problems)
