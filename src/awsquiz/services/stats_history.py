"""`awsquiz stats` from every review, read and sorted: for what the kept figures cannot stand
for (see `services.stats`), and the report those figures must always equal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from awsquiz.services import learner
from awsquiz.session.stats_report import CalibrationLine
from awsquiz.store import config as settings
from awsquiz.store.exam_log import load_results

if TYPE_CHECKING:
    from awsquiz.model import Answered
    from awsquiz.services.where import Where
    from awsquiz.session.stats_report import StatsReport


def from_history(
    where: Where, selection: Sequence[str], now: datetime, tags: Sequence[str] = ()
) -> StatsReport:
    """The report from every review, read and sorted (see `services.stats.gather`)."""
    from awsquiz.session.selection import narrow
    from awsquiz.session.stats import build_report

    library = where.library(selection)
    decks = library.decks
    known: set[str] = set()
    if selection or tags:
        known = {card.key for card in where.library(quiet=True).cards()}
    store = where.store()
    config = settings.load(store.folder)
    scope = [deck.id for deck in library.decks] if selection or tags else None
    history = store.history()
    if tags:
        kept = {card.key for card in narrow(library.cards(), tags, frozenset())}
        decks = [replace(d, cards=tuple(c for c in d.cards if c.key in kept)) for d in decks]
        decks = [deck for deck in decks if deck.cards]  # a deck without the tag: no row
        history = [review for review in history if review.key in kept]
    report = build_report(
        decks,
        store.progress,
        history,
        load_results(store.folder),
        now,
        known_keys=known,
        scope=scope,
        scheduler=learner.scheduler(config, fuzz=False),
    )
    return report._replace(
        calibration=calibration(history, config, scope),
        parameters="personal" if config.parameters else "default",
        day_start=config.day_start,
        desired_retention=config.retention,
    )


def calibration(
    history: Sequence[Answered], config: settings.Config, scope: Sequence[str] | None
) -> list[CalibrationLine]:
    """Predicted against actual recall over the history in scope, with the learner's
    parameters and days."""
    if not history:
        return []
    from awsquiz.scheduling import calibration as tallies
    from awsquiz.scheduling import fitting

    decks = set(scope) if scope is not None else None
    in_scope = history if decks is None else [a for a in history if a.deck in decks]
    deck_of = {answer.key: answer.deck for answer in in_scope}
    cards = fitting.card_days(in_scope, learner.days(config))
    parameters = config.parameters or fitting.default_parameters()
    tally = tallies.build(((deck_of[key], key, answers) for key, answers in cards.items()),
                          parameters)
    return [CalibrationLine(*line) for line in tally.lines()]
