"""`awsquiz study`: what is due, most at risk first, then new cards; every answer saved
before the next card."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, cast

from awsquiz.decks.library import CardShelf, deck_cards
from awsquiz.model.deck import teaching_order
from awsquiz.services.loop import LoadLater, next_due, ready_for_answers, run_session
from awsquiz.services.reading import decks_and_progress
from awsquiz.services.untimed import Untimed
from awsquiz.session.queue import plan_study, sibling_map
from awsquiz.session.turn import Summary, Turn, shuffled_choices
from awsquiz.store import config as settings
from awsquiz.store import glances
from awsquiz.system import paths

if TYPE_CHECKING:  # names for annotations only: a session starts without loading them
    from awsquiz.model import Card, DeckIndex, Review
    from awsquiz.services.where import Where
    from awsquiz.session.queue import StudyQueue
    from awsquiz.session.turn import Answer, Terminal


class _Study(Untimed):
    """The `Session` of a study: the queue planned at the start, learning steps coming back."""


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
        # "card 12 of 14" counts the session's answers, returns from learning steps
        # included: the number only goes up, and the total is what is left to answer now.
        self.shown: frozenset[str] = frozenset()
        self.turns = 0
        self.before_turn: tuple[frozenset[str], int] = (self.shown, 0)

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
        back = key in self.shown
        # Where the session stood before this turn: an undo of its answer goes back there.
        self.before_turn = (self.shown, self.turns)
        self.shown = self.shown | {key}
        self.turns += 1
        return Turn(
            card=card,
            choices=shuffled_choices(card, self.rng),
            position=self.turns,
            total=self.turns - 1 + max(1, self.queue.left_within(now)),
            due_left=self.queue.due_left,
            new_left=self.queue.new_left,
            note="back for a learning step" if back else "",
        )

    def answered(self, turn: Turn, answer: Answer, review: Review, first: bool) -> None:
        self.summary.count(answer, first_time=first)
        self.queue = self.queue.answered(turn.card.key, review.state)

    def checkpoint(self) -> object:
        return (self.queue, self.summary.saved(), self.before_turn)

    def rewind(self, saved: object) -> None:
        queue, summary, (shown, turns) = cast(
            "tuple[StudyQueue, Summary, tuple[frozenset[str], int]]", saved
        )
        self.queue, self.shown, self.turns = queue, shown, turns
        self.summary.restore(summary)

    def drop(self, key: str) -> None:
        self.queue = self.queue.without(key)
        self.suspended(key)

    def finish(self, now: datetime) -> None:
        if not self.summary.nothing_to_do:
            progress = self.later.load().progress  # read already, at the first card's prompt
            dues = [entry.state.due for key in self.keys if (entry := progress.get(key))]
            self.summary.next_due = next_due(dues, now)
        self.terminal.show_summary(self.summary, now)


def _cards(decks: Sequence[DeckIndex]) -> list[Card]:
    return [card for deck in decks for card in deck_cards(deck).values()]


def run_study(
    where: Where,
    selection: Sequence[str],
    terminal: Terminal,
    *,
    new: int | None = None,
    new_per_day: int | None = None,
    limit: int | None = None,
    include_all: bool = False,
    seed: int | None = None,
    retention: float | None = None,
    clock: Callable[[], datetime] | None = None,
    tags: Sequence[str] = (),
) -> Summary:
    decks, seen = decks_and_progress(
        where, selection, lambda: glances.read(where.folder, where.warn)
    )
    decks = teaching_order(decks)
    later = LoadLater(seen.store or where.store(load=False), loaded=bool(seen.store))
    changes: list[tuple[float, float]] = []
    scheduler = ready_for_answers(
        later.store, retention, lambda old, now: changes.append((old, now))
    )
    daily = settings.load(later.store.folder).new_per_day if new_per_day is None else new_per_day
    keys = [key for deck in decks for key in deck.keys if key not in seen.suspended]
    if tags:  # the cards are built to read their tags (the plain path builds none)
        from awsquiz.session.selection import narrow

        tagged = {card.key for card in narrow(_cards(decks), tags, seen.suspended)}
        keys = [key for key in keys if key in tagged]
    clock = clock or paths.clock()
    rng = random.Random(seed)
    queue = plan_study(
        keys, seen.cards, scheduler, clock(), rng,
        new_per_day=daily, new_now=new, limit=limit, include_all=include_all,
        siblings=sibling_map(group for deck in decks for group in deck.siblings),
    )
    summary = Summary(
        nothing_to_do=queue.peek(clock()) is None,
        new_waiting=queue.new_waiting,
        new_today=queue.new_today,
        new_buried=queue.new_buried,
        new_per_day=daily,
        new_asked=new,
        retention_change=changes[0] if changes else None,
    )
    if summary.nothing_to_do:
        summary.next_due = next_due((g.due for k in keys if (g := seen.cards.get(k))), clock())
    del seen  # the store, read once the first card is up, holds the rest
    session = _Study(queue, decks, rng, summary, later, terminal)
    run_session(session, terminal, later, scheduler, clock, where.warn)
    return summary
