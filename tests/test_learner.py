"""Learning that fits the learner: calendar days with a day start, in the learner's zone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from conftest import DECKS

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")


def _recall(monkeypatch: pytest.MonkeyPatch, now: str) -> float:
    monkeypatch.setenv("AWSQUIZ_NOW", now)
    result = runner.invoke(app, ["stats", "--json", SAMPLE])
    assert result.exit_code == 0, result.output
    recall = json.loads(result.stdout)["total"]["recall"]
    assert isinstance(recall, float)
    return recall


def test_a_card_studied_last_evening_is_below_100_percent_this_morning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWSQUIZ_NOW", "2026-11-27T21:00:00-07:00")
    result = runner.invoke(app, ["study", SAMPLE, "--limit", "1"], input="AWS\nq\n")
    assert result.exit_code == 0, result.output
    # Six hours later it is still the same day (it starts at 4 AM): nothing forgotten yet.
    assert _recall(monkeypatch, "2026-11-28T03:00:00-07:00") == 1.0
    # Eleven hours later it is the next day: the card is a day old.
    assert _recall(monkeypatch, "2026-11-28T08:00:00-07:00") < 1.0


def test_the_day_start_is_the_learners_setting(
    monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    monkeypatch.setenv("AWSQUIZ_NOW", "2026-11-27T21:00:00-07:00")
    result = runner.invoke(app, ["study", SAMPLE, "--limit", "1"], input="AWS\nq\n")
    assert result.exit_code == 0, result.output
    config = json.loads((isolated / "config.json").read_text()) if (
        isolated / "config.json"
    ).exists() else {}
    (isolated / "config.json").write_text(json.dumps({**config, "day_start": 2}))
    assert _recall(monkeypatch, "2026-11-28T03:00:00-07:00") < 1.0
