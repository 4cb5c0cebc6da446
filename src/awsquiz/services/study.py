"""`awsquiz study`: what is due, most at risk first, then new cards; every answer saved
before the next card."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime

from awsquiz.decks.library import CardShelf
from awsquiz.model import DeckIndex, Review
from awsquiz.services.listing import decks_and_progress
from awsquiz.services.loop import LoadLater, next_due, ready_for_answers, run_session
from awsquiz.services.where import Where
from awsquiz.session.queue import DEFAULT_NEW_PER_DAY, StudyQueue, plan_study, sibling_map
from awsquiz.session.turn import Answer, Summary, Terminal, Turn, shuffled_choices
from awsquiz.store import glances
from awsquiz.system import paths


class _Study:
    """The `Session` of a study: the queue planned at the start, learning steps coming back."""

    allow_flag = False
    feedback = True

    def __init__(
        self,
        queue: StudyQueue,
        decks: Sequence[DeckIndex],
        rng: random.Random,
        summary: Summary,
        later: LoadLater,
        terminal: Terminal,
    ) -> None:
        self.queue = queue
        self.keys = [key for deck in decks for key in deck.keys]
        self.cards = CardShelf(decks)
        self.rng = rng
        self.summary = summary
        self.later = later
        self.terminal = terminal
        # "card 3 of 10" counts the session's cards; a card back from its learning step says so.
        self.shown: list[str] = []
        self.total = queue.left

    def next_turn(self, now: datetime) -> Turn | None:
        key = self.queue.peek(now)
        card = self.cards.get(key) if key is not None else None
        while key is not None and card is None:
            # Its deck file changed during the session: go on with what can be shown.
            self.queue = self.queue.without(key)
            self.summary.skipped.append(key)
            key = self.queue.peek(now)
            card = self.cards.get(key) if key is not None else None
        if key is None or card is None:
            return None
        again = key in self.shown
        if not again:
            self.shown.append(key)
        return Turn(
            card=card,
            choices=shuffled_choices(card, self.rng),
            position=self.shown.index(key) + 1,
            total=max(self.total, len(self.shown)),
            due_left=self.queue.due_left,
            new_left=self.queue.new_left,
            note="again" if again else "",
        )

    def accepts(self, turn: Turn, answer: Answer, now: datetime) -> bool:
        return True

    def answered(self, turn: Turn, answer: Answer, review: Review, first: bool) -> None:
        self.summary.count(answer, first_time=first)
        self.queue = self.queue.answered(turn.card.key, review.state)

    def flag(self, turn: Turn) -> None:
        raise AssertionError("a study session does not flag")

    def quit(self, now: datetime, *, interrupted: bool) -> None:
        self.summary.interrupted = interrupted

    def finish(self, now: datetime) -> None:
        if not self.summary.nothing_to_do:
            progress = self.later.load().progress  # read already, at the first card's prompt
            dues = [entry.state.due for key in self.keys if (entry := progress.get(key))]
            self.summary.next_due = next_due(dues, now)
        self.terminal.show_summary(self.summary, now)


def run_study(
    where: Where,
    selection: Sequence[str],
    terminal: Terminal,
    *,
    new_per_day: int = DEFAULT_NEW_PER_DAY,
    limit: int | None = None,
    include_all: bool = False,
    seed: int | None = None,
    retention: float | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Summary:
    decks, seen = decks_and_progress(
        where, selection, lambda: glances.read(where.folder, where.warn)
    )
    later = LoadLater(seen.store or where.store(load=False), loaded=bool(seen.store))
    scheduler = ready_for_answers(later.store, retention)
    keys = [key for deck in decks for key in deck.keys]
    clock = clock or paths.clock()
    rng = random.Random(seed)
    queue = plan_study(
        keys, seen.cards, scheduler, clock(), rng,
        new_per_day=new_per_day, limit=limit, include_all=include_all,
        siblings=sibling_map(group for deck in decks for group in deck.siblings),
    )
    summary = Summary(nothing_to_do=queue.peek(clock()) is None)
    if summary.nothing_to_do:
        summary.next_due = next_due((g.due for k in keys if (g := seen.cards.get(k))), clock())
    del seen  # the store, read once the first card is up, holds the rest
    session = _Study(queue, decks, rng, summary, later, terminal)
    run_session(session, terminal, later, scheduler, clock, where.warn)
    return summary
