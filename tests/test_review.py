"""`awsquiz review`: the missed cards listed, drilled in rounds, leeches marked."""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model import Card, CardProgress, CardState, CardType, Rating
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.services.loop import record
from awsquiz.services.review import run_review
from awsquiz.services.where import Where
from awsquiz.session.rounds import (
    LEECH_LAPSES,
    Rounds,
    is_leech,
    missed_cards,
    parse_since,
)
from awsquiz.session.turn import Answer
from awsquiz.store.store import Store
from awsquiz.system.files import unsealed
from awsquiz.ui import console
from awsquiz.ui.review import ReviewTerminal

runner = CliRunner()

# Every card's right answer is "Yes", so a drill's answers do not depend on its shuffled order.
DECK = """\
deck: drill
title: Drill fixture
cards:
  - id: alpha
    type: choice
    question: "Is alpha [bold]right[/bold]?"
    choices: [Yes, No, Maybe]
    answer: "Yes"
  - id: beta
    type: choice
    question: Is beta right?
    choices: [Yes, No, Maybe]
    answer: "Yes"
  - id: gamma
    type: choice
    question: Is gamma right?
    choices: [Yes, No, Maybe]
    answer: "Yes"
    why:
      Maybe: It is certain.
"""
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    path = folder / "drill.yaml"
    path.write_text(DECK, encoding="utf-8")
    return path


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Pin the clock: every command below runs at this time."""
    monkeypatch.setenv("AWSQUIZ_NOW", moment.isoformat())


def run(deck: Path, *args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, [*args, str(deck)], input=input)
    assert result.exit_code == code, result.output
    return result.output


def listed(deck: Path, *args: str) -> dict[str, dict[str, object]]:
    rows = json.loads(run(deck, "review", "--list", "--json", *args))
    return {row["id"]: row for row in rows}


def study_missing(deck: Path, monkeypatch: pytest.MonkeyPatch, miss: set[str]) -> None:
    """A study session over a pipe at T0: new cards come in deck order; miss the ones named."""
    at(monkeypatch, T0)
    answers = ["No" if card in miss else "Yes" for card in ("alpha", "beta", "gamma")]
    run(deck, "study", "--seed", "1", input="\n".join(answers) + "\n")  # then end of input


def review_log(progress: Path) -> list[tuple[str, bool | None]]:
    return [(r.card, r.right) for r in Store.open(progress).reviews() if r.kind == "review"]


# Listing -------------------------------------------------------------------------------------


def test_review_list_shows_exactly_the_cards_missed_in_study(
    deck: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study_missing(deck, monkeypatch, {"alpha", "gamma"})
    at(monkeypatch, T0 + timedelta(hours=1))
    rows = listed(deck)
    assert set(rows) == {"alpha", "gamma"}
    assert rows["alpha"]["picked"] == ["No"]
    assert rows["alpha"]["times_missed"] == 1
    assert rows["alpha"]["leech"] is False
    assert rows["alpha"]["question"] == "Is alpha [bold]right[/bold]?"

    text = run(deck, "review", "--list")
    lines = text.splitlines()
    assert lines[0].split() == ["deck", "card", "question", "picked", "last", "missed", "when",
                                "leech"]
    assert [line.split()[1] for line in lines[1:]] == ["alpha", "gamma"]
    assert "Is alpha [bold]right[/bold]?" in text  # literal text, not markup
    assert "once" in lines[1] and "1 hour ago" in lines[1]
    assert "beta" not in text


def test_no_missed_cards_is_a_friendly_line(deck: Path) -> None:
    for args in (("review",), ("review", "--list")):
        output = run(deck, *args)
        assert "No missed cards." in output
        assert "Traceback" not in output
    assert json.loads(run(deck, "review", "--list", "--json")) == []


def test_no_missed_cards_after_a_perfect_study(
    deck: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study_missing(deck, monkeypatch, set())
    output = run(deck, "review")
    assert "No missed cards." in output


# Drilling ------------------------------------------------------------------------------------


def test_a_drill_answered_wrong_then_right_empties_the_list(
    deck: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    study_missing(deck, monkeypatch, {"alpha", "gamma"})
    at(monkeypatch, T0 + timedelta(hours=1))
    output = run(deck, "review", "--seed", "3", input="No\nNo\nYes\nYes\n")
    assert "round 2" in output
    assert "Review done" in output
    assert "every missed card answered right" in output
    log = review_log(isolated)
    assert sorted(log[:2]) == [("alpha", False), ("gamma", False)]
    assert sorted(log[2:]) == [("alpha", True), ("gamma", True)]
    at(monkeypatch, T0 + timedelta(hours=2))
    assert listed(deck) == {}
    assert "No missed cards." in run(deck, "review", "--list")
    # The scheduler learnt from the drill: each card was missed twice in all.
    progress = Store.open(isolated).progress
    assert progress["drill/alpha"].state.lapses == 2
    assert progress["drill/alpha"].state.reps == 3


def test_a_card_missed_in_round_one_comes_back_in_round_two(
    deck: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    study_missing(deck, monkeypatch, {"alpha", "beta", "gamma"})
    at(monkeypatch, T0 + timedelta(hours=1))
    # Round 1: right, wrong, right. Round 2: the one card missed, answered right.
    output = run(deck, "review", "--seed", "5", input="Yes\nNo\nYes\nYes\n")
    assert "card 3 of 3 · round 1" in output
    assert "card 1 of 1 · round 2" in output
    assert "2 rounds" in output
    log = review_log(isolated)
    assert [right for _, right in log] == [True, False, True, True]
    assert log[3][0] == log[1][0]  # the card missed in round 1 is the one in round 2
    assert len({card for card, _ in log[:3]}) == 3  # round 1 showed each card once


def test_rounds_are_pure_and_repeat_only_the_misses() -> None:
    rng = random.Random(7)
    rounds = Rounds.start(["a", "b", "c", "a"], rng)
    assert sorted(rounds.left) == ["a", "b", "c"] and rounds.size == 3
    first = rounds.peek()
    assert first is not None and rounds.position == 1
    rounds = rounds.answered(first, False, rng)
    assert rounds.number == 1 and rounds.position == 2
    for _ in range(2):
        key = rounds.peek()
        assert key is not None
        rounds = rounds.answered(key, key == rounds.left[-1], rng)
    # Two cards were missed in round 1: they, and only they, make round 2.
    assert rounds.number == 2 and rounds.size == 2 and first in rounds.left
    assert not rounds.done
    while (key := rounds.peek()) is not None:
        rounds = rounds.answered(key, True, rng)
    assert rounds.done and rounds.remaining == ()


def test_a_new_round_does_not_start_with_the_card_just_missed() -> None:
    for seed in range(30):
        rng = random.Random(seed)
        rounds = Rounds.start(["a", "b"], rng)
        last = rounds.left[-1]
        rounds = rounds.answered(rounds.left[0], False, rng)
        rounds = rounds.answered(last, False, rng)
        assert rounds.number == 2 and rounds.left[0] != last


def test_end_of_input_ends_the_drill_and_keeps_the_answers(
    deck: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    study_missing(deck, monkeypatch, {"alpha", "beta", "gamma"})
    at(monkeypatch, T0 + timedelta(hours=1))
    output = run(deck, "review", "--seed", "2", input="Yes\n")  # one answer, then end of input
    assert "Review stopped" in output
    assert "every answer is saved" in output
    assert "still missed 2" in output
    [(answered, right)] = review_log(isolated)
    assert right is True
    at(monkeypatch, T0 + timedelta(hours=2))
    assert set(listed(deck)) == {"alpha", "beta", "gamma"} - {answered}
    # q ends it the same way
    output = run(deck, "review", input="q\n")
    assert "Review stopped" in output and "still missed 2" in output


def test_ctrl_c_keeps_the_answers_and_exits_130(
    deck: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    study_missing(deck, monkeypatch, {"alpha", "beta"})
    at(monkeypatch, T0 + timedelta(hours=1))
    replies = iter(["Yes"])

    def read_line(self: ReviewTerminal) -> str | None:
        for reply in replies:
            return reply
        raise KeyboardInterrupt

    monkeypatch.setattr(ReviewTerminal, "read_line", read_line)
    result = runner.invoke(app, ["review", str(deck)])
    assert result.exit_code == 130, result.output
    assert "Review stopped" in result.output
    assert len(review_log(isolated)) == 1
    # The snapshot was saved on the way out: it covers the whole log, the drill's answer too.
    snapshot = json.loads(unsealed((isolated / "snapshot-test.json").read_bytes()) or b"")
    log = isolated / "reviews-test.jsonl"
    assert snapshot["logs"][log.name]["offset"] == log.stat().st_size


class Keys(io.StringIO):
    """Typed lines, then Ctrl-C."""

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


def test_run_review_reraises_ctrl_c_after_showing_the_summary(
    deck: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    study_missing(deck, monkeypatch, {"beta"})
    at(monkeypatch, T0 + timedelta(hours=1))
    screen = io.StringIO()
    terminal = ReviewTerminal(out=console(screen), stdin=Keys("No\n"))
    with pytest.raises(KeyboardInterrupt):
        run_review(Where(), [str(deck)], terminal, seed=1)
    assert "Review stopped" in screen.getvalue()
    assert "still missed: beta" in screen.getvalue()
    assert review_log(isolated) == [("beta", False)]


# --since -------------------------------------------------------------------------------------


def miss_at(progress: Path, card: str, moment: datetime) -> None:
    store = Store.open(progress)
    previous = store.progress.get(f"drill/{card}")
    shown = Card("drill", card, CardType.CHOICE, "?", ("Yes",), ("Yes", "No"))
    answer = Answer(shown, False, Rating.AGAIN, ("No",), 1000)
    record(store, Scheduler(), answer, previous.state if previous else None, moment, "study")


def test_since_keeps_only_cards_missed_within_that_time(
    deck: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    now = T0 + timedelta(days=30)
    miss_at(isolated, "alpha", now - timedelta(days=20))
    miss_at(isolated, "beta", now - timedelta(days=3))
    miss_at(isolated, "gamma", now - timedelta(hours=2))
    at(monkeypatch, now)
    assert set(listed(deck)) == {"alpha", "beta", "gamma"}
    assert set(listed(deck, "--since", "2w")) == {"beta", "gamma"}
    assert set(listed(deck, "--since", "7d")) == {"beta", "gamma"}
    assert set(listed(deck, "--since", "12h")) == {"gamma"}
    assert set(listed(deck, "--since", "30m")) == set()
    assert "No missed cards in the last 30 minutes." in run(deck, "review", "--since", "30m")
    # The drill honours it too: only gamma is asked.
    output = run(deck, "review", "--since", "12h", input="Yes\n")
    assert "Is gamma right?" in output and "Is beta right?" not in output
    assert "Review done" in output


@pytest.mark.parametrize(
    ("text", "length"),
    [("30m", timedelta(minutes=30)), ("12h", timedelta(hours=12)), ("7d", timedelta(days=7)),
     ("2w", timedelta(weeks=2)), (" 3D ", timedelta(days=3)), (None, None)],
)
def test_parse_since(text: str | None, length: timedelta | None) -> None:
    assert parse_since(text) == length


@pytest.mark.parametrize("text", ["7x", "d", "7", "-1d", "0d", "1.5h", "7 days", ""])
def test_a_bad_since_is_a_usage_error(text: str, deck: Path) -> None:
    with pytest.raises(AwsquizError) as caught:
        parse_since(text)
    assert caught.value.exit_code == EXIT_USAGE
    result = runner.invoke(app, ["review", "--since", text, str(deck)])
    assert result.exit_code == 2, result.output
    assert f"--since {text!r} is not a length of time" in result.output
    assert "30m" in result.output and "Traceback" not in result.output


def test_missed_cards_is_pure() -> None:
    def progress(right: bool, time: datetime) -> CardProgress:
        stamp = time.isoformat()
        state = CardState(1, 0, 1.0, 5.0, stamp, stamp, 1, int(not right))
        rating = Rating.GOOD if right else Rating.AGAIN
        return CardProgress(state, "id", stamp, rating, right, None, stamp)

    cards = [Card("d", name, CardType.BASIC, "?", ("x",)) for name in "abcd"]
    known = {
        "d/a": progress(False, T0 - timedelta(days=2)),
        "d/b": progress(True, T0),
        "d/c": progress(False, T0 - timedelta(minutes=5)),
    }
    assert [c.id for c in missed_cards(cards, known, T0)] == ["a", "c"]
    assert [c.id for c in missed_cards(cards, known, T0, timedelta(days=1))] == ["c"]


# Leeches -------------------------------------------------------------------------------------


def test_a_card_missed_eight_times_is_a_leech(
    deck: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    study_missing(deck, monkeypatch, {"beta"})  # missed once
    # Kept in sessions once it is a leech (by default it would be suspended: test_suspend.py).
    (isolated / "config.json").write_text('{"leech_action": "tag"}')
    at(monkeypatch, T0 + timedelta(hours=1))
    # A drill of one card: each wrong answer starts another round with it.
    run(deck, "review", input="No\n" * (LEECH_LAPSES - 2))
    rows = listed(deck)
    assert rows["beta"]["lapses"] == LEECH_LAPSES - 1
    assert rows["beta"]["leech"] is False
    assert "leech" not in run(deck, "review", "--list").splitlines()[1]

    at(monkeypatch, T0 + timedelta(hours=2))
    run(deck, "review", input="No\n")
    rows = listed(deck)
    assert rows["beta"]["lapses"] == LEECH_LAPSES
    assert rows["beta"]["times_missed"] == LEECH_LAPSES
    assert rows["beta"]["leech"] is True
    [line] = run(deck, "review", "--list").splitlines()[1:]
    assert line.split()[1] == "beta"
    assert line.rstrip().endswith("leech") and "8 times" in line

    output = run(deck, "review", input="q\n")
    assert "round 1 · leech" in output
    assert f"leeches (missed {LEECH_LAPSES}+ times): beta" in output


def test_is_leech_counts_every_again_rating() -> None:
    def with_lapses(lapses: int) -> CardProgress:
        state = CardState(3, 0, 1.0, 9.0, "2026-11-28T09:00:00+00:00", None, 20, lapses)
        return CardProgress(state, "id", "2026-11-28T09:00:00+00:00", Rating.AGAIN, False,
                            None, "2026-11-01T09:00:00+00:00")

    assert not is_leech(with_lapses(LEECH_LAPSES - 1))
    assert is_leech(with_lapses(LEECH_LAPSES))
    assert is_leech(with_lapses(LEECH_LAPSES + 3))
