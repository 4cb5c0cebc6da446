"""The selected decks' index entries and the learner's progress, read side by side: what
every command that lists or plans starts from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from awsquiz.decks.discovery import find_deck_files
from awsquiz.decks.library import load_selected_index
from awsquiz.decks.parse_ahead import parse_ahead
from awsquiz.errors import AwsquizError
from awsquiz.model import DeckIndex
from awsquiz.services.where import Where

_T = TypeVar("_T")


def decks_and_progress(
    where: Where, selection: Sequence[str], read_progress: Callable[[], _T]
) -> tuple[list[DeckIndex], _T]:
    """The selected decks' index entries and what `read_progress` reads. On a first run the
    deck files are parsed in other processes meanwhile; deck errors still come first."""
    found = find_deck_files(where.deck_dirs, selection)
    ahead = parse_ahead(found[0])
    failure: AwsquizError | None = None
    try:
        progress = read_progress()
    except AwsquizError as error:
        failure = error
    finally:
        ahead.finish()
    decks = load_selected_index(found, selection, where.warn)
    if failure is not None:
        raise failure
    return decks, progress

