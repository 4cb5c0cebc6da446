"""The first week at the command line: the version, one error style, scriptable paths, the
next step, 60 columns, broken decks, backups that keep exams, tags and plurals."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz import __version__
from awsquiz.cli import app
from awsquiz.model import Glance
from awsquiz.session.overview import DeckSummary, plan_today
from conftest import DECKS, NOW

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")
FIXTURE = str(DECKS / "exam-fixture.yaml")


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, prog_name="awsquiz")


# 11. The command line --------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.output == f"awsquiz {__version__}\n"


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["study", "--nope"], "error: No such option: --nope", "see: awsquiz study --help"),
        (["study", "--new", "-1"], "error: Invalid value for '--new'", "see: awsquiz study --help"),
        (["stdy"], "error: No such command 'stdy'", "see: awsquiz --help"),
    ],
)
def test_usage_errors_read_like_every_other_error(args: list[str], message: str, hint: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.startswith(message), result.output
    assert hint in result.output
    assert "╭" not in result.output and "Usage:" not in result.output


def test_progress_path_prints_only_the_path(isolated: Path) -> None:
    result = run("progress", "path")
    assert result.exit_code == 0, result.output
    assert result.output == f"{isolated}\n"
    log = run("progress", "path", "--log")
    assert log.output == f"{isolated / 'reviews-test.jsonl'}\n"


def test_a_retention_change_says_so_and_stats_shows_the_retention_in_use() -> None:
    changed = run("study", SAMPLE, "--retention", "0.85", input="q\n")
    assert changed.exit_code == 0, changed.output
    assert "desired retention now 0.85 (was 0.90), kept for next time" in changed.output
    again = run("study", SAMPLE, "--retention", "0.85", input="q\n")
    assert "desired retention now" not in again.output
    stats = run("stats", SAMPLE)
    assert "desired retention 0.85" in stats.output
    assert json.loads(run("stats", SAMPLE, "--json").output)["desired_retention"] == 0.85


def test_a_tab_in_yaml_says_tabs_cannot_indent_it(tmp_path: Path) -> None:
    deck = tmp_path / "tabs.yaml"
    deck.write_text("deck: tabs\ncards:\n\t- id: a\n\t  question: Q\n\t  answer: A\n")
    result = run("check", str(deck))
    assert result.exit_code == 1
    assert f"{deck}:3:1: YAML syntax error: a tab indents this line; tabs cannot indent YAML" \
        in result.output


# 12. The next step -----------------------------------------------------------------------------


def test_a_first_run_recommends_study_and_estimates_the_time() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert "next  awsquiz study" in result.output and "10 new cards" in result.output
    assert "Today: about 8 minutes." in result.output


def test_missed_cards_are_recommended_for_review(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWSQUIZ_DECKS", str(DECKS))
    run("study", SAMPLE, "--seed", "3", "--limit", "2", input="aws\nInherited\nq\n")
    result = run()
    assert "then  awsquiz review" in result.output
    assert "1 card last answered wrong" in result.output


def test_nothing_today_says_so_and_how_to_get_more(isolated: Path) -> None:
    isolated.mkdir()
    (isolated / "config.json").write_text('{"new_per_day": 0}')
    result = run()
    assert result.exit_code == 0, result.output
    assert "Nothing to do today." in result.output
    assert "awsquiz study --new 5" in result.output and "awsquiz study --all" in result.output


def test_an_exam_is_recommended_once_most_cards_are_started() -> None:
    from datetime import datetime

    now = datetime.fromisoformat(NOW)
    row = DeckSummary("d", "D", 4, 1, 0, 0, 3, None, "d.yaml")
    later = "2026-12-01T09:00:00+00:00"
    seen = {f"d/c{i}": Glance(2, later, 5.0, NOW, NOW, "2026-11-20T09:00:00+00:00")
            for i in range(3)}
    today = plan_today([row], seen, now, new_per_day=0, last_exam=None)
    assert [command for command, _ in today.steps] == ["awsquiz exam"]
    recent = plan_today([row], seen, now, new_per_day=0, last_exam="2026-11-27T09:00:00+00:00")
    assert recent.steps == [] and recent.next_due == later


# 13. Sixty columns -----------------------------------------------------------------------------


class Screen(io.StringIO):
    """A terminal's output, 60 columns wide."""

    def isatty(self) -> bool:
        return True

    def text(self) -> str:
        return re.sub(r"\x1b\[[0-9;]*m", "", self.getvalue())  # styles are not columns


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    run("study", "--limit", "3", input="\n1\n1\n1 2\n1\n1\n1 2\n" * 3 + "q\n")


