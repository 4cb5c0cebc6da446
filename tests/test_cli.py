"""The listing commands through Typer's runner: decks, cards, check, and error exits."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from conftest import BAD, DECKS

runner = CliRunner()


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_decks_lists_bundled_and_added_decks() -> None:
    result = run("decks", "--decks", str(DECKS))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["deck", "title", "cards"]
    sample = next(line for line in lines if line.startswith("sample "))
    assert sample.split()[-7:] == ["5", "5", "0", "0", "0", "0", "never"]
    assert any(line.startswith("shared-responsibility ") for line in lines)


def test_decks_json_has_progress_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWSQUIZ_DECKS", str(DECKS))
    result = run("decks", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert rows["sample"] == {
        "id": "sample", "title": "Sample deck", "cards": 5, "new": 5, "learning": 0,
        "due": 0, "mastered": 0, "last_studied": None, "path": str(DECKS / "sample.yaml"),
        "missed": 0,
        "suspended": 0,
    }


def test_cards_json_gives_every_field() -> None:
    result = run("cards", str(DECKS / "sample.yaml"), "--json")
    assert result.exit_code == 0, result.output
    cards = json.loads(result.output)
    assert [c["id"] for c in cards][:3] == ["of-vs-in", "patching-control-type", "sse-options"]
    for field in ("deck", "id", "type", "question", "choices", "answer", "explanation",
                  "source", "tags", "accept", "why", "verified"):
        assert all(field in card for card in cards), field
    assert cards[2]["answer"] == ["SSE-S3", "SSE-KMS"]


def test_cards_filters_by_deck_id_and_tag() -> None:
    result = run("cards", "sample", "--tag", "basics", "--decks", str(DECKS), "--json")
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.output)] == ["of-vs-in"]


def test_unknown_deck_suggests_the_closest() -> None:
    result = run("cards", "sampel", "--decks", str(DECKS))
    assert result.exit_code == 1
    assert "no deck 'sampel'" in result.output
    assert "did you mean 'sample'?" in result.output


def test_check_clean_deck_exits_0() -> None:
    result = run("check", str(DECKS))
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_check_bad_deck_lists_every_problem_and_exits_1() -> None:
    result = run("check", str(BAD))
    assert result.exit_code == 1
    assert "9 errors" in result.output
    assert "many-problems.yaml:12:13: card 'not-a-choice': answer 'SSE-C'" in result.output
    assert "Traceback" not in result.output


def test_a_broken_deck_is_left_out_with_a_pointer_to_check(tmp_path: Path) -> None:
    # A broken deck of the learner's no longer blocks the others (it used to stop `decks`).
    (tmp_path / "broken.yaml").write_text("cards:\n  - question: q\n", encoding="utf-8")
    result = run("decks", "--decks", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "awsquiz check" in result.output
    assert "broken.yaml:2:5: card 'q': missing 'answer'" in result.output
    named = run("cards", "broken", "--decks", str(tmp_path))
    assert named.exit_code == 1
    assert "broken.yaml:2:5: card 'q': missing 'answer'" in named.output


def test_duplicate_deck_ids_across_folders(tmp_path: Path) -> None:
    (tmp_path / "again.yaml").write_text(
        "deck: sample\ncards:\n  - {id: a, question: q, answer: a}\n", encoding="utf-8"
    )
    result = run("check", str(DECKS), str(tmp_path))
    assert result.exit_code == 1
    assert "deck id 'sample' is already used by" in result.output


def test_missing_decks_folder_is_an_error() -> None:
    result = run("decks", "--decks", "/no/such/folder")
    assert result.exit_code == 1
    assert "--decks /no/such/folder: no such folder" in result.output


def test_card_text_is_never_markup_or_escape_codes(tmp_path: Path) -> None:
    deck = tmp_path / "hostile.yaml"
    deck.write_text(
        'cards:\n  - id: h\n    question: "[red]x[/red] \\e]52;c;ZWNobw==\\a"\n    answer: a\n',
        encoding="utf-8",
    )
    result = run("cards", str(deck))
    assert result.exit_code == 0, result.output
    assert "[red]x[/red]" in result.output
    assert "\x1b" not in result.output and "\a" not in result.output
    assert "\\x1b]52;c;ZWNobw==\\x07" in result.output


def test_bare_command_shows_what_to_do_next() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert "awsquiz study" in result.output and "due now" in result.output


@pytest.mark.parametrize("command", ["decks", "cards", "check", "study"])
def test_help_explains_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.output and f"awsquiz {command}" in result.output


def test_bad_clock_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWSQUIZ_NOW", "tomorrow")
    result = run("decks")
    assert result.exit_code == 2
    assert "AWSQUIZ_NOW='tomorrow' is not an ISO 8601 time" in result.output


@pytest.mark.parametrize(
    ("argv", "code", "expected"),
    [
        (["decks", "--json"], 0, '"id": "sample"'),
        (["progress", "path", "--log"], 0, "reviews-test.jsonl"),
        (["stdy"], 2, "No such command 'stdy'. Did you mean 'study'?"),
        ([], 0, "awsquiz study"),
    ],
    ids=["a command", "a group's command", "a misspelt command", "no command"],
)
def test_the_console_script_builds_only_the_command_it_runs(
    argv: list[str], code: int, expected: str, monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from awsquiz.cli import main

    monkeypatch.setenv("AWSQUIZ_DECKS", str(DECKS))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr("sys.argv", ["awsquiz", *argv])
    commands = list(app.registered_commands)
    with pytest.raises(SystemExit) as exit_:
        try:
            main()
        finally:
            gc.enable()  # main() pauses the collector for the rest of the process
    out, err = capfd.readouterr()
    assert exit_.value.code == code, out + err
    assert expected in " ".join((out + err).replace("│", " ").split())
    assert app.registered_commands == commands  # the app itself is left whole


def test_only_the_named_command_is_built() -> None:
    from awsquiz.cli.startup import only

    assert [info.name for info in only(app, "study").registered_commands] == ["study"]
    assert [info.name for info in only(app, "progress").registered_groups] == ["progress"]
    assert only(app, "progress").registered_commands == []
    assert only(app, "stdy") is app


def test_the_console_script_ends_with_every_line_written_and_the_right_code(
    isolated: Path,
) -> None:
    """`python -m awsquiz` (as the console script) ends the process as soon as a command is
    done, without the interpreter's teardown: its whole output still comes through a pipe,
    and each outcome keeps its exit code and message."""
    import os
    import subprocess
    import sys

    src = Path(__file__).resolve().parent.parent / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "AWSQUIZ_DECKS": str(DECKS)}

    def awsquiz(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "awsquiz", *args], capture_output=True,
                              text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)

    listed = awsquiz("cards", "sample", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {card["id"] for card in json.loads(listed.stdout)}  # every byte, then the end
    missing = awsquiz("stats", "no-such-deck")
    assert missing.returncode == 1
    assert "error: no deck 'no-such-deck'" in missing.stderr
    usage = awsquiz("stats", "--no-such-option")
    assert usage.returncode == 2
    assert "No such option" in usage.stderr
