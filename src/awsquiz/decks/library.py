"""All decks the learner has: bundled, AWSQUIZDECKS and --decks folders, and deck paths,
loaded through the parse cache."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from awsquiz import model
from awsquiz.decks.cache import load_index, load_pair
from awsquiz.decks.discovery import D, find_deck_files, select
from awsquiz.decks.parse_ahead import parse_ahead
from awsquiz.errors import AwsquizError

if TYPE_CHECKING:
    from awsquiz.model import Card, Deck, DeckIndex, Problem

# `model.X` where used: loaded then, as in decks.cache.


@dataclass
class Library:
    """Loaded decks and every problem found in their files."""

    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is model.Severity.ERROR]

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def cards(self) -> list[Card]:
        return [card for deck in self.decks for card in deck.cards]

    def raise_errors(self) -> None:
        """Stop with every error at once, pointing the author at `awsquiz check`."""
        if self.errors:
            count = len(self.errors)
            raise AwsquizError(
                f"{count} problem{'s' if count > 1 else ''} in the deck files",
                problems=self.errors,
                hint="run 'awsquiz check' for details; fix the deck files and try again",
            )


def load_files(files: Iterable[Path], *, preferred: int = 0) -> Library:
    """Load deck files (through the cache) and check deck ids are unique across them.

    The first `preferred` files were named on the command line: a folder deck with the same
    id as one of them is left out quietly, so a learner can study an edited copy of a deck.
    """
    files = list(files)
    parse_ahead(files).finish()
    decks, problems = _unique(files, preferred, load_pair)
    return Library(decks, problems)





def _unique(
    files: Iterable[Path],
    preferred: int,
    load: Callable[[Path], tuple[D | None, list[Problem]]],
) -> tuple[list[D], list[Problem]]:
    """Each file's deck, through `load`, keeping deck ids unique (see `load_files`)."""
    decks: list[D] = []
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    named_ids: set[str] = set()
    for index, path in enumerate(files):
        deck, found = load(path)
        if deck is not None and deck.id in named_ids:
            continue
        problems += found
        if deck is None:
            continue
        if deck.id in owners:
            problems.append(
                model.Problem(
                    str(path), 1, 1,
                    f"deck id '{deck.id}' is already used by {owners[deck.id]}; "
                    "deck ids must be unique (set 'deck:' to another id)",
                )
            )
            continue
        owners[deck.id] = str(path)
        if index < preferred:
            named_ids.add(deck.id)
        decks.append(deck)
    return decks, problems



def load_library(
    extra_dirs: Sequence[Path] = (),
    selection: Sequence[str] = (),
    *,
    strict: bool = True,
    warn: Callable[[str], None] | None = None,
) -> Library:
    """The decks to work on: every deck, or those named by id or path in `selection`.

    With `warn`, a broken deck file the command line did not name is left out with one
    warning, so that it does not block the other decks; one it named still stops the
    command (see `keep_going`)."""
    files, named_count = find_deck_files(extra_dirs, selection)
    library = load_files(files, preferred=named_count)
    if warn is not None:
        library.problems = keep_going(library.problems, files[:named_count], selection, warn)
    if strict:
        library.raise_errors()
    if selection:
        library.decks = select(library.decks, selection)
    return library


def load_selected_index(
    found: tuple[list[Path], int],
    selection: Sequence[str] = (),
    warn: Callable[[str], None] | None = None,
) -> list[DeckIndex]:
    """The decks `load_library` would give, as index entries, of the files `find_deck_files`
    found: no card is built (a session builds only the decks of the cards it shows, with
    `deck_cards`). A first run's parsing is started beforehand with `parse_ahead`."""
    files, named_count = found
    decks, problems = _unique(files, named_count, load_index)
    if warn is not None:
        problems = keep_going(problems, files[:named_count], selection, warn)
    Library(problems=problems).raise_errors()
    return select(decks, selection) if selection else decks


def keep_going(
    problems: list[Problem],
    named: Sequence[Path],
    selection: Sequence[str],
    warn: Callable[[str], None],
) -> list[Problem]:
    """The problems that must stop the command: the errors of deck files named on the command
    line, by path or by an id that is their file's name. Every other broken file is left
    out (its deck is not loaded), with one warning naming its first error."""
    wanted = {str(path) for path in named}
    wanted |= {name for name in selection}
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity is model.Severity.ERROR:
            by_file.setdefault(problem.path, []).append(problem)
    stopping: list[Problem] = []
    for path, errors in by_file.items():
        if path in wanted or Path(path).stem in wanted:
            stopping += errors
            continue
        more = len(errors) - 1
        extra = f" and {more} more problem{'s' if more > 1 else ''}" if more else ""
        warn(f"{errors[0]}{extra}; this deck is left out until it is fixed "
             f"(awsquiz check {path} shows every problem)")
    return stopping


def deck_cards(index: DeckIndex) -> dict[str, Card]:
    """The cards of one indexed deck by key, through the parse cache."""
    deck, problems = load_pair(Path(index.path))
    if deck is None:  # the file broke since it was indexed
        Library(problems=problems).raise_errors()
        raise AwsquizError(f"{index.path}: the deck can no longer be read")
    return {card.key: card for card in deck.cards}


class CardShelf:
    """Cards by key for a session: each deck is built from the parse cache the first time
    one of its cards is shown, so a session over 10,000 cards starts without building them."""

    def __init__(self, decks: Sequence[DeckIndex]) -> None:
        self._deck_of = {key: deck for deck in decks for key in deck.keys}
        self._cards: dict[str, Card] = {}
        self._read: set[str] = set()  # the deck files built (or found unreadable)

    def get(self, key: str) -> Card | None:
        """The card, or None if it can no longer be shown: its deck file was edited during
        the session (the card removed, the deck renamed) or can no longer be read."""
        card = self._cards.get(key)
        if card is not None:
            return card
        index = self._deck_of.get(key)
        if index is None or index.path in self._read:
            return None
        self._read.add(index.path)
        try:
            self._cards.update(deck_cards(index))
        except AwsquizError:
            return None
        return self._cards.get(key)



def deck_ids_for_completion(incomplete: str) -> list[str]:
    """Deck ids for shell completion; never fails (a broken deck just completes nothing)."""
    try:
        library = load_library(strict=False)
    except AwsquizError:
        return []
    return [d.id for d in library.decks if d.id.startswith(incomplete)]



def card_keys_for_completion(incomplete: str) -> list[str]:
    """`deck/id` card keys (and `deck/*`) for shell completion; never fails."""
    try:
        library = load_library(strict=False)
    except AwsquizError:
        return []
    keys = [f"{d.id}/*" for d in library.decks] + [c.key for c in library.cards()]
    return [key for key in keys if key.startswith(incomplete)]
