"""Each card's glance, cached by the review logs' stamps: `decks` and `study` start from it
without reading the store, and never from a glance the logs no longer agree with."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsquiz.errors import AwsquizError
from awsquiz.model import CardState, Glance, Rating, Review
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.services.loop import LoadLater
from awsquiz.services.study import run_study
from awsquiz.services.where import Where
from awsquiz.session.queue import plan_study
from awsquiz.store import glances as glance
from awsquiz.store.logfiles import new_review_id
from awsquiz.store.store import Store
from conftest import DECKS, ScriptedLearner

NOW = "2026-11-28T09:00:00.000000+00:00"


def review(card: str, machine_time: str = NOW) -> Review:
    state = CardState(2, None, 30.0, 5.0, "2026-12-20T09:00:00.000000+00:00", machine_time, 2, 0)
    return Review(new_review_id(), "sample", card, machine_time, Rating.GOOD, True, "x", 900,
                  state)


def from_store(progress: Path) -> dict[str, Glance]:
    return glance.glances(Store.open(progress).progress)


def test_a_session_leaves_the_glances_the_next_command_starts_from(isolated: Path) -> None:
    where = Where(deck_dirs=[DECKS])
    run_study(where, ["sample"], ScriptedLearner(miss={"sse-options"}))
    after = glance.read(where.folder, where.warn)
    assert after.store is None  # read from the cache the session wrote
    assert {key: list(value) for key, value in after.cards.items()} == {
        key: list(value) for key, value in from_store(isolated).items()
    }
    assert len(after.cards) == 4  # the classify block's second card is buried till tomorrow


def test_a_log_that_changed_means_the_store_is_read(isolated: Path) -> None:
    where = Where(deck_dirs=[DECKS])
    run_study(where, ["sample"], ScriptedLearner(quit_after=2))
    assert glance.read(where.folder, where.warn).store is None
    # Another machine's log arrives (a file syncer): the cached glances no longer hold.
    later = "2026-11-28T10:00:00.000000+00:00"
    Store.open(isolated, machine="laptop").append(review("of-vs-in", later))
    fresh = glance.read(where.folder, where.warn)
    assert fresh.store is not None
    assert fresh.cards["sample/of-vs-in"].last_time == later
    assert glance.read(where.folder, where.warn).store is None  # and cached again


def test_a_log_with_a_torn_line_is_never_cached(isolated: Path) -> None:
    warnings: list[str] = []
    where = Where(deck_dirs=[DECKS], warn=warnings.append)
    store = Store.open(isolated)
    store.append(review("of-vs-in"))
    with store.log_path.open("ab") as log:
        log.write(b'{"v":1,"id":"torn')
    for _ in range(2):
        assert glance.read(where.folder, where.warn).store is not None
    assert len(warnings) == 2 and "skipped an incomplete answer" in warnings[0]


def test_plans_from_cached_glances_and_from_the_store_are_the_same(isolated: Path) -> None:
    where = Where(deck_dirs=[DECKS])
    run_study(where, ["sample"], ScriptedLearner(miss={"patching-control-type"}))
    keys = [f"sample/{card}" for card in ("of-vs-in", "patching-control-type", "sse-options")]
    later = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def plan(glances: object) -> tuple[str, ...]:
        return plan_study(keys, glances, Scheduler(), later, random.Random(3)).upcoming  # type: ignore[arg-type]

    cached = glance.read(where.folder, where.warn)
    assert cached.store is None
    assert plan(cached.cards) == plan(from_store(isolated))
    assert plan(cached.cards)  # something is due by then


def test_a_log_damaged_since_the_glances_were_cached_stops_the_session(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is read once the first card is shown; a bad line it finds then (another
    process wrote it just now) stops the session as it would have before the card."""
    where = Where(deck_dirs=[DECKS])
    run_study(where, ["sample"], ScriptedLearner(quit_after=1))
    assert glance.read(where.folder, where.warn).store is None

    def damaged(store: Store) -> Store:
        raise AwsquizError("reviews-test.jsonl:3: not valid JSON")

    monkeypatch.setattr(Store, "load", damaged)
    learner = ScriptedLearner()
    with pytest.raises(AwsquizError, match="not valid JSON"):
        run_study(where, ["sample"], learner)
    assert len(learner.turns) == 1 and not learner.feedback  # shown, never recorded


def test_a_store_is_read_once_however_often_asked_for(isolated: Path) -> None:
    Store.open(isolated).append(review("of-vs-in"))
    later = LoadLater(Store.at(isolated))
    assert "sample/of-vs-in" in later.load().progress
    Store.open(isolated, machine="laptop").append(review("sse-options"))
    assert "sample/sse-options" not in later.load().progress  # not read again
