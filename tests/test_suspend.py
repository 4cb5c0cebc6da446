"""Suspension and leeches: a suspended card is never shown until it is unsuspended, the mark
survives merge and export/import, and a card missed 8 times suspends itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.model.state import LEECH_LAPSES
from awsquiz.store.store import Store
from conftest import DECKS, RIGHT

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")
CHOICE = "sample/patching-control-type"
ALL_RIGHT = "\n".join(RIGHT.values()) + "\n"


def run(*args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output


def shown(output: str) -> list[str]:
    """The questions a session showed, by their panel titles."""
    return [line for line in output.splitlines() if line.startswith("╭─ ")]


def decks_row(deck: str = "sample") -> dict[str, object]:
    rows = json.loads(run("decks", "--json", "--decks", str(DECKS)))
    return next(row for row in rows if row["id"] == deck)  # type: ignore[no-any-return]


def test_a_suspended_card_never_appears_until_unsuspended(isolated: Path) -> None:
    output = run("suspend", CHOICE, "--decks", str(DECKS))
    assert f"suspended 1 card: {CHOICE}" in output
    assert decks_row()["suspended"] == 1 and decks_row()["new"] == 4
    study = run("study", SAMPLE, "--all", input=ALL_RIGHT * 4)
    assert "Patch management" not in study and "Which party" in study
    exam = run("exam", SAMPLE, "--questions", "10", "--seed", "1", input="1\n" * 10)
    assert "Patch management" not in exam
    listed = json.loads(run("cards", "--suspended", "--json", "--decks", str(DECKS)))
    assert [card["id"] for card in listed] == ["patching-control-type"]
    assert "already suspended" in run("suspend", CHOICE, "--decks", str(DECKS))

    assert "unsuspended 1 card" in run("unsuspend", CHOICE, "--decks", str(DECKS))
    assert decks_row()["suspended"] == 0
    assert "Patch management" in run("study", SAMPLE, input="Shared\n")
    assert json.loads(run("cards", "--suspended", "--json", "--decks", str(DECKS))) == []


def test_s_at_a_prompt_suspends_the_card_shown(isolated: Path) -> None:
    output = run("study", SAMPLE, input="AWS\ns\n" + ALL_RIGHT * 3)
    flat = " ".join(output.split())
    assert f"suspended {CHOICE}" in flat and f"awsquiz unsuspend {CHOICE}" in flat
    assert shown(output).count(next(t for t in shown(output) if "Patch" in t)) == 1
    assert CHOICE in Store.open(isolated).marks.suspended
    assert "Patch management" not in run("study", SAMPLE, "--all", input=ALL_RIGHT * 4)


def test_a_suspended_missed_card_is_not_drilled(isolated: Path) -> None:
    run("study", SAMPLE, input="AWS\nInherited\n")
    assert "patching-control-type" in run("review", SAMPLE, "--list")
    run("suspend", CHOICE, "--decks", str(DECKS))
    assert "patching-control-type" not in run("review", SAMPLE, "--list")


def test_a_whole_deck_and_a_tag(isolated: Path) -> None:
    assert "suspended 5 cards" in run("suspend", "sample/*", "--decks", str(DECKS))
    assert "Nothing" in run("study", SAMPLE, input="")
    assert "unsuspended 1 card: sample/of-vs-in" in run(
        "unsuspend", "--tag", "BASICS", "--decks", str(DECKS)
    )
    assert decks_row()["suspended"] == 4


def test_unknown_cards_are_all_named_and_nothing_is_written(isolated: Path) -> None:
    output = run("suspend", "sample/nope", CHOICE, "other/x", "--decks", str(DECKS), code=1)
    assert "no such card: sample/nope, other/x" in output
    assert not (isolated / "reviews-test.jsonl").exists()


def test_suspension_survives_merge_and_export_import(isolated: Path, tmp_path: Path) -> None:
    run("suspend", CHOICE, "--decks", str(DECKS))
    backup = tmp_path / "backup.jsonl"
    run("progress", "export", str(backup))
    laptop = tmp_path / "laptop"
    run("progress", "import", str(backup), "--progress", str(laptop))
    assert CHOICE in Store.open(laptop).marks.suspended
    # Unsuspended on the laptop later: merged back, the newer mark wins.
    run("unsuspend", CHOICE, "--decks", str(DECKS), "--progress", str(laptop))
    merged = run("progress", "merge", str(laptop))
    assert "merged 1 new review" in merged
    assert CHOICE not in Store.open(isolated).marks.suspended
    assert decks_row()["suspended"] == 0
    # A rebuild from the logs alone agrees.
    for snapshot in isolated.glob("snapshot-*"):
        snapshot.unlink()
    assert Store.open(isolated).marks.suspended == frozenset()


def lapse_history(progress: Path, lapses: int) -> None:
    """A review log in which the choice card is in review with `lapses` lapses, due now."""
    progress.mkdir(parents=True, exist_ok=True)
    record = {
        "v": 1, "id": "a" * 24, "deck": "sample", "card": "patching-control-type",
        "time": "2026-11-20T09:00:00+00:00", "rating": 3, "right": True, "picked": ["Shared"],
        "ms": 900, "kind": "study",
        "state": {"state": 2, "step": None, "stability": 3.0, "difficulty": 8.0,
                  "due": "2026-11-27T09:00:00+00:00", "last_review": "2026-11-20T09:00:00+00:00",
                  "reps": 20, "lapses": lapses},
    }
    (progress / "reviews-test.jsonl").write_text(json.dumps(record) + "\n")


def test_a_card_that_becomes_a_leech_is_suspended_and_the_session_says_so(
    isolated: Path,
) -> None:
    lapse_history(isolated, LEECH_LAPSES - 1)
    output = run("study", SAMPLE, "--new", "0", input="Inherited\n")
    flat = " ".join(output.split())
    assert f"{CHOICE} is a leech: missed {LEECH_LAPSES} times, so it is suspended" in flat
    assert f"awsquiz unsuspend {CHOICE}" in flat
    assert "read its source: https://aws.amazon.com/compliance/shared-responsibility-model/" in flat
    assert CHOICE in Store.open(isolated).marks.suspended
    assert decks_row()["suspended"] == 1


def test_undoing_the_answer_that_made_a_leech_unsuspends_it(isolated: Path) -> None:
    lapse_history(isolated, LEECH_LAPSES - 1)
    before = Store.open(isolated).progress
    # In the session (a new card comes next, so the session goes on) ...
    output = run("study", SAMPLE, "--new", "1", input="Inherited\nu\nq\n")
    assert "undone: your answer to sample/patching-control-type" in " ".join(output.split())
    store = Store.open(isolated)
    assert CHOICE not in store.marks.suspended
    assert store.progress == before
    # ... and with `awsquiz undo` after the session ended.
    run("study", SAMPLE, "--new", "0", input="Inherited\n")
    assert CHOICE in Store.open(isolated).marks.suspended
    assert "sample/patching-control-type" in run("undo")
    store = Store.open(isolated)
    assert CHOICE not in store.marks.suspended
    assert store.progress == before


def test_leech_action_tag_keeps_the_leech_in_sessions(isolated: Path) -> None:
    lapse_history(isolated, LEECH_LAPSES - 1)
    (isolated / "config.json").write_text(json.dumps({"leech_action": "tag"}))
    output = run("study", SAMPLE, "--new", "0", input="Inherited\n")
    assert "is a leech" in output and "so it is suspended" not in output
    assert Store.open(isolated).marks.suspended == frozenset()
    row = json.loads(run("review", SAMPLE, "--list", "--json"))[0]
    assert row["leech"] is True


@pytest.mark.parametrize("value", ["delete", 3, None])
def test_an_unknown_leech_action_means_suspend(isolated: Path, value: object) -> None:
    from awsquiz.store import config

    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.json").write_text(json.dumps({"retention": 0.85, "leech_action": value}))
    loaded = config.load(isolated)
    assert loaded.leech_action == "suspend" and loaded.retention == 0.85


def test_marks_are_refused_by_a_reader_of_version_1(isolated: Path) -> None:
    """What an older awsquiz sees: a record of a newer format version, not a damaged answer."""
    from awsquiz.store.records import check_record

    run("suspend", CHOICE, "--decks", str(DECKS))
    [line] = (isolated / "reviews-test.jsonl").read_text().splitlines()
    mark = json.loads(line)
    assert mark["v"] == 2 and mark["kind"] == "suspend"
    assert check_record(mark) is None
    assert check_record({**mark, "v": 1}) is not None  # a mark needs version 2


def test_a_damaged_undo_is_named(isolated: Path) -> None:
    from awsquiz.store.records import check_record

    base = {"v": 2, "kind": "undo", "id": "u1", "deck": "d", "card": "c",
            "time": datetime(2026, 11, 28, tzinfo=UTC).isoformat()}
    assert "undoes" in (check_record({**base, "restores": None}) or "")
    assert "restores" in (check_record({**base, "undoes": "r1"}) or "")
    assert check_record({**base, "undoes": "r1", "restores": None}) is None
    bad_state = {"last_id": "r0", "last_time": base["time"], "first_time": base["time"],
                 "last_rating": 3, "last_right": True, "last_picked": None,
                 "state": {"state": "two"}}
    assert "restores.state" in (
        check_record({**base, "undoes": "r1", "restores": bad_state}) or ""
    )

