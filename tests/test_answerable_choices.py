"""`check` refuses choices the input protocol cannot tell apart, naming file:line: typing a
choice's exact text must always pick that choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.model.answer_text import choice_problems
from awsquiz.session.grading import pick_choices
from conftest import DECKS

runner = CliRunner()

CARD = """deck: t
cards:
  - id: c
    type: {type}
    question: Which?
    choices: {choices}
    answer: {answer}
"""

CASES = {
    "the same once punctuation is ignored": ("choice", '["SSE-KMS", "SSE KMS", "TLS"]',
                                             '"SSE-KMS"', "reads the same as 'SSE-KMS'"),
    "punctuation alone": ("choice", '["?", "!", "TLS"]', '"TLS"', "no letters or digits"),
    "texts that are choice numbers": ("choice", '["1", "2", "3"]', '"2"',
                                      "read as choice number"),
    "a comma at a multi prompt": ("multi", '["A, B", "C", "D"]', '["C", "D"]', "has a comma"),
    "a choice named q": ("choice", '["q", "r", "s"]', '"r"', "the command 'q'"),
    "a choice named f": ("choice", '["F", "r", "s"]', '"r"', "the command 'f'"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_rejects_choices_that_cannot_be_typed_apart(tmp_path: Path, case: str) -> None:
    card_type, choices, answer, problem = CASES[case]
    deck = tmp_path / "t.yaml"
    deck.write_text(CARD.format(type=card_type, choices=choices, answer=answer))
    result = runner.invoke(app, ["check", str(deck)])
    assert result.exit_code == 1, result.output
    assert f"{deck}:6:" in result.output
    assert problem in result.output


def test_check_rejects_classify_categories_that_cannot_be_told_apart(tmp_path: Path) -> None:
    deck = tmp_path / "t.yaml"
    deck.write_text(
        "deck: t\nclassify:\n  - id: k\n    question: 'Which: {item}?'\n"
        "    categories: [Shared, shared, Inherited]\n    items:\n      Patching: Shared\n"
    )
    result = runner.invoke(app, ["check", str(deck)])
    assert result.exit_code == 1, result.output
    assert f"{deck}:5:" in result.output
    assert "category 'shared' is listed twice" in result.output


def test_a_basic_answer_that_is_a_command_is_refused(tmp_path: Path) -> None:
    deck = tmp_path / "t.yaml"
    deck.write_text("deck: t\ncards:\n  - id: c\n    question: Letter?\n    answer: Q\n"
                    "    accept: [f]\n")
    result = runner.invoke(app, ["check", str(deck)])
    assert result.exit_code == 1, result.output
    assert f"{deck}:5:" in result.output and f"{deck}:6:" in result.output


def test_every_bundled_and_test_deck_passes() -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["check", str(DECKS)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("many", [False, True])
@pytest.mark.parametrize("choices", [
    ["SSE-S3", "SSE-KMS", "TLS 1.3", "Client-side encryption"],
    ["Three", "Two", "One", "Six"],
    ["High-bandwidth and low-latency networking", "Fully redundant and dedicated metro fiber",
     "A", "B"],
])
def test_a_choice_that_passes_is_picked_by_its_exact_text(
    choices: list[str], many: bool
) -> None:
    assert choice_problems(choices, many=many) == []
    for choice in choices:
        assert pick_choices(choice, choices, many=many) == (choice,)
