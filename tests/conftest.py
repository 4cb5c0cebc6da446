"""Every test gets its own progress, cache and clock: nothing touches the learner's files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from awsquiz.cli import register

register()  # every command on the app the tests invoke (a run registers only the one it names)

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


# The scripted learner ------------------------------------------------------------------------

# Right and wrong answers to the sample deck's cards (tests/decks/sample.yaml).
RIGHT = {
    "of-vs-in": "AWS",
    "patching-control-type": "Shared",
    "sse-options": "SSE-S3, SSE-KMS",
    "control-types-physical-and-environmental-controls": "Inherited",
    "control-types-zone-security": "Customer-specific",
}
WRONG = {"patching-control-type": "Inherited", "sse-options": "SSE-S3, TLS 1.3"}


class ScriptedTerminal:
    """A `Terminal` that records what it is shown; `respond` gives each answer."""

    def __init__(self) -> None:
        from awsquiz.session.turn import Feedback, Summary, Turn

        self.turns: list[Turn] = []
        self.prompts: list[str] = []
        self.feedback: list[Feedback] = []
        self.notes: list[str] = []
        self.summary: Summary | None = None

    def show_question(self, turn: Any) -> None:
        self.turns.append(turn)

    def prompt(self, text: str) -> None:
        self.prompts.append(text)

    def read_line(self) -> str | None:
        return self.respond(self.turns[-1].card)

    def respond(self, card: Any) -> str | None:
        raise NotImplementedError

    def show_problem(self, message: str) -> None:
        raise AssertionError(message)

    def show_note(self, message: str) -> None:
        self.notes.append(message)

    def show_reveal(self, turn: Any, typed: str) -> None:
        raise AssertionError("typed answers here are always right")

    def show_feedback(self, feedback: Any) -> None:
        self.feedback.append(feedback)

    def show_summary(self, summary: Any, now: datetime) -> None:
        self.summary = summary


class ScriptedLearner(ScriptedTerminal):
    """A learner of the sample deck who answers each card right, or wrong the first time for
    the cards in `miss`, and quits (`q`) after `quit_after` answers."""

    def __init__(self, miss: Iterable[str] = frozenset(), quit_after: int | None = None) -> None:
        super().__init__()
        self.miss = set(miss)
        self.quit_after = quit_after

    def respond(self, card: Any) -> str | None:
        if self.quit_after is not None and len(self.feedback) >= self.quit_after:
            return "q"
        if card.id in self.miss:
            self.miss.discard(card.id)
            return WRONG[card.id]
        return RIGHT[card.id]
