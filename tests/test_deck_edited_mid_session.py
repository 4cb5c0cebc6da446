"""A deck file edited while a session runs: the session goes on with the cards it can still
show, and says which it skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from awsquiz.services.study import run_study
from awsquiz.services.where import Where
from conftest import DECKS, ScriptedLearner

runner = CliRunner()
SAMPLE = (DECKS / "sample.yaml").read_text()

EDITS = {
    "a card not yet shown removed": lambda text: text.replace(
        "  - id: sse-options\n", "  - id: sse-options-renamed\n"
    ),
    "the deck id changed": lambda text: text.replace("deck: other", "deck: renamed"),
    "the file broken": lambda text: text + "\n  - : [unclosed\n",
    "the file deleted": None,
}


class EditingLearner(ScriptedLearner):
    """Answers right; after the first answer, edits the deck it has not been shown yet."""

    def __init__(self, folder: Path, edit: Any) -> None:
        super().__init__(quit_after=None)
        self.folder, self.edit, self.edited = folder, edit, False

    def respond(self, card: Any) -> str | None:
        if not self.edited:
            self.edited = True
            other = self.folder / ("other.yaml" if card.deck == "sample" else "sample.yaml")
            if self.edit is None:
                other.unlink()
            else:
                other.write_text(self.edit(other.read_text()))
        return super().respond(card)


@pytest.mark.parametrize("case", list(EDITS))
def test_a_session_goes_on_when_a_deck_changes_under_it(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "sample.yaml").write_text(SAMPLE)
    (folder / "other.yaml").write_text(SAMPLE.replace("deck: sample", "deck: other"))
    learner = EditingLearner(folder, EDITS[case])
    summary = run_study(
        Where(deck_dirs=(folder,)), [str(folder / "sample.yaml"), str(folder / "other.yaml")],
        learner, seed=1,
    )
    shown = {turn.card.key for turn in learner.turns}
    assert summary.skipped, "nothing was said about the cards that could not be shown"
    assert not shown & set(summary.skipped)
    assert summary.answered == len(learner.feedback) >= 1


def test_the_summary_names_the_skipped_cards(tmp_path: Path) -> None:
    import io
    from datetime import UTC, datetime

    from awsquiz.session.turn import Summary
    from awsquiz.ui import console
    from awsquiz.ui.session import RichTerminal

    out = io.StringIO()
    terminal = RichTerminal(console(out))
    terminal.show_summary(Summary(answered=1, right=1, skipped=["other/sse-options"]),
                          datetime(2026, 11, 28, tzinfo=UTC))
    assert "skipped: other/sse-options" in out.getvalue()
