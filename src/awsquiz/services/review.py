"""`awsquiz review`: the missed cards listed, or drilled in rounds until each is answered right.

Every answer is saved as a review the scheduler learns from, as in a study session.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import cast

from awsquiz.model import Card, Review
from awsquiz.services.loop import LoadLater, next_due, ready_for_answers, run_session
from awsquiz.services.untimed import Untimed
from awsquiz.services.where import Where
from awsquiz.session.rounds import (
    MissedCard,
    ReviewSummary,
    Rounds,
    is_leech,
    miss_counts,
    missed_cards,
)
from awsquiz.session.selection import narrow
from awsquiz.session.turn import Answer, Terminal, Turn, shuffled_choices
from awsquiz.store.store import Store
from awsquiz.system import paths


def list_missed(
    where: Where,
    selection: Sequence[str],
    now: datetime,
    since: timedelta | None = None,
    tags: Sequence[str] = (),
) -> list[MissedCard]:
    """The missed cards of the selected decks with what was picked and how often missed
    (suspended cards left out)."""
    every = where.library(selection).cards()
    store = where.store()
    cards = narrow(every, tags, store.marks.suspended)
    missed = missed_cards(cards, store.progress, now, since)
    if not missed:
        return []
    counts = miss_counts(store.history())
    return [
        # The last answer was wrong, so the log holds at least one miss; a snapshot merged from
        # elsewhere may be ahead of the logs read here, hence the floor of 1.
        MissedCard(card, store.progress[card.key], max(1, counts.get(card.key, 0)))
        for card in missed
    ]


class _Drill(Untimed):
    """The `Session` of a review drill: rounds of the missed cards until each is right."""

    summary: ReviewSummary


    def __init__(
        self,
        missed: list[Card],
        store: Store,
        rng: random.Random,
        summary: ReviewSummary,
        terminal: Terminal,
    ) -> None:
        self.missed = missed
        self.by_key = {card.key: card for card in missed}
        self.store = store
        self.rng = rng
        self.rounds = Rounds.start(self.by_key, rng)
        self.summary = summary
        self.terminal = terminal

    def next_turn(self, now: datetime) -> Turn | None:
        key = self.rounds.peek()
        if key is None:
            return None
        card = self.by_key[key]
        self.summary.rounds = self.rounds.number
        previous = self.store.progress.get(key)
        note = f"round {self.rounds.number}"
        if previous is not None and is_leech(previous):
            note += " · leech"
        return Turn(
            card=card,
            choices=shuffled_choices(card, self.rng),
            position=self.rounds.position,
            total=self.rounds.size,
            mode="review",
            note=note,
        )

    def answered(self, turn: Turn, answer: Answer, review: Review, first: bool) -> None:
        self.summary.count(answer, first_time=first)
        self.rounds = self.rounds.answered(turn.card.key, answer.right, self.rng)

    def checkpoint(self) -> object:
        return (self.rounds, self.summary.saved())

    def rewind(self, saved: object) -> None:
        rounds, summary = cast(tuple[Rounds, ReviewSummary], saved)
        self.rounds = rounds
        self.summary.restore(summary)

    def drop(self, key: str) -> None:
        self.rounds = self.rounds.without(key)
        self.suspended(key)

    def finish(self, now: datetime) -> None:
        progress = self.store.progress
        remaining = set(self.rounds.remaining)
        self.summary.left = [card.id for card in self.missed if card.key in remaining]
        self.summary.leeches = [
            card.id for card in self.missed
            if (entry := progress.get(card.key)) is not None and is_leech(entry)
        ]
        dues = [entry.state.due for card in self.missed if (entry := progress.get(card.key))]
        self.summary.next_due = next_due(dues, now)
        self.terminal.show_summary(self.summary, now)


def run_review(
    where: Where,
    selection: Sequence[str],
    terminal: Terminal,
    *,
    since: timedelta | None = None,
    seed: int | None = None,
    clock: Callable[[], datetime] | None = None,
    tags: Sequence[str] = (),
) -> ReviewSummary:
    """Drill the missed cards in rounds; every answer is saved before the next card."""
    library = where.library(selection)
    store = where.store()
    scheduler = ready_for_answers(store, None)
    clock = clock or paths.clock()
    cards = narrow(library.cards(), tags, store.marks.suspended)
    missed = missed_cards(cards, store.progress, clock(), since)
    summary = ReviewSummary(nothing_to_do=not missed, cards=len(missed), since=since)
    drill = _Drill(missed, store, random.Random(seed), summary, terminal)
    run_session(drill, terminal, LoadLater(store, loaded=True), scheduler, clock, where.warn)
    return summary
