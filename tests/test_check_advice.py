"""`awsquiz check` helps authors keep decks fair and dated: long keyed answers, undated
volatile facts, and `--stale DAYS`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from awsquiz.cli import app

runner = CliRunner()

DECK = """\
deck: advice
cards:
  - id: long-key
    type: choice
    question: What does AWS Artifact give you?
    choices:
      - Reports
      - Audits
      - On-demand access to AWS security and compliance reports and agreements
    answer: On-demand access to AWS security and compliance reports and agreements
    explanation: Artifact is the self-service portal.
    source: https://aws.amazon.com/artifact/
    verified: 2026-11-01
  - id: fair-key
    type: choice
    question: Which service records API calls?
    choices: [AWS CloudTrail, AWS Config, Amazon Inspector]
    answer: AWS CloudTrail
    explanation: CloudTrail records API activity.
    source: https://aws.amazon.com/cloudtrail/
    verified: 2026-11-30
  - id: undated
    question: How many on-demand rotations may one KMS key have?
    answer: "25"
    explanation: The limit was raised from 10.
    source: https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html
    tags: [volatile]
  - id: dated
    question: How many on-demand rotations may one KMS key have (as of December 2026)?
    answer: "25"
    explanation: The limit was raised from 10.
    source: https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html
    tags: [volatile]
    verified: 2026-12-01
classify:
  - id: who
    question: "Who owns this: {item}?"
    categories: [AWS, The customer and AWS together as a shared control]
    explanation: Shared controls live in both layers.
    source: https://aws.amazon.com/compliance/shared-responsibility-model/
    verified: 2026-12-01
    items:
      Patch management: The customer and AWS together as a shared control
      Physical security: AWS
"""


def write(tmp_path: Path) -> Path:
    path = tmp_path / "advice.yaml"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_a_keyed_answer_much_longer_than_its_distractors_is_a_warning_with_its_place(
    tmp_path: Path,
) -> None:
    path = write(tmp_path)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output  # warnings never fail a check
    assert f"{path}:3:5: card 'long-key': warning: the keyed answer is" in result.output
    assert "a learner can guess by length" in result.output
    assert "'fair-key'" not in result.output
    # A classify item keyed to a long category is warned about at the item.
    assert f"{path}:43:7: card 'who-patch-management': warning: the keyed answer" in result.output
    assert "'who-physical-security'" not in result.output


def test_a_volatile_fact_that_does_not_say_as_of_when_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = runner.invoke(app, ["check", str(path)])
    assert "card 'undated': warning: tagged 'volatile'" in result.output
    assert "card 'dated':" not in result.output
    assert "0 errors, 3 warnings" in result.output


def test_stale_lists_cards_not_verified_within_the_days_given(tmp_path: Path) -> None:
    path = write(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--stale", "7"], env={
        "AWSQUIZ_NOW": "2026-12-01T09:00:00+00:00",
    })
    assert result.exit_code == 0, result.output
    assert f"{path}:3: card 'advice/long-key': stale: verified 2026-11-01, 30 days ago" in (
        result.output
    )
    assert "card 'advice/undated': stale: never verified" in result.output
    assert "'advice/fair-key': stale" not in result.output  # 1 day ago
    assert "2 cards not verified in the last 7 days" in result.output


def test_stale_needs_a_number_of_days(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(write(tmp_path)), "--stale", "soon"])
    assert result.exit_code == 2
    assert "--stale" in result.output