def test_decks_at_60_columns_keep_every_number_whole(narrow: None) -> None:
    from awsquiz.services.listing import list_decks
    from awsquiz.services.where import Where
    from awsquiz.system import paths
    from awsquiz.ui.tables import show_decks

    screen = Screen()
    rows = list_decks(Where(), paths.now())
    show_decks(rows, paths.now(), screen)
    lines = screen.text().splitlines()
    assert "…" not in screen.text()
    assert all(len(line) <= 60 for line in lines)
    for row in rows:
        line = next(line for line in lines if line.startswith(row.id + " "))
        assert line.split()[1:5] == [str(row.cards), str(row.new), str(row.learning),
                                     str(row.due)]


def test_stats_at_60_columns_keep_every_number_whole(narrow: None) -> None:
    from awsquiz.services.stats import gather
    from awsquiz.services.where import Where
    from awsquiz.system import paths
    from awsquiz.ui import console
    from awsquiz.ui.stats import show_stats

    screen = Screen()
    report = gather(Where(), [], paths.now())
    show_stats(report, console(screen))
    text = screen.text()
    assert "…" not in text
    assert all(len(line) <= 60 for line in text.splitlines())
    assert "left out at this width:" in text
    for deck in report.decks:
        line = next(line for line in text.splitlines() if line.startswith(deck.id + " "))
        assert line.split()[1:3] == [str(deck.cards), str(deck.new)]


# 14. A broken deck -----------------------------------------------------------------------------


def test_one_broken_deck_does_not_block_the_rest(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("deck: broken\ncards:\n\t- id: a\n")
    (tmp_path / "fine.yaml").write_text("deck: fine\ncards:\n  - {id: a, question: Q, answer: A}\n")
    study = run("study", "--decks", str(tmp_path), "fine", input="A\nq\n")
    assert study.exit_code == 0, study.output
    assert study.output.count("warning:") == 1 and "broken.yaml:3:1" in study.output
    assert "fine · card 1 of" in study.output
    for args in (["study", "broken"], ["study", str(tmp_path / "broken.yaml")], ["check"]):
        failed = run(*args, "--decks", str(tmp_path), input="q\n")
        assert failed.exit_code == 1, (args, failed.output)
        assert "broken.yaml:3:1" in failed.output


# 15. Backups keep the exams --------------------------------------------------------------------


def test_export_and_import_keep_the_exam_history(tmp_path: Path) -> None:
    sat = run("exam", FIXTURE, "--questions", "2", "--seed", "1", input="1\n1 2\n1\n1 2\n")
    assert sat.exit_code == 0, sat.output
    backup = tmp_path / "backup.jsonl"
    exported = run("progress", "export", str(backup))
    assert exported.exit_code == 0, exported.output
    assert "and 1 exam result" in exported.output
    other = tmp_path / "elsewhere"
    imported = run("progress", "import", str(backup), "--progress", str(other))
    assert imported.exit_code == 0, imported.output
    assert "imported 2 new reviews and 1 exam result" in imported.output
    again = run("progress", "import", str(backup), "--progress", str(other))
    assert "imported 0 new reviews from" in again.output  # nothing twice
    stats = json.loads(run("stats", FIXTURE, "--json", "--progress", str(other)).output)
    assert len(stats["exams"]) == 1


# 16-17. Tags and plurals -----------------------------------------------------------------------


def test_tags_match_whatever_their_case() -> None:
    result = run("cards", SAMPLE, "--tag", "BASICS", "--json")
    assert result.exit_code == 0, result.output
    assert [card["id"] for card in json.loads(result.output)] == ["of-vs-in"]


def test_one_deck_one_card_reads_right(tmp_path: Path) -> None:
    deck = tmp_path / "one.yaml"
    deck.write_text("deck: one\ncards:\n  - {id: a, question: Q, answer: A}\n")
    result = run("check", str(deck))
    assert "checked 1 file: 1 deck, 1 card, 0 errors, 2 warnings" in result.output
