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


# Personal parameters and calibration, on the real history ------------------------------------

PACIFIC_MORNING = "2024-10-07T09:00:00-07:00"  # the morning after the history's last review


def _json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_optimize_adopts_parameters_that_beat_the_defaults_on_the_newest_reviews(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, tmp_path: Path
) -> None:
    from history import CSV_PATH, card_ids, history_reviews, write_deck

    monkeypatch.setenv("AWSQUIZ_NOW", PACIFIC_MORNING)  # the learner at UTC-7
    imported = runner.invoke(app, ["progress", "import", str(CSV_PATH), "--deck", "history"])
    assert imported.exit_code == 0, imported.output
    write_deck(tmp_path, card_ids(history_reviews()))
    before = _json("stats", "--decks", str(tmp_path))
    assert before["parameters"] == "default" and before["day_start"] == 4

    report = _json("optimize")
    assert report["reviews"] == 6372  # reviews a calendar day or more after the previous one
    defaults, fitted = report["defaults"], report["fitted"]
    assert isinstance(defaults, dict) and isinstance(fitted, dict)
    assert fitted["log_loss"] < defaults["log_loss"]
    assert fitted["rmse_bins"] < defaults["rmse_bins"]
    assert report["adopted"] is True
    parameters = report["parameters"]
    assert isinstance(parameters, list) and len(parameters) == 21
    saved = json.loads((isolated / "config.json").read_text())
    assert [round(p, 4) for p in saved["parameters"]] == parameters
    retention = report["retention"]
    assert isinstance(retention, dict) and retention["current"] == 0.9 == saved["retention"]
    assert 0.7 <= retention["recommended"] <= 0.99

    after = _json("stats", "--decks", str(tmp_path))
    assert after["parameters"] == "personal"
    calibration = after["calibration"]
    assert isinstance(calibration, list) and calibration
    assert sum(line["reviews"] for line in calibration) == 6372
    for line in calibration:
        assert 0 <= line["predicted"] <= 1 and 0 <= line["actual"] <= 1
    # The fitted curve is close to what happened where most reviews are.
    busiest = max(calibration, key=lambda line: line["reviews"])
    assert abs(busiest["predicted"] - busiest["actual"]) < 0.1
    shown = runner.invoke(app, ["stats", "--decks", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "parameters personal" in shown.output and "a day starts at 4:00" in shown.output

    kept = runner.invoke(app, ["optimize", "--retention"])
    assert kept.exit_code == 0, kept.output
    assert "now yours" in kept.output
    assert json.loads((isolated / "config.json").read_text())["retention"] == (
        retention["recommended"]
    )


def test_optimize_with_a_short_history_says_how_many_more_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, tmp_path: Path
) -> None:
    from history import CSV_PATH

    monkeypatch.setenv("AWSQUIZ_NOW", PACIFIC_MORNING)
    short = tmp_path / "short.csv"
    short.write_text("\n".join(CSV_PATH.read_text().splitlines()[:1501]) + "\n")
    imported = runner.invoke(app, ["progress", "import", str(short), "--deck", "history"])
    assert imported.exit_code == 0, imported.output
    config = (isolated / "config.json").read_bytes() if (isolated / "config.json").exists() else b""
    report = _json("optimize")
    assert isinstance(report["reviews"], int) and report["reviews"] < 1000
    assert report["needed"] == 1000 - report["reviews"]
    assert report["adopted"] is False and report["fitted"] is None
    shown = runner.invoke(app, ["optimize"])
    assert shown.exit_code == 0, shown.output
    assert f"about {report['needed']:,} more" in shown.output
    after = (isolated / "config.json").read_bytes() if (isolated / "config.json").exists() else b""
    assert after == config


def test_calendar_days_predict_the_real_history_better_than_24_hour_periods() -> None:
    """The default parameters on the same scored reviews (24 hours or more after the card's
    previous one), the elapsed days counted both ways, the learner at UTC-7."""
    from datetime import datetime, timedelta, timezone

    import fsrs_rs_python

    from awsquiz.model import Answered
    from awsquiz.scheduling import fitting
    from awsquiz.scheduling.days import LearnerDays
    from history import history_reviews

    history = [
        Answered(r.time, r.id, r.deck, r.key, int(r.rating), r.right, None, r.ms, r.state.state)
        for r in history_reviews()
    ]
    cards = fitting.card_steps(history, LearnerDays(4, timezone(timedelta(hours=-7))))
    calendar, hours = [], []
    for steps in cards.values():
        times = [datetime.fromisoformat(step.time) for step in steps]
        by_day = [0] + [steps[i].day - steps[i - 1].day for i in range(1, len(steps))]
        by_24h = [0] + [(times[i] - times[i - 1]).days for i in range(1, len(steps))]
        for end in range(1, len(steps)):
            if by_24h[end] < 1:
                continue
            for items, elapsed in ((calendar, by_day), (hours, by_24h)):
                items.append(fsrs_rs_python.FSRSItem([
                    fsrs_rs_python.FSRSReview(steps[i].rating, elapsed[i]) for i in range(end + 1)
                ]))
    assert len(calendar) == 5329
    defaults = fitting.default_parameters()
    by_days, by_hours = fitting.score(defaults, calendar), fitting.score(defaults, hours)
    assert by_days.log_loss < by_hours.log_loss
    assert by_days.rmse_bins < by_hours.rmse_bins


def test_back_in_n_days_counts_the_learners_days(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    monkeypatch.setenv("AWSQUIZ_NOW", "2026-11-27T21:00:00-07:00")
    # A typed card, not known, rated Easy: it leaves the learning steps for days.
    result = runner.invoke(app, ["study", SAMPLE, "--limit", "1"], input="no idea\n4\nq\n")
    assert result.exit_code == 0, result.output
    from awsquiz.store.store import Store
    from awsquiz.system.paths import progress_dir

    state = next(iter(Store.open(progress_dir()).progress.values())).state
    due = datetime.fromisoformat(state.due).astimezone(datetime.fromisoformat(
        "2026-11-27T21:00:00-07:00").tzinfo)
    days = (due.date() - datetime(2026, 11, 27).date()).days
    assert (due.hour, due.minute) == (4, 0)  # due when the learner's day starts
    assert f"back in {days} days" in result.output


def test_parameter_bounds_are_the_librarys_and_bad_ones_in_config_mean_the_defaults(
    isolated: Path,
) -> None:
    from fsrs import scheduler as library

    from awsquiz.scheduling.scheduler import LOWER_BOUNDS, UPPER_BOUNDS
    from awsquiz.store import config

    assert LOWER_BOUNDS == library.LOWER_BOUNDS_PARAMETERS
    assert UPPER_BOUNDS == library.UPPER_BOUNDS_PARAMETERS
    isolated.mkdir(parents=True, exist_ok=True)
    good = list(library.DEFAULT_PARAMETERS)
    (isolated / "config.json").write_text(json.dumps({"retention": 0.85, "parameters": good}))
    assert config.load(isolated).parameters == tuple(good)
    (isolated / "config.json").write_text(json.dumps({"retention": 0.85, "parameters": [1] * 21}))
    loaded = config.load(isolated)
    assert loaded.parameters is None and loaded.retention == 0.85
    result = runner.invoke(app, ["study", SAMPLE, "--limit", "1"], input="AWS\nq\n")
    assert result.exit_code == 0, result.output
