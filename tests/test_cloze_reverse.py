"""Cloze and reversed cards: the deck format, its errors, grading, study, exam, siblings."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.decks.cloze import cloze_cards, parse_cloze
from awsquiz.decks.deck_file import load_deck_file
from awsquiz.model import Card, CardProgress, CardType, DeckIndex, Rating, Review, glances
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.services.exam import run_exam
from awsquiz.services.study import run_study
from awsquiz.services.where import Where
from awsquiz.session.grading import typed_is_right
from awsquiz.session.queue import plan_study, sibling_map
from awsquiz.system.paths import iso
from conftest import DECKS, ScriptedTerminal

runner = CliRunner()
CLOZE = DECKS / "cloze.yaml"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def deck_cards(text: str, tmp_path: Path) -> tuple[list[Card], list[str]]:
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_deck_file(path)
    cards = list(result.deck.cards) if result.deck else []
    return cards, [str(p).replace(str(path), "d.yaml") for p in result.errors]


# The deck format ------------------------------------------------------------------------------


def test_a_cloze_makes_one_card_per_deletion_number_with_hints_and_the_others_filled() -> None:
    result = load_deck_file(CLOZE)
    assert result.deck is not None and not result.errors
    c1, c2 = (c for c in result.deck.cards if c.type is CardType.CLOZE)
    assert (c1.id, c2.id) == ("srm-c1", "srm-c2")
    assert c1.question == (
        "AWS is responsible for security [...] the cloud; you, for security in it."
    )
    assert c2.question == (
        "AWS is responsible for security of the cloud; you, for security [a preposition] it."
    )
    assert (c1.answers, c2.answers) == (("of",), ("in",))
    assert c1.accept == ("of the",) and c2.accept == ()
    assert c1.note == c2.note == "srm" and "{{c1::of}}" in c1.text
    assert c1.tags == ("basics",)


def test_a_number_used_twice_blanks_both_places_and_expects_both() -> None:
    segments, problems = parse_cloze("{{c1::KMS}} keys and {{c2::S3}} and {{c1::HSM}}")
    assert problems == []
    first, second = cloze_cards(segments)
    assert first.question == "[...] keys and S3 and [...]" and first.answer == "KMS, HSM"
    assert second.question == "KMS keys and [...] and HSM"


def test_a_reversed_card_asks_the_answer_and_expects_the_question() -> None:
    deck = load_deck_file(CLOZE).deck
    assert deck is not None
    forward, back = (c for c in deck.cards if c.note == "kms")
    assert (forward.id, back.id) == ("kms", "kms-reverse")
    assert back.question == "Key Management Service"
    assert back.answers == ("What does KMS stand for?",)
    assert back.is_reverse and not forward.is_reverse
    assert back.explanation == forward.explanation and back.line == forward.line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('text: "no deletion here"', "d.yaml:4:12: card 'x': a cloze needs at least one deletion"),
        ('text: "open {{c1::here"', "d.yaml:4:17: card 'x': '{{' is not closed with '}}'"),
        ('text: "{{cx::y}} and"', "d.yaml:4:12: card 'x': 'cx' is not a cloze number"),
        ('text: "{{c1:y}}"', "d.yaml:4:12: card 'x': '{{c1:y}}' is not a deletion"),
        ('text: "{{c0::y}}"', "d.yaml:4:12: card 'x': 'c0': cloze numbers start at c1"),
        ("text: |\n      first line\n      then {{c2::}}", "d.yaml:6:11: card 'x': c2 deletes"),
        ('question: q\n    text: "{{c1::a}}"', "d.yaml:4:5: card 'x': a cloze card asks its"),
        ('text: "{{c1::a}}"\n    reverse: true', "d.yaml:5:5: card 'x': 'reverse' applies only"),
        ('text: "{{c1::a}}"\n    accept: {c3: [b]}', "d.yaml:5:14: card 'x': accept 'c3'"),
        ("answer: a", "d.yaml:2:5: card 'x': missing 'text'"),
    ],
)
def test_cloze_errors_name_the_file_line_and_column(
    text: str, expected: str, tmp_path: Path
) -> None:
    cards, errors = deck_cards(f"cards:\n  - id: x\n    type: cloze\n    {text}\n", tmp_path)
    assert cards == []
    assert any(e.startswith(expected) for e in errors), errors


def test_every_problem_of_a_cloze_is_reported_at_once(tmp_path: Path) -> None:
    _, errors = deck_cards(
        'cards:\n  - id: x\n    type: cloze\n    text: "{{c1::a}} {{cz::b}} {{c2::"\n', tmp_path
    )
    assert len(errors) == 2, errors


def test_reverse_must_be_true_or_false_and_only_on_basic_cards(tmp_path: Path) -> None:
    _, errors = deck_cards(
        "cards:\n  - id: a\n    question: q\n    answer: x\n    reverse: maybe\n"
        "  - id: b\n    type: choice\n    question: q\n    choices: [x, y]\n    answer: x\n"
        "    reverse: true\n",
        tmp_path,
    )
    assert errors == [
        "d.yaml:5:14: card 'a': 'reverse' must be true or false",
        "d.yaml:11:5: card 'b': 'reverse' applies only to basic cards",
    ]


def test_a_reverse_id_taken_by_another_card_is_a_duplicate(tmp_path: Path) -> None:
    _, errors = deck_cards(
        "cards:\n  - id: a\n    question: q\n    answer: x\n    reverse: yes\n"
        "  - id: a-reverse\n    question: r\n    answer: y\n",
        tmp_path,
    )
    assert errors == ["d.yaml:6:5: card 'a-reverse': duplicate card id (first used on line 2)"]


def test_check_accepts_the_cloze_sample_and_cards_json_shows_the_new_fields() -> None:
    checked = runner.invoke(app, ["check", str(CLOZE)])
    assert checked.exit_code == 0, checked.output
    assert "4 cards, 0 errors" in checked.output
    listed = runner.invoke(app, ["cards", str(CLOZE), "--json"])
    assert listed.exit_code == 0, listed.output
    by_id = {card["id"]: card for card in json.loads(listed.output)}
    assert by_id["srm-c2"]["type"] == "cloze" and by_id["srm-c2"]["answer"] == "in"
    assert by_id["kms-reverse"]["note"] == "kms"


# Grading, study and exam ----------------------------------------------------------------------


def test_a_cloze_is_graded_like_a_typed_answer_with_accept_variants() -> None:
    deck = load_deck_file(CLOZE).deck
    assert deck is not None
    c1 = deck.cards[0]
    assert typed_is_right(c1, "OF") and typed_is_right(c1, "of the")
    assert not typed_is_right(c1, "in")


class Typist(ScriptedTerminal):
    """Types the hidden word of every card; the reverse card's answer it does not know."""

    def __init__(self) -> None:
        super().__init__()
        self.reveals: list[str] = []
        self.ratings = 0

    def respond(self, card: Card) -> str | None:
        if self.prompts[-1].startswith("how well"):
            self.ratings += 1
            return "3"
        return "" if card.is_reverse else card.answers[0]

    def show_reveal(self, turn: object, typed: str) -> None:
        self.reveals.append(typed)


