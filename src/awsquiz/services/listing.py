"""Listing and checking decks: `awsquiz decks`, `cards`, `check` and the bare `awsquiz`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from awsquiz.decks.discovery import files_in
from awsquiz.decks.library import load_files
from awsquiz.model import Card, Deck, Problem, Severity
from awsquiz.services.reading import decks_and_progress
from awsquiz.services.where import Where
from awsquiz.session.overview import DeckSummary, Today, plan_today, summarize_index
from awsquiz.session.selection import has_tag, matches, search_words, tag_counts, wanted
from awsquiz.store import glances
from awsquiz.system import paths


def list_decks(where: Where, now: datetime | None = None) -> list[DeckSummary]:
    """Every deck's counts, from the decks' index entries and each card's glance (see
    `store.glances`); neither a card nor the store is built while nothing changed."""
    decks, seen = decks_and_progress(where, (), lambda: glances.read(where.folder, where.warn))
    return summarize_index(decks, seen.cards, now or paths.now(), seen.suspended)


def today(where: Where, now: datetime) -> Today:
    """What bare `awsquiz` recommends: the decks' counts, today's new cards, the last exam."""
    decks, seen = decks_and_progress(where, (), lambda: glances.read(where.folder, where.warn))
    rows = summarize_index(decks, seen.cards, now)
    from awsquiz.services import learner
    from awsquiz.store import config as settings
    from awsquiz.store.exam_log import load_results

    exams = load_results(where.folder)
    config = settings.load(where.folder)
    return plan_today(
        rows, seen.cards, now,
        new_per_day=config.new_per_day,
        last_exam=exams[-1].time if exams else None,
        days=learner.days(config),
    )





def list_cards(
    where: Where,
    selection: Sequence[str],
    tags: Sequence[str],
    *,
    search: str | None = None,
    suspended: bool = False,
) -> list[Card]:
    """The cards of the selected decks: with one of `tags` (any case), with every word of
    `search` in their text, and (with `suspended`) only the suspended ones."""
    cards = where.library(selection).cards()
    if tags:
        chosen = wanted(tags)
        cards = [card for card in cards if has_tag(card, chosen)]
    if search is not None:
        words = search_words(search)
        cards = [card for card in cards if matches(card, words)]
    if suspended:
        held = glances.read(where.folder, where.warn).suspended
        cards = [card for card in cards if card.key in held]
    return cards


def list_tags(where: Where, selection: Sequence[str]) -> dict[str, int]:
    """Every tag of the selected decks' cards with how many cards have it, most first."""
    return tag_counts(where.library(selection).cards())


class Stale(NamedTuple):
    """A card whose fact was last checked against its source too long ago, or never."""

    path: str
    line: int
    key: str
    verified: str | None  # when it was last checked; None: never
    days: int | None  # how many days ago


@dataclass(frozen=True)
class CheckReport:
    """What `awsquiz check` found: how many files, decks and cards, every problem, and (with
    --stale) the cards verified too long ago."""

    files: int
    decks: int
    cards: int
    problems: list[Problem]
    stale: list[Stale] | None = None  # None: not asked
    stale_days: int | None = None

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def check(
    where: Where,
    targets: Sequence[Path],
    *,
    stale_days: int | None = None,
    today: date | None = None,
) -> CheckReport:
    """Validate deck files (default: every deck folder), every problem of every file; with
    `stale_days`, also list the cards not verified within that many days of `today`."""
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
    stale = None
    if stale_days is not None:
        stale = _stale(library.decks, stale_days, today or paths.now().date())
    return CheckReport(
        len(files), len(library.decks), cards, empty + library.problems, stale, stale_days
    )


def _stale(decks: Sequence[Deck], days: int, today: date) -> list[Stale]:
    found = []
    for deck in decks:
        for card in deck.cards:
            age = None if card.verified is None else (today - date.fromisoformat(card.verified))
            if age is None or age.days > days:
                found.append(Stale(
                    deck.path, card.line, card.key, card.verified,
                    None if age is None else age.days,
                ))
    return found
