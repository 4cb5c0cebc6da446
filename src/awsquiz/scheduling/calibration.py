"""The calibration of predicted recall, as `awsquiz stats` shows it: every scored review's
predicted recall against whether it was recalled, in bins of a tenth, per deck; with each
card's memory after its last answer, so that the tally grows by new answers alone.

A card's answers come as `day * 8 + rating` (learner's days, `days.LearnerDays`). A review is
scored when the card's previous answer was on an earlier day (as in `fitting`); its predicted
recall is FSRS's forgetting curve at the days since, for the memory fsrs-rs replays from the
card's first answer. Stepping a card's memory one answer at a time (`next_states`) gives what
replaying its whole history does (`historical_memory_state_batch`), and predicted recall is
summed in whole units of 2**-32, so a tally grown answer by answer equals one made at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import partial
from typing import Any

from awsquiz.scheduling.fitting import CALIBRATION_BINS, CalibrationBin, batches, rust

UNIT = 1 << 32  # predicted recall is summed in these: exact, whatever the order
_BATCH = 500  # cards replayed at a time: memory stays small
# A card's memory after its last answer: [that answer's day, stability, difficulty].
CardMemory = list[Any]
# A deck's bins: [predicted recall in UNITs, reviews recalled, reviews] per tenth.
DeckBins = list[list[int]]


class Tally:
    """The calibration's sums per deck and each card's memory (see the module's docstring)."""

    def __init__(self) -> None:
        self.bins: dict[str, DeckBins] = {}
        self.cards: dict[str, CardMemory] = {}

    def lines(self, decks: Collection[str] | None = None) -> list[CalibrationBin]:
        """The bins over the decks given (all if None), those with a review."""
        totals = [[0, 0, 0] for _ in range(CALIBRATION_BINS)]
        for deck, bins in self.bins.items():
            if decks is None or deck in decks:
                for total, cell in zip(totals, bins, strict=True):
                    total[0] += cell[0]
                    total[1] += cell[1]
                    total[2] += cell[2]
        return [
            CalibrationBin(predicted / UNIT / count, recalled / count, count)
            for predicted, recalled, count in totals
            if count
        ]

    def to_doc(self) -> dict[str, Any]:
        return {"bins": self.bins, "cards": self.cards}

    @staticmethod
    def from_doc(doc: dict[str, Any]) -> Tally:
        """A tally from `to_doc`; ValueError, KeyError or TypeError if `doc` is not one."""
        tally = Tally()
        bins, cards = doc["bins"], doc["cards"]
        if type(bins) is not dict or type(cards) is not dict:
            raise ValueError("not a calibration tally")
        for deck_bins in bins.values():
            if len(deck_bins) != CALIBRATION_BINS or any(len(cell) != 3 for cell in deck_bins):
                raise ValueError("not a deck's bins")
        tally.bins, tally.cards = bins, cards
        return tally


class _Curve:
    """FSRS's forgetting curve for one set of parameters, and the bins it adds to."""

    def __init__(self, parameters: Sequence[float]) -> None:
        self.decay = -parameters[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    def score(self, bins: DeckBins, elapsed: int, stability: float, rating: int) -> None:
        predicted = (1 + self.factor * elapsed / stability) ** self.decay
        cell = bins[min(CALIBRATION_BINS - 1, int(predicted * CALIBRATION_BINS))]
        cell[0] += int(predicted * UNIT)
        cell[1] += rating > 1
        cell[2] += 1


def _deck_bins(tally: Tally, deck: str) -> DeckBins:
    bins = tally.bins.get(deck)
    if bins is None:
        bins = tally.bins[deck] = [[0, 0, 0] for _ in range(CALIBRATION_BINS)]
    return bins


# A tally of more answers than this is made in two processes (see `build`).
PARALLEL_ANSWERS = 100_000


def build(cards: Iterable[tuple[str, str, Sequence[int]]], parameters: Sequence[float]) -> Tally:
    """The tally of cards given as (deck, card key, answers), each card's whole history, the
    answers as day * 8 + rating; a long history's cards are replayed half here, half in a
    second process."""
    every = list(cards)
    answers = sum(len(values) for _, _, values in every)
    if answers < PARALLEL_ANSWERS or len(every) < 2:
        return _build(every, parameters)
    from awsquiz.system.forked import Forked

    half = len(every) // 2
    later = Forked(lambda: _build(every[half:], parameters))
    try:
        tally = _build(every[:half], parameters)
    except BaseException:
        later.cancel()
        raise
    other = later.result()
    for deck, bins in other.bins.items():
        mine = _deck_bins(tally, deck)
        for cell, more in zip(mine, bins, strict=True):
            for index in range(3):
                cell[index] += more[index]
    tally.cards.update(other.cards)
    return tally


def _build(cards: Iterable[tuple[str, str, Sequence[int]]], parameters: Sequence[float]) -> Tally:
    import fsrs_rs_python

    model = rust(lambda: fsrs_rs_python.FSRS(list(parameters)))
    curve = _Curve(parameters)
    tally = Tally()
    review, item = fsrs_rs_python.FSRSReview, fsrs_rs_python.FSRSItem
    for batch in batches(cards, _BATCH):
        days = [[value >> 3 for value in values] for _, _, values in batch]
        items = [
            item([review(value & 7, day - previous) for value, day, previous in zip(
                values, card_days, [card_days[0], *card_days], strict=False)])
            for (_, _, values), card_days in zip(batch, days, strict=True)
        ]
        states = rust(partial(model.historical_memory_state_batch, items))
        for (deck, key, values), card_days, memory in zip(batch, days, states, strict=True):
            bins = _deck_bins(tally, deck)
            for i in range(1, len(card_days)):
                elapsed = card_days[i] - card_days[i - 1]
                if elapsed > 0:
                    curve.score(bins, elapsed, memory[i - 1].stability, values[i] & 7)
            last = memory[-1]
            tally.cards[key] = [card_days[-1], last.stability, last.difficulty]
    return tally


def grow(
    tally: Tally, cards: Iterable[tuple[str, str, Sequence[int]]], parameters: Sequence[float]
) -> None:
    """Add to `tally` the answers each card was given since, as (deck, card key, answers),
    the answers as `build` takes them."""
    import fsrs_rs_python

    model = rust(lambda: fsrs_rs_python.FSRS(list(parameters)))
    curve = _Curve(parameters)
    memory_state = fsrs_rs_python.MemoryState
    for deck, key, values in cards:
        bins = _deck_bins(tally, deck)
        known = tally.cards.get(key)
        for value in values:
            day, rating = divmod(value, 8)
            if known is None:
                state, elapsed = None, 0
            else:
                elapsed = day - known[0]
                state = memory_state(known[1], known[2])
                if elapsed > 0:
                    curve.score(bins, elapsed, known[1], rating)
            after = rust(partial(model.next_states, state, 0.9, elapsed))
            memory = (after.again, after.hard, after.good, after.easy)[rating - 1].memory
            known = tally.cards[key] = [day, memory.stability, memory.difficulty]
