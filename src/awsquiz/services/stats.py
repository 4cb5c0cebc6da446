"""`awsquiz stats`: the decks, the review log and the exam results, read for the report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from awsquiz.services import learner
from awsquiz.services.where import Where
from awsquiz.session.stats import build_report
from awsquiz.session.stats_report import StatsReport
from awsquiz.store.exam_log import load_results


def gather(where: Where, selection: Sequence[str], now: datetime) -> StatsReport:
    """Read the decks (all, or those selected), the review log and the exam results."""
    library = where.library(selection)
    known: set[str] = set()
    if selection:
        known = {card.key for card in where.library().cards()}
    store = where.store()
    return build_report(
        library.decks,
        store.progress,
        store.history(),
        load_results(store.folder),
        now,
        known_keys=known,
        scope=[deck.id for deck in library.decks] if selection else None,
        scheduler=learner.scheduler_of(store.folder, fuzz=False),
    )
