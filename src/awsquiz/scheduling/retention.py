"""The desired retention with the least review time per card remembered: fsrs-rs's
`optimal_retention`, simulating this learner's own costs (the time their answers take by
stage and rating) and rating habits."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from awsquiz.model import Answered
from awsquiz.model.state import State
from awsquiz.scheduling.fitting import rust

MIN_SAMPLES = 10  # answers of a kind before their median time replaces the simulator's
MAX_SECONDS = 20 * 60  # an answer left on the screen longer says nothing about its cost
SIMULATED_DAYS = 365
NEW_PER_DAY = 10
MIN_DECK = 100
MAX_DECK = 2_000  # the simulation's time grows with the deck; the optimum hardly moves


class _Habits:
    """Answer times by (stage before the answer, rating), first ratings, review ratings."""

    def __init__(self) -> None:
        self.seconds: dict[tuple[int, int], list[float]] = {}
        self.first = [0, 0, 0, 0]
        self.recalled = [0, 0, 0]  # Hard, Good, Easy answers of cards in review

    def add(self, before: int | None, answer: Answered) -> None:
        if before is None:
            self.first[answer.rating - 1] += 1
        stage = State.LEARNING if before is None else before
        if stage == State.REVIEW and answer.rating > 1:
            self.recalled[answer.rating - 2] += 1
        if 0 < answer.ms <= MAX_SECONDS * 1000:
            self.seconds.setdefault((int(stage), answer.rating), []).append(answer.ms / 1000)


def recommend(history: Iterable[Answered], parameters: Sequence[float]) -> float:
    """The recommended desired retention for this learner with these parameters."""
    import fsrs_rs_python

    habits = _Habits()
    after: dict[str, int] = {}
    for answer in history:
        habits.add(after.get(answer.key), answer)
        after[answer.key] = answer.after
    config = fsrs_rs_python.default_simulator_config()
    costs = [list(row) for row in config.state_rating_costs]
    for row, stage in enumerate((State.LEARNING, State.REVIEW, State.RELEARNING)):
        for rating in range(1, 5):
            times = habits.seconds.get((int(stage), rating), [])
            if len(times) >= MIN_SAMPLES:
                costs[row][rating - 1] = statistics.median(times)
    config.state_rating_costs = costs
    if sum(habits.first) >= MIN_SAMPLES:
        config.first_rating_prob = [count / sum(habits.first) for count in habits.first]
    if sum(habits.recalled) >= MIN_SAMPLES:
        config.review_rating_prob = [count / sum(habits.recalled) for count in habits.recalled]
    config.deck_size = max(MIN_DECK, min(MAX_DECK, len(after)))
    config.learn_span = SIMULATED_DAYS
    config.learn_limit = NEW_PER_DAY
    return float(rust(lambda: fsrs_rs_python.optimal_retention(config, list(parameters))))
