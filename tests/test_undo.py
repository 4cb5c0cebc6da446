"""`u` in study and review sessions, and `awsquiz undo`: the card goes back exactly to the
state it had, is asked again, and the cancelled answer counts nowhere."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.services import progress as progress_service
from awsquiz.services.study import run_study
from awsquiz.services.where import Where
from awsquiz.session.turn import Summary
from awsquiz.store.store import Store
from conftest import DECKS, RIGHT, WRONG, ScriptedTerminal

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")
BASIC = "sample/of-vs-in"  # the first new card of the sample deck, then the choice card
CHOICE = "sample/patching-control-type"


class Script(ScriptedTerminal):
    """Answers from a script: "right" and "wrong" answer the card shown, anything else is
    typed as it is; the end of the script ends the input. "^C" presses Ctrl-C."""

    def __init__(self, *script: str) -> None:
        super().__init__()
        self.script = list(script)
        self.problems: list[str] = []

    def read_line(self) -> str | None:
        if not self.script:
            return None
        step = self.script.pop(0)
        card = self.turns[-1].card
        if step == "^C":
            raise KeyboardInterrupt
        if step == "right":
            return RIGHT[card.id]
        if step == "wrong":
            return WRONG.get(card.id, "not it")
        return step

    def show_problem(self, message: str) -> None:
        self.problems.append(message)

    def show_reveal(self, turn: Any, typed: str) -> None:
        pass


def study(terminal: Script, **options: Any) -> Summary:
    return run_study(Where(), [SAMPLE], terminal, seed=1, **options)


def fresh(progress: Path) -> Store:
    """The store rebuilt from the logs alone (no snapshot)."""
    for snapshot in progress.glob("snapshot-*.json"):
        snapshot.unlink()
    return Store.open(progress, machine="test")


def log(progress: Path) -> list[dict[str, Any]]:
    text = (progress / "reviews-test.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


def test_answering_a_new_card_and_pressing_u_leaves_it_new(isolated: Path) -> None:
    terminal = Script("right", "u")
    summary = study(terminal)
    assert [t.card.key for t in terminal.turns[:3]] == [BASIC, CHOICE, BASIC]  # asked again
    assert terminal.turns[2].position == 1 and terminal.turns[2].note == ""  # as if unseen
    assert summary.answered == 0 and summary.right == 0 and summary.new_learned == 0
    assert any("undone" in note and BASIC in note for note in terminal.notes)
    assert BASIC not in Store.open(isolated).progress
    assert BASIC not in fresh(isolated).progress
    review, undo = log(isolated)
    assert undo["kind"] == "undo" and undo["undoes"] == review["id"]
    assert undo["restores"] is None and undo["v"] == 2 and review["v"] == 1


@pytest.mark.parametrize(
    "script",
    [
        ["right", "right"],  # a right answer
        ["right", "wrong"],  # a wrong choice
        ["nope", "2", "right"],  # a typed answer, then a self-rating (Hard), then a learning step
        ["right", "right", "right", "right", "right", "right"],  # learning steps
    ],
    ids=["right", "wrong", "typed-and-self-rated", "learning-step"],
)
def test_undo_restores_the_exact_state(isolated: Path, script: list[str]) -> None:
    study(Script(*script[:-1]))
    before = Store.open(isolated).progress
    terminal = Script(script[-1], "u")
    summary = study(terminal)
    assert summary.answered == 0
    shown = [t.card.key for t in terminal.turns]
    assert shown[0] == shown[2]  # the card undone is asked again at once
    assert Store.open(isolated).progress == before
    assert fresh(isolated).progress == before


def test_several_u_in_a_row_undo_several_answers(isolated: Path) -> None:
    terminal = Script("right", "right", "wrong", "u", "u", "u", "u")
    summary = study(terminal)
    assert summary.answered == 0 and summary.missed == []
    assert terminal.problems == ["nothing to undo: no answer given in this session yet"]
    assert Store.open(isolated).progress == {}
    assert fresh(isolated).progress == {}
    kinds = [line.get("kind") for line in log(isolated)]
    assert kinds == ["study", "study", "study", "undo", "undo", "undo"]


def test_an_undo_then_a_new_answer_is_what_counts(isolated: Path) -> None:
    study(Script("right", "wrong", "u", "right"))
    store = fresh(isolated)
    assert store.progress[CHOICE].last_right is True
    assert [a.right for a in store.history() if a.key == CHOICE] == [True]
    assert Store.open(isolated).progress == store.progress


def test_a_cancelled_review_counts_nowhere(isolated: Path) -> None:
    study(Script("right", "wrong", "u"))
    store = Store.open(isolated)
    assert [a.key for a in store.history()] == [BASIC]  # stats and review counts
    result = runner.invoke(app, ["review", SAMPLE, "--list"])
    assert result.exit_code == 0, result.output
    assert "patching-control-type" not in result.output
    stats = runner.invoke(app, ["stats", SAMPLE, "--json"])
    assert stats.exit_code == 0, stats.output
    report = json.loads(stats.output)
    assert report["activity"]["reviews"] == 1
    assert report["total"]["missed"] == 0 and report["total"]["new"] == 4


def test_u_in_a_review_drill_brings_the_missed_card_back(isolated: Path) -> None:
    study(Script("right", "wrong"))
    result = runner.invoke(app, ["review", SAMPLE], input="Inherited\nu\nShared\n")
    assert result.exit_code == 0, result.output
    assert "undone: your answer to sample/patching-control-type" in result.output
    store = fresh(isolated)
    assert store.progress[CHOICE].last_right is True
    assert [a.right for a in store.history() if a.key == CHOICE] == [False, True]


def test_awsquiz_undo_after_a_ctrl_c(isolated: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        study(Script("right", "wrong", "^C"))
    result = runner.invoke(app, ["undo"])
    assert result.exit_code == 0, result.output
    assert "sample/patching-control-type" in result.output and "new again" in result.output
    assert CHOICE not in Store.open(isolated).progress
    again = runner.invoke(app, ["undo"])
    assert again.exit_code == 0, again.output
    assert "sample/of-vs-in" in again.output
    assert Store.open(isolated).progress == {}
    assert fresh(isolated).progress == {}
    nothing = runner.invoke(app, ["undo"])
    assert nothing.exit_code == 1 and "no answer to undo" in nothing.output


def test_an_undo_merged_from_another_machine(isolated: Path, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop"
    study(Script("right", "right"))
    before = Store.open(isolated).progress
    # The laptop has the same answers, and one more it took back.
    for path in isolated.glob("reviews-*.jsonl"):
        laptop.mkdir()
        (laptop / "reviews-laptop.jsonl").write_bytes(path.read_bytes())
    lap = Store.open(laptop, machine="laptop")
    study_there = run_study(
        Where(progress=laptop), [SAMPLE], Script("wrong", "u"), seed=1
    )
    assert study_there.answered == 0 and lap is not None
    desk = Store.open(isolated, machine="test")
    added = progress_service.merge(desk, laptop)
    assert added.reviews == 2  # the cancelled review and its undo
    assert Store.open(isolated).progress == before
    assert fresh(isolated).progress == before
    assert progress_service.merge(Store.open(isolated), laptop).reviews == 0


def test_export_and_import_keep_undos(isolated: Path, tmp_path: Path) -> None:
    study(Script("right", "wrong", "u"))
    store = Store.open(isolated)
    backup = tmp_path / "backup.jsonl"
    assert progress_service.export(store, backup).reviews == 3
    other = Store.open(tmp_path / "other", machine="other")
    assert progress_service.import_file(other, backup).reviews == 3
    assert Store.open(tmp_path / "other", machine="other").progress == store.progress
    assert CHOICE not in store.progress


def test_an_exam_answer_cannot_be_undone(isolated: Path) -> None:
    result = runner.invoke(
        app, ["exam", SAMPLE, "--questions", "2", "--seed", "1"], input="1\nu\n1\n"
    )
    assert result.exit_code == 0, result.output
    assert "exam answers cannot be undone" in result.output
    assert not [line for line in log(isolated) if line.get("kind") == "undo"]


# The fold: undos in any history, read in any way, give what the answers left standing give --


def _answer(store: Store, card: str, rating: int, now: Any) -> None:
    from awsquiz.model import RATINGS
    from awsquiz.model import Review as ReviewRecord
    from awsquiz.model.times import iso
    from awsquiz.scheduling.scheduler import Scheduler
    from awsquiz.store.logfiles import new_review_id

    previous = store.progress.get(f"d/{card}")
    state = Scheduler(0.9).review(previous.state if previous else None, RATINGS[rating], now)
    store.append(ReviewRecord(
        id=new_review_id(), deck="d", card=card, time=iso(now), rating=RATINGS[rating],
        right=rating > 1, picked=None, ms=1000, state=state,
    ))


operations = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(["a", "b"]), st.integers(1, 4)),
        st.tuples(st.just("undo"), st.just(""), st.just(0)),
        st.tuples(st.just("reopen"), st.just(""), st.just(0)),
    ),
    max_size=14,
)


@settings(max_examples=40, deadline=None)
@given(ops=operations)
@example(ops=[("answer", "a", 1), ("reopen", "", 0), ("undo", "", 0), ("answer", "a", 1)])
def test_any_mix_of_answers_and_undos_folds_like_the_answers_left_standing(
    ops: list[tuple[str, str, int]],
) -> None:
    import tempfile
    from datetime import datetime, timedelta

    from awsquiz.errors import AwsquizError
    from awsquiz.model import Review as ReviewRecord
    from awsquiz.services.marks import undo_last
    from awsquiz.store.fold import progress_of

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        store = Store.open(folder, machine="m")
        now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
        for op, card, rating in ops:
            now += timedelta(minutes=1)
            if op == "answer":
                _answer(store, card, rating, now)
            elif op == "undo":
                with contextlib.suppress(AwsquizError):  # nothing left to undo
                    undo_last(store, now)
            else:
                store.save_snapshot()
                store = Store.open(folder, machine="m")
        records = store.records()
        cancelled = {r.undoes for r in records if not isinstance(r, ReviewRecord)}
        expected = progress_of(
            r for r in records if isinstance(r, ReviewRecord) and r.id not in cancelled
        )
        assert store.progress == expected  # in memory, as answers and undos were given
        assert Store.open(folder, machine="m").progress == expected  # snapshot and catch-up
        for snapshot in folder.glob("snapshot-*"):
            snapshot.unlink()
        assert Store.open(folder, machine="m").progress == expected  # the logs alone
        log = folder / "reviews-m.jsonl"
        if log.exists():  # the same records in a second, synced log: read twice, same sum
            (folder / "reviews-copy.jsonl").write_bytes(log.read_bytes())
            assert Store.open(folder, machine="m").progress == expected
