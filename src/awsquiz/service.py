"""What each command does, between the CLI (arguments) and the terminal layer (display).

Each function takes plain values and returns plain data; none of them prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from awsquiz import paths
from awsquiz.library import Library, load_library
from awsquiz.model import Card, Problem, Severity
from awsquiz.overview import DeckSummary, summarize

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

    def store(self) -> Store:
        from awsquiz.store import Store

        return Store.open(paths.progress_dir(self.progress), warn=self.warn)


def list_decks(where: Where, now: datetime | None = None) -> list[DeckSummary]:
    library = where.library()
    store = where.store()
    return summarize(library.decks, store.progress, now or paths.now())


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