def test_a_cloze_card_is_studied_by_typing_the_hidden_word_and_siblings_wait(
    isolated: Path,
) -> None:
    typist = Typist()
    summary = run_study(Where(), [str(CLOZE)], typist, seed=1)
    shown = [turn.card.id for turn in typist.turns]
    # One new card of each note today: the cloze's c2 and the reverse wait for tomorrow.
    assert set(shown) == {"srm-c1", "kms"}
    assert summary.missed == [] and typist.reveals == []
    log = [json.loads(line) for line in (isolated / "reviews-test.jsonl").read_text().splitlines()]
    assert {(r["card"], r["picked"], r["right"]) for r in log} == {
        ("srm-c1", "of", True), ("kms", "Key Management Service", True)
    }


def test_the_next_day_the_buried_siblings_are_new(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_study(Where(), [str(CLOZE)], Typist(), seed=1)
    monkeypatch.setenv("AWSQUIZ_NOW", "2026-11-29T09:00:00+00:00")
    typist = Typist()
    run_study(Where(), [str(CLOZE)], typist, seed=1)
    shown = [turn.card.id for turn in typist.turns]
    assert {"srm-c2", "kms-reverse"} <= set(shown)
    # The reverse card: Enter shows the answer, then the learner rates themself.
    assert typist.reveals and set(typist.reveals) == {""}
    assert typist.ratings == len(typist.reveals)


class ExamTypist(ScriptedTerminal):
    """Types `of` into every cloze of an exam."""

    def show_exam_start(self, exam: object) -> None: ...
    def show_time_up(self, late_answer: bool) -> None: ...
    def show_exam_result(self, report: object) -> None: ...

    def respond(self, card: Card) -> str | None:
        return "of"

    def show_reveal(self, turn: object, typed: str) -> None:
        raise AssertionError("an exam shows no answer before the end")


def test_an_exam_asks_cloze_cards_and_grades_the_typed_text(isolated: Path) -> None:
    report = run_exam(Where(), [str(CLOZE)], ExamTypist(), questions=5, seed=3)
    assert report.questions == 2  # the two cloze cards; basic cards are not asked
    assert report.right == 1
    (miss,) = report.misses
    assert miss.question.card.id == "srm-c2" and miss.picked == ("of",)


# Siblings in the queue (pure) -----------------------------------------------------------------


SCHEDULER = Scheduler(fuzz=False)


def answered_at(key: str, moment: datetime) -> CardProgress:
    deck, card = key.split("/")
    state = SCHEDULER.review(None, Rating.GOOD, moment)
    return CardProgress.first(Review(key, deck, card, iso(moment), Rating.GOOD, True, None, 0,
                                     state))


def test_new_siblings_of_a_card_answered_today_wait_for_the_next_day() -> None:
    keys = ["d/a-c1", "d/a-c2", "d/a-c3", "d/b", "d/b-reverse", "d/lone"]
    siblings = sibling_map([("d/a-c1", "d/a-c2", "d/a-c3"), ("d/b", "d/b-reverse")])

    def plan(progress: dict[str, CardProgress], now: datetime) -> tuple[str, ...]:
        queue = plan_study(keys, glances(progress), SCHEDULER, now, random.Random(1),
                           siblings=siblings)
        return queue.upcoming

    # Nothing studied: one new card of each group.
    assert plan({}, NOW) == ("d/a-c1", "d/b", "d/lone")
    # a-c1 answered an hour ago (due again after its learning step): its siblings wait.
    earlier = {"d/a-c1": answered_at("d/a-c1", NOW - timedelta(hours=1))}
    assert plan(earlier, NOW) == ("d/a-c1", "d/b", "d/lone")
    # The next day one more of them is new, not both.
    tomorrow = plan(earlier, NOW + timedelta(days=1))
    assert "d/a-c2" in tomorrow and "d/a-c3" not in tomorrow


def test_answering_a_due_card_buries_its_new_sibling_in_the_session() -> None:
    keys = ["d/b", "d/b-reverse"]
    old = {"d/b": answered_at("d/b", NOW - timedelta(days=30))}
    queue = plan_study(keys, glances(old), SCHEDULER, NOW, random.Random(1),
                       siblings=sibling_map([keys]))
    assert queue.upcoming == ("d/b", "d/b-reverse")  # b due, its reverse new
    state = SCHEDULER.review(old["d/b"].state, Rating.GOOD, NOW)
    assert queue.answered("d/b", state).upcoming == ()


def test_the_deck_index_carries_the_sibling_groups_through_the_cache() -> None:
    from awsquiz.decks.cache import load_index

    deck = load_deck_file(CLOZE).deck
    assert deck is not None
    groups = (("cloze-sample/srm-c1", "cloze-sample/srm-c2"),
              ("cloze-sample/kms", "cloze-sample/kms-reverse"))
    assert DeckIndex.of(deck).siblings == groups
    first, _ = load_index(CLOZE)
    again, _ = load_index(CLOZE)  # from the index entry written the first time
    assert first is not None and again is not None
    assert first.siblings == again.siblings == groups
