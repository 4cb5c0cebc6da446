"""Study sessions end to end through the library and the CLI: answers saved, days move on."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.model import CardType
from awsquiz.services.study import run_study
from awsquiz.services.where import Where
from awsquiz.session.turn import Summary, Turn
from awsquiz.store.store import Store
from conftest import DECKS, ScriptedLearner

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")


def study(learner: ScriptedLearner, **options: object) -> Summary:
    return run_study(Where(), [SAMPLE], learner, seed=1, **options)  # type: ignore[arg-type]


def store(progress: Path) -> Store:
    return Store.open(progress)


def test_a_session_learns_every_card_and_saves_every_answer(isolated: Path) -> None:
    learner = ScriptedLearner(miss={"patching-control-type"})
    summary = study(learner)
    # Each new card goes through two learning steps; the missed one needs one more answer.
    # The classify block's two cards are siblings: the second waits for tomorrow.
    assert summary.answered == 9
    assert summary.new_learned == 4
    assert summary.missed == ["patching-control-type"]
    assert summary.right == 8
    assert "control-types-zone-security" not in {turn.card.id for turn in learner.turns}
    log = (isolated / "reviews-test.jsonl").read_text()
    lines = [json.loads(line) for line in log.splitlines()]
    assert len(lines) == 9
    first_miss = next(line for line in lines if line["right"] is False)
    assert first_miss["card"] == "patching-control-type"
    assert first_miss["picked"] == ["Inherited"] and first_miss["rating"] == 1
    assert set(first_miss) >= {"id", "deck", "card", "time", "rating", "right", "picked", "ms",
                               "state", "v"}
    # The missed card came back in the same session and was then answered right.
    shown = [turn.card.id for turn in learner.turns]
    assert shown.count("patching-control-type") == 3


def test_next_day_only_the_missed_cards_are_due(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study(ScriptedLearner())  # every card through its learning steps
    # Later that day, studying ahead, the learner misses one card and stops right there.
    monkeypatch.setenv("AWSQUIZ_NOW", "2026-11-28T11:00:00+00:00")
    ahead = _QuitAfterMiss(ScriptedLearner(miss={"sse-options"}))
    ahead_summary = run_study(Where(), [SAMPLE], ahead, include_all=True, seed=2)
    assert ahead_summary.missed == ["sse-options"]
    monkeypatch.setenv("AWSQUIZ_NOW", "2026-11-29T09:00:00+00:00")
    learner = ScriptedLearner(quit_after=1)
    study(learner)
    # The missed card is due; the sibling buried yesterday is new today.
    assert [turn.card.id for turn in learner.turns][0] == "sse-options"
    assert learner.turns[0].due_left == 1 and learner.turns[0].new_left == 1
    assert learner.turns[1].card.id == "control-types-zone-security"
    assert not store(isolated).progress["sample/sse-options"].missed  # answered right today


class _QuitAfterMiss(ScriptedLearner):
    """A learner who quits as soon as they have missed a card."""

    def __init__(self, inner: ScriptedLearner) -> None:
        super().__init__(inner.miss)
        self.missed_one = False

    def respond(self, card: Any) -> str | None:
        if self.missed_one:
            return "q"
        if card.id in self.miss:
            self.missed_one = True
        return super().respond(card)


def test_quit_keeps_every_answer_and_the_next_run_continues(isolated: Path) -> None:
    first = ScriptedLearner(quit_after=2)
    summary = study(first)
    assert summary.answered == 2
    assert len(store(isolated).progress) == 2
    second = ScriptedLearner()
    study(second)
    # The two cards already seen are in their learning steps; the others come first (the
    # classify block's second card is its first's sibling, buried till tomorrow).
    assert [t.card.id for t in second.turns][:2] == [
        "sse-options",
        "control-types-physical-and-environmental-controls",
    ]
    assert "control-types-zone-security" not in {t.card.id for t in second.turns}


def test_new_card_allowance_is_per_day() -> None:
    first = ScriptedLearner(quit_after=3)
    study(first, new_per_day=2)
    assert {t.card.id for t in first.turns} == {"of-vs-in", "patching-control-type"}
    again = ScriptedLearner()
    study(again, new_per_day=2)
    assert all(t.new_left == 0 for t in again.turns)


def test_study_over_a_pipe_shows_feedback_and_a_summary(isolated: Path) -> None:
    result = runner.invoke(
        app, ["study", SAMPLE, "--seed", "3", "--limit", "2"], input="aws\nInherited\nq\n"
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "sample · card 1 of 2 · 0 due · 2 new" in out
    assert "✓ Right." in out
    assert "✗ The answer is Shared." in out
    assert "Why not Inherited: AWS patches its infrastructure" in out
    assert "source  https://aws.amazon.com/compliance/shared-responsibility-model/" in out
    assert "back in 1 minute" in out
    assert "answered 2 · right 50% · new 2" in out
    assert "missed: patching-control-type" in out
    assert "drill them now: awsquiz review" in out
    assert len((isolated / "reviews-test.jsonl").read_text().splitlines()) == 2


def test_typed_wrong_answer_is_shown_and_self_rated() -> None:
    result = runner.invoke(app, ["study", SAMPLE, "--limit", "1"], input="Azure\n2\nq\n")
    assert result.exit_code == 0, result.output
    assert "you typed  Azure" in result.output
    assert "answer  AWS" in result.output
    assert "answered 1 · right 100%" in result.output


def test_unreadable_answer_is_asked_again_without_recording(isolated: Path) -> None:
    result = runner.invoke(
        app, ["study", SAMPLE, "--limit", "2"], input="aws\n9\nShared\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "9 is not a choice: pick 1 to 3" in result.output
    assert len((isolated / "reviews-test.jsonl").read_text().splitlines()) == 2


def test_end_of_input_ends_the_session_with_answers_kept(isolated: Path) -> None:
    result = runner.invoke(app, ["study", SAMPLE], input="aws\n")
    assert result.exit_code == 0, result.output
    assert "Session done" in result.output
    assert len((isolated / "reviews-test.jsonl").read_text().splitlines()) == 1


def test_nothing_due_says_when_to_come_back() -> None:
    study(ScriptedLearner())
    result = runner.invoke(app, ["study", SAMPLE], input="")
    assert result.exit_code == 0, result.output
    assert "Nothing is due" in result.output and "next card is due in" in result.output


def test_retention_is_validated_and_kept(isolated: Path) -> None:
    bad = runner.invoke(app, ["study", SAMPLE, "--retention", "1.5"], input="q\n")
    assert bad.exit_code == 2
    assert "desired retention must be between 0.70 and 0.99" in bad.output
    ok = runner.invoke(app, ["study", SAMPLE, "--retention", "0.85"], input="q\n")
    assert ok.exit_code == 0, ok.output
    # The file holds every setting, so the daily number of new cards is there to be edited.
    saved = json.loads((isolated / "config.json").read_text())
    assert saved == {
        "retention": 0.85, "day_start": 4, "new_per_day": 10, "leech_action": "suspend"
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_session_that_cannot_save_says_so_before_the_first_card(isolated: Path) -> None:
    isolated.mkdir()
    isolated.chmod(0o500)
    try:
        result = runner.invoke(app, ["study", SAMPLE], input="aws\n")
    finally:
        isolated.chmod(0o700)
    assert result.exit_code == 1
    assert "answers could not be saved" in result.output
    assert "card 1 of" not in result.output


def test_a_session_that_cannot_save_as_root(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Store, "_open_log", lambda self: refuse())
    result = runner.invoke(app, ["study", SAMPLE], input="aws\n")
    assert result.exit_code == 1
    assert "answers could not be saved" in result.output
    assert "card 1 of" not in result.output


def test_card_types_of_the_sample_deck() -> None:
    from awsquiz.decks.deck_file import load_deck_file

    deck = load_deck_file(SAMPLE).deck
    assert deck is not None
    assert {c.type for c in deck.cards} == {CardType.BASIC, CardType.CHOICE, CardType.MULTI}


def test_the_collector_paused_for_start_up_is_back_on_once_an_answer_is_read() -> None:
    import gc

    from awsquiz.cli.startup import collect_from_first_answer

    learner = ScriptedLearner(quit_after=1)
    seen: list[bool] = []
    respond = learner.respond
    learner.respond = lambda card: seen.append(gc.isenabled()) or respond(card)  # type: ignore[method-assign]
    gc.disable()  # as the command line does while a command starts
    try:
        run_study(Where(deck_dirs=[DECKS]), ["sample"], collect_from_first_answer(learner))
        assert seen and seen[0] is True  # on by the time the first answer was read
        assert gc.isenabled()
    finally:
        gc.enable()


def test_work_meanwhile_is_done_once_the_prompt_is_shown_and_before_input_is_read() -> None:
    import io

    from awsquiz.decks.deck_file import load_deck_file
    from awsquiz.services.loop import ask
    from awsquiz.ui import console
    from awsquiz.ui.session import RichTerminal

    deck = load_deck_file(SAMPLE).deck
    assert deck is not None
    card = next(c for c in deck.cards if c.type is CardType.CHOICE)
    screen = io.StringIO()
    keys = io.StringIO("2\n")
    seen: list[tuple[str, int]] = []
    terminal = RichTerminal(console(screen), keys)

    def meanwhile() -> None:
        seen.append((screen.getvalue(), keys.tell()))

    turn = Turn(card=card, choices=card.choices, position=1, total=1)
    answer = ask(terminal, turn, meanwhile=meanwhile)
    assert answer is not None and answer != "flag"
    assert answer.picked == (card.choices[1],)
    [(shown, typed)] = seen
    assert shown.rstrip().endswith("q quits) ›")  # the prompt was up
    assert typed == 0  # and nothing typed was read yet
