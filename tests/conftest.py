"""Every test gets its own progress, cache and clock: nothing touches the learner's files."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DECKS = TESTS / "decks"
BAD = TESTS / "bad"
NOW = "2026-11-28T09:00:00+00:00"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    progress = tmp_path / "progress"
    monkeypatch.setenv("AWSQUIZ_PROGRESS", str(progress))
    monkeypatch.setenv("AWSQUIZ_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("AWSQUIZ_NOW", NOW)
    monkeypatch.setenv("AWSQUIZ_MACHINE", "test")
    monkeypatch.delenv("AWSQUIZ_DECKS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return progress
