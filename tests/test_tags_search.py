"""`--tag` narrows study, review, exam and stats; `cards --tags` counts them; `cards --search`
finds cards by their text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.model import CardType
from conftest import ScriptedTerminal

runner = CliRunner()


def run(*args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output


def kms_keys() -> set[str]:
    cards = json.loads(run("cards", "--tag", "kms", "--json"))
    assert cards
    return {f"{card['deck']}/{card['id']}" for card in cards}


def logged_keys(progress: Path) -> list[str]:
    lines = (progress / "reviews-test.jsonl").read_text().splitlines()
    return [f"{r['deck']}/{r['card']}" for r in map(json.loads, lines)]


class AnyAnswer(ScriptedTerminal):
    """Answers every card something it accepts: choice 1, as many choices as a multi card
    wants, a wrong typed answer rated Again."""

    def read_line(self) -> str | None:
        card = self.turns[-1].card
        if self.prompts[-1].startswith("how well"):
            return "1"
        if card.type is CardType.MULTI:
            return " ".join(str(n) for n in range(1, len(card.answers) + 1))
        return "1" if card.type is CardType.CHOICE else "not it"

    def show_reveal(self, turn: Any, typed: str) -> None:
        pass


def test_study_tag_kms_studies_only_kms_cards(isolated: Path) -> None:
    from awsquiz.services.study import run_study
    from awsquiz.services.where import Where

    terminal = AnyAnswer()
    summary = run_study(Where(), [], terminal, new=50, tags=["KMS"], seed=1)
    assert summary.answered > 0
    studied = set(logged_keys(isolated))
    assert studied == {turn.card.key for turn in terminal.turns}
    assert studied <= kms_keys()
    # Every KMS card but the new siblings of cards answered today (they wait for tomorrow).
    from awsquiz.decks.library import load_library
    from awsquiz.model.deck import sibling_groups

    kms = [card for card in load_library().cards() if card.key in kms_keys()]
    waiting = sum(len(group) - 1 for group in sibling_groups(kms))
    assert len(studied) == min(50, len(kms) - waiting)


def test_an_unknown_tag_is_an_error_naming_it(isolated: Path) -> None:
    for command in (["study"], ["review"], ["exam"], ["stats"]):
        output = run(*command, "--tag", "no-such-tag", code=1)
        assert "no card in the chosen decks is tagged no-such-tag" in output
        assert "awsquiz cards --tags" in output


def test_exam_and_review_and_stats_take_tags(isolated: Path) -> None:
    tagged = kms_keys()
    # A choice takes one number, a multi card two or three: one of the three lines fits.
    run("exam", "--tag", "kms", "--questions", "5", "--seed", "2", input="1\n1 2\n1 2 3\n" * 5)
    lines = logged_keys(isolated)
    asked = set(lines)
    assert len(lines) == 5 and asked <= tagged
    missed = json.loads(run("review", "--list", "--json", "--tag", "kms"))
    assert {f"{m['deck']}/{m['id']}" for m in missed} <= tagged
    stats = json.loads(run("stats", "--json", "--tag", "kms"))
    assert stats["total"]["cards"] == len(tagged)
    assert {row["id"] for row in stats["decks"]} == {key.split("/")[0] for key in tagged}
    assert stats["activity"]["reviews"] == len(lines)


def test_cards_tags_lists_every_tag_with_its_count() -> None:
    counts = json.loads(run("cards", "--tags", "--json"))
    assert counts["kms"] == len(json.loads(run("cards", "--tag", "kms", "--json")))
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    text = run("cards", "--tags")
    assert text.splitlines()[0].split() == ["tag", "cards"]
    assert "awsquiz study --tag TAG" in text


def test_cards_search_finds_the_envelope_encryption_cards() -> None:
    found = json.loads(run("cards", "--search", "envelope", "--json"))
    ids = {card["id"] for card in found}
    assert "envelope-encryption" in ids
    for card in found:
        text = " ".join([card["question"], str(card["answer"]), *card["choices"],
                         card["explanation"]]).lower()
        assert "envelope" in text
    both = json.loads(run("cards", "--search", "Envelope DATA key", "--json"))
    assert both and {c["id"] for c in both} <= ids
    assert "No cards match." in run("cards", "--search", "envelope zebra")


def test_weakest_tags_print_the_command_that_drills_them() -> None:
    import io
    from types import SimpleNamespace

    from awsquiz.session.stats_report import TagStats
    from awsquiz.ui import console
    from awsquiz.ui.stats import _weak_tags

    screen = io.StringIO()
    weak = [TagStats("kms", 40, 0.5), TagStats("root user", 30, 0.6)]
    _weak_tags(SimpleNamespace(weak_tags=weak, min_tag_reviews=20), console(screen))  # type: ignore[arg-type]
    text = screen.getvalue()
    assert "awsquiz study --all --tag kms" in text
    assert "awsquiz study --all --tag 'root user'" in text


def test_a_review_drill_takes_only_the_tagged_missed_cards(isolated: Path) -> None:
    sample = str(Path(__file__).parent / "decks" / "sample.yaml")
    # Miss the typed card (tag basics: a wrong answer rated Again) and the choice card.
    run("study", sample, input="nope\n1\nInherited\n")
    missed = {m["id"] for m in json.loads(run("review", sample, "--list", "--json"))}
    assert missed == {"of-vs-in", "patching-control-type"}
    output = run("review", sample, "--tag", "basics", input="AWS\n")
    assert "Which party is responsible" in output and "Patch management" not in output
    left = {m["id"] for m in json.loads(run("review", sample, "--list", "--json"))}
    assert left == {"patching-control-type"}


def test_card_ids_complete_in_the_shell() -> None:
    from awsquiz.decks.library import card_keys_for_completion

    keys = card_keys_for_completion("encryption/env")
    assert "encryption/envelope-encryption" in keys
    assert all(key.startswith("encryption/env") for key in keys)
    assert "root-user/*" in card_keys_for_completion("root")
