"""The deck loader: valid decks load whole; each invalid case names file, line and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsquiz.decks.deck_file import load_deck_file
from awsquiz.model import CardType, Severity
from conftest import BAD, DECKS


def write(tmp_path: Path, text: str | bytes, name: str = "deck.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(p) for p in load_deck_file(path).problems if p.severity is Severity.ERROR]


def test_sample_deck_loads_every_kind_of_card() -> None:
    result = load_deck_file(DECKS / "sample.yaml")
    assert result.problems == []
    deck = result.deck
    assert deck is not None and deck.id == "sample" and deck.title == "Sample deck"
    cards = {card.id: card for card in deck.cards}
    assert cards["of-vs-in"].type is CardType.BASIC
    assert cards["of-vs-in"].accept == ("Amazon Web Services", "Amazon")
    assert cards["of-vs-in"].verified == "2026-11-28"
    assert cards["of-vs-in"].tags == ("test", "basics")  # deck tags come first
    assert cards["patching-control-type"].why == {
        "Inherited": "AWS patches its infrastructure, but you still patch your guest OS."
    }
    assert cards["sse-options"].answers == ("SSE-S3", "SSE-KMS")
    classified = cards["control-types-physical-and-environmental-controls"]
    assert classified.type is CardType.CHOICE
    assert classified.question == (
        "Which kind of control is this: Physical and environmental controls?"
    )
    assert classified.answers == ("Inherited",)
    assert classified.choices == ("Inherited", "Shared", "Customer-specific")
    assert cards["control-types-zone-security"].answers == ("Customer-specific",)


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    path = BAD / "many-problems.yaml"
    found = messages(path)
    expected = [
        f"{path}:4:5: card 'no-question': missing 'question'",
        f"{path}:6:5: card 'no-answer': missing 'answer'",
        f"{path}:12:13: card 'not-a-choice': answer 'SSE-C' is not one of its choices",
        f"{path}:17:13: card 'single-multi': a multi card needs a list of at least 2 right",
        f"{path}:18:5: card 'not-a-choice': duplicate card id (first used on line 8)",
        f"{path}:23:5: card 'typo-key': unknown key 'answr' (did you mean 'answer'?)",
        f"{path}:25:15: card 'wrong-type': 'question' must be text, not a list",
        f"{path}:30:21: card 'twice': choice 'A' is listed twice",
    ]
    for start in expected:
        assert any(m.startswith(start) for m in found), f"{start!r} not in {found}"
    assert load_deck_file(path).deck is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 0, "the file is empty"),
        ("deck: Bad_Id\ncards:\n  - {question: q, answer: a}\n", 1, "deck id 'Bad_Id' must be"),
        ("cards:\n  - question: q\n    answer: [a\n", 4,
         "YAML syntax error: while parsing a flow sequence (started at line 3, column 13)"),
        ("cards: 5\n", 1, "'cards' must be a list, not text"),
        ("- just\n- a list\n", 1, "a deck file must be a mapping"),
        ("cards:\n  - type: multi\n    question: q\n    choices: [a, b]\n    answer: []\n", 5,
         "a multi card needs a list of at least 2 right answers"),
        ("cards:\n  - type: choise\n    question: q\n    answer: a\n", 2,
         "type 'choise' is not one of basic, choice, multi, cloze (did you mean 'choice'?)"),
        ("cards:\n  - question: q\n    answer: !!python/object:os.system a\n", 3,
         "'answer' must be text, not a value tagged"),
        ("cards:\n  - question: q\n    answer: a\n    verified: soon\n", 4,
         "verified 'soon' is not a date"),
        ("titel: x\ncards:\n  - {question: q, answer: a}\n", 1,
         "unknown key 'titel' (did you mean 'title'?)"),
    ],
)
def test_invalid_deck_gives_a_located_message(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    problems = [p for p in load_deck_file(path).problems if p.severity is Severity.ERROR]
    assert problems, "expected an error"
    assert any(message in p.message and p.line == line for p in problems), problems


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"cards:\n  - question: caf\xe9\n    answer: a\n")
    (problem,) = load_deck_file(path).problems
    assert (problem.line, problem.column) == (2, 18)
    assert "not UTF-8" in problem.message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    (problem,) = load_deck_file(path).problems
    assert "aliases expand to more than" in problem.message


def test_missing_id_derives_one_and_warns(tmp_path: Path) -> None:
    path = write(tmp_path, "cards:\n  - question: What is IAM?\n    answer: identity\n")
    result = load_deck_file(path)
    assert result.deck is not None
    assert result.deck.cards[0].id == "what-is-iam"
    warnings = [p.message for p in result.problems if p.severity is Severity.WARNING]
    assert "card has no 'id'; editing its question will reset its progress" in warnings


def test_deck_id_defaults_to_the_file_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "cards:\n  - {id: a, question: q, answer: a}\n", "my-deck.yaml")
    result = load_deck_file(path)
    assert result.deck is not None and result.deck.id == "my-deck"


def test_yaml_booleans_and_numbers_stay_as_written(tmp_path: Path) -> None:
    text = "cards:\n  - {id: a, type: choice, question: q, choices: [Yes, No, 2.50], answer: No}\n"
    result = load_deck_file(write(tmp_path, text))
    assert result.deck is not None
    card = result.deck.cards[0]
    assert card.choices == ("Yes", "No", "2.50") and card.answers == ("No",)
