"""Mock exams: the draw, the timer, flagging, scoring, the saved result and the CLI."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.decks.library import load_library
from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model import Card, CardType, Deck
from awsquiz.services.exam import run_exam
from awsquiz.services.where import Where
from awsquiz.session.exam import (
    Exam,
    Question,
    Report,
    Timer,
    check_options,
    clock_text,
    draw,
    plan,
)
from awsquiz.session.turn import Feedback, Summary, Turn
from awsquiz.store.exam_log import load_results
from awsquiz.store.store import Store
from conftest import DECKS, ScriptedTerminal

runner = CliRunner()
FIXTURE = str(DECKS / "exam-fixture.yaml")
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


# Helpers ------------------------------------------------------------------------------------


def choice_card(deck: str, n: int, kind: CardType = CardType.CHOICE) -> Card:
    answers = ("A", "B") if kind is CardType.MULTI else ("A",)
    return Card(deck=deck, id=f"c{n}", type=kind, question=f"{deck} question {n}?",
                answers=answers, choices=("A", "B", "C", "D"), tags=(f"tag-{n % 2}",))


def deck(name: str, size: int, *, basic: int = 0) -> Deck:
    cards = [choice_card(name, n) for n in range(size)]
    cards += [Card(deck=name, id=f"b{n}", type=CardType.BASIC, question="typed?",
                   answers=("x",)) for n in range(basic)]
    return Deck(id=name, title=name, description="", path=f"{name}.yaml", cards=tuple(cards))


def per_deck(cards: list[Card]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for card in cards:
        counts[card.deck] = counts.get(card.deck, 0) + 1
    return counts


def exam_of(cards: list[Card], seconds: int = 600) -> Exam:
    questions = [Question(n, card, card.choices) for n, card in enumerate(cards, 1)]
    return Exam(questions, Timer(START, seconds), pass_mark=70)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def right_text(card: Card) -> str:
    return ", ".join(card.answers)


def wrong_text(card: Card) -> str:
    """A wrong answer that names as many choices as the card asks for (a Select-TWO answer
    naming one choice is asked again, not graded)."""
    wrong = next(choice for choice in card.choices if choice not in card.answers)
    return ", ".join([wrong, *card.answers[1:]])


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class ScriptedCandidate(ScriptedTerminal):
    """An ExamScreen answering from a script: one entry per question shown, each a response
    ("right", "wrong", "f", "q", "interrupt") and the seconds spent before giving it."""

    def __init__(self, script: Sequence[tuple[str, float]], clock: Clock) -> None:
        super().__init__()
        self.script = list(script)
        self.clock = clock
        self.report: Report | None = None
        self.time_up: bool | None = None
        self.started = False

    def show_exam_start(self, exam: Exam) -> None:
        self.started = True

    def respond(self, card: Card) -> str | None:
        if not self.script:
            return None
        response, seconds = self.script.pop(0)
        self.clock.advance(seconds)
        if response == "interrupt":
            raise KeyboardInterrupt
        if response == "right":
            return right_text(card)
        if response == "wrong":
            return wrong_text(card)
        return response

    def show_reveal(self, turn: Turn, typed: str) -> None:
        raise AssertionError("an exam has no typed cards")

    def show_feedback(self, feedback: Feedback) -> None:
        raise AssertionError("an exam gives no feedback")

    def show_summary(self, summary: Summary, now: datetime) -> None:
        raise AssertionError("an exam ends with its own result")

    def show_time_up(self, late_answer: bool) -> None:
        self.time_up = late_answer

    def show_exam_result(self, report: Report) -> None:
        self.report = report


def exam_reviews(progress: Path) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for log in sorted(progress.glob("reviews-*.jsonl")):
        lines += [json.loads(line) for line in log.read_text().splitlines()]
    return lines


# Drawing and balancing ----------------------------------------------------------------------


def test_draw_balances_two_decks() -> None:
    cards = draw([deck("a", 10), deck("b", 10)], 6, random.Random(1))
    assert per_deck(cards) == {"a": 3, "b": 3}
    assert len({card.key for card in cards}) == 6


def test_draw_balances_three_decks_and_others_fill_in_for_a_short_deck() -> None:
    decks = [deck("a", 10), deck("b", 10), deck("c", 2)]
    for seed in range(20):
        counts = per_deck(draw(decks, 12, random.Random(seed)))
        assert counts == {"a": 5, "b": 5, "c": 2}  # c ran out; a and b fill in
        counts = per_deck(draw(decks, 6, random.Random(seed)))
        assert counts == {"a": 2, "b": 2, "c": 2}
        counts = per_deck(draw(decks, 7, random.Random(seed)))
        assert counts["c"] == 2 and sorted([counts["a"], counts["b"]]) == [2, 3]


def test_the_extra_question_goes_to_a_different_deck_with_another_seed() -> None:
    decks = [deck("a", 10), deck("b", 10), deck("c", 10)]
    winners = set()
    for seed in range(30):
        counts = per_deck(draw(decks, 4, random.Random(seed)))
        assert sorted(counts.values()) == [1, 1, 2]
        winners.add(max(counts, key=lambda name: counts[name]))
    assert winners == {"a", "b", "c"}


def test_fewer_cards_than_asked_draws_them_all_and_only_auto_graded_ones() -> None:
    decks = [deck("a", 3, basic=5), deck("b", 2, basic=1)]
    cards = draw(decks, 20, random.Random(0))
    assert per_deck(cards) == {"a": 3, "b": 2}
    assert all(card.type.auto_graded for card in cards)


def test_a_seed_repeats_the_draw_and_the_choice_order() -> None:
    decks = [deck("a", 10), deck("b", 10), deck("c", 10)]
    first, again = plan(decks, 12, seed=42), plan(decks, 12, seed=42)
    assert [(q.card.key, q.choices) for q in first] == [(q.card.key, q.choices) for q in again]
    assert [q.number for q in first] == list(range(1, 13))
    others = [plan(decks, 12, seed=seed) for seed in range(5)]
    assert any([q.card.key for q in other] != [q.card.key for q in first] for other in others)
    assert any(q.choices != q.card.choices for q in first)  # choices are shuffled


# Scoring ------------------------------------------------------------------------------------


def test_multi_needs_every_right_choice_and_no_wrong_one() -> None:
    multi = [choice_card("m", n, CardType.MULTI) for n in range(4)]  # answer: A and B
    exam = exam_of(multi)
    assert exam.answer(1, ("A", "B"), at(1)) is True
    assert exam.answer(2, ("A",), at(2)) is False
    assert exam.answer(3, ("A", "B", "C"), at(3)) is False
    assert exam.answer(4, ("C",), at(4)) is False
    assert exam.next(at(5)) is None
    report = exam.report(at(5))
    assert (report.right, report.questions, report.percent, report.passed) == (1, 4, 25, False)
    assert [miss.question.number for miss in report.misses] == [2, 3, 4]
    assert report.misses[1].picked == ("A", "B", "C")


def test_score_pass_mark_and_breakdown_by_deck_and_tag() -> None:
    cards = [choice_card("a", n) for n in range(4)] + [choice_card("b", n) for n in range(4)]
    exam = exam_of(cards)
    for number, picked in enumerate(["A", "A", "A", "C", "A", "A", "C", "A"], 1):
        exam.answer(number, (picked,), at(number))
    exam.next(at(10))
    report = exam.report(at(10))
    assert (report.right, report.percent, report.passed, report.ending) == (6, 75, True, "done")
    assert {(t.name, t.right, t.total) for t in report.by_deck} == {("a", 3, 4), ("b", 3, 4)}
    assert {(t.name, t.right, t.total) for t in report.by_tag} == {
        ("tag-0", 3, 4), ("tag-1", 3, 4)
    }
    assert report.result.seconds_used == 10
    exam.pass_mark = 80
    assert exam.report(at(10)).passed is False


# The timer ----------------------------------------------------------------------------------


def test_an_answer_after_the_deadline_is_not_counted_and_unanswered_count_wrong() -> None:
    exam = exam_of([choice_card("a", n) for n in range(4)], seconds=60)
    assert exam.answer(1, ("A",), at(30)) is True
    assert exam.next(at(31)) is not None
    assert exam.answer(2, ("A",), at(61)) is None  # right, but too late
    assert exam.late_answer is True
    assert exam.next(at(62)) is None
    report = exam.report(at(62))
    assert (report.ending, report.right, report.questions, report.unanswered) == ("time", 1, 4, 3)
    assert report.percent == 25 and not report.passed
    assert [(m.question.number, m.picked) for m in report.misses] == [
        (2, None), (3, None), (4, None)
    ]
    assert report.result.seconds_used == 60  # never more than the time allowed
    assert 2 not in exam.given


def test_time_is_checked_before_each_question() -> None:
    exam = exam_of([choice_card("a", n) for n in range(2)], seconds=60)
    assert exam.next(at(59.9)) is not None
    assert exam.next(at(60)) is None
    assert exam.ending == "time"
    assert exam.answer(1, ("A",), at(60)) is None  # nothing counts once it is over


def test_clock_text_is_mm_ss_rounded_up() -> None:
    assert clock_text(1800) == "30:00"
    assert clock_text(59.2) == "01:00"
    assert clock_text(0.4) == "00:01"
    assert clock_text(0) == "00:00"
    assert clock_text(5400) == "90:00"


def test_run_exam_with_an_injected_clock_records_only_answers_in_time(isolated: Path) -> None:
    clock = Clock()
    # 6 questions, 1 minute: three answers in time, the fourth 30 seconds too late.
    script = [("right", 10), ("wrong", 10), ("right", 10), ("right", 60)]
    candidate = ScriptedCandidate(script, clock)
    report = run_exam(Where(), [FIXTURE], candidate, questions=6, minutes=1, seed=3, clock=clock)
    assert candidate.time_up is True
    assert (report.ending, report.right, report.answered, report.unanswered) == ("time", 2, 3, 3)
    assert report.percent == 33 and not report.passed
    assert all(turn.mode == "exam" for turn in candidate.turns)
    assert [turn.note for turn in candidate.turns[:2]] == ["01:00 left", "00:50 left"]
    reviews = exam_reviews(isolated)
    assert len(reviews) == 3 and {r["kind"] for r in reviews} == {"exam"}
    assert [r["right"] for r in reviews] == [True, False, True]
    assert [r["rating"] for r in reviews] == [3, 1, 3]  # right -> Good, wrong -> Again
    [saved] = load_results(isolated)
    assert (saved.questions, saved.right, saved.seconds_allowed, saved.abandoned) == (
        6, 2, 60, False
    )


# Flagging -----------------------------------------------------------------------------------


def test_flagged_questions_come_back_in_order_before_the_end() -> None:
    exam = exam_of([choice_card("a", n) for n in range(5)])
    seen = []
    actions = {1: ["f", "A"], 3: ["f", "f", "A"]}  # 3 is flagged twice
    now = 0.0
    while (question := exam.next(at(now))) is not None:
        now += 1
        seen.append(question.number)
        todo = actions.get(question.number, ["A"])
        action = todo.pop(0)
        if action == "f":
            exam.flag(question.number)
        else:
            exam.answer(question.number, (action,), at(now))
    assert seen == [1, 2, 3, 4, 5, 1, 3, 3]
    assert exam.ending == "done" and exam.flagged == {1, 3}
    assert exam.report(at(now)).right == 5


def test_run_exam_flags_and_marks_flagged_questions(isolated: Path) -> None:
    clock = Clock()
    script = [("f", 1), ("right", 1), ("f", 1), ("right", 1), ("right", 1), ("right", 1),
              ("right", 1), ("wrong", 1)]
    candidate = ScriptedCandidate(script, clock)
    report = run_exam(Where(), [FIXTURE], candidate, questions=6, seed=8, clock=clock)
    numbers = [turn.position for turn in candidate.turns]
    assert numbers == [1, 2, 3, 4, 5, 6, 1, 3]
    assert candidate.turns[6].note.endswith("· flagged")
    assert (report.right, report.ending, report.result.seconds_allowed) == (5, "done", 540)
    assert [m.question.number for m in report.misses] == [3]


# Ending early -------------------------------------------------------------------------------


def test_quit_abandons_the_exam_and_keeps_the_answers(isolated: Path) -> None:
    clock = Clock()
    candidate = ScriptedCandidate([("right", 5), ("wrong", 5), ("q", 5)], clock)
    report = run_exam(Where(), [FIXTURE], candidate, questions=6, seed=1, clock=clock)
    assert report.abandoned and report.answered == 2 and report.unanswered == 4
    assert [m.picked is not None for m in report.misses] == [True]  # unanswered not listed
    assert len(exam_reviews(isolated)) == 2
    [saved] = load_results(isolated)
    assert saved.abandoned and not saved.passed and saved.right == 1
    assert saved.seconds_used == 15


def test_ctrl_c_saves_the_result_then_raises(isolated: Path) -> None:
    clock = Clock()
    candidate = ScriptedCandidate([("right", 5), ("interrupt", 5)], clock)
    with pytest.raises(KeyboardInterrupt):
        run_exam(Where(), [FIXTURE], candidate, questions=6, seed=1, clock=clock)
    assert candidate.report is not None and candidate.report.abandoned
    assert len(exam_reviews(isolated)) == 1
    [saved] = load_results(isolated)
    assert saved.abandoned and saved.right == 1


# Options and the command line ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("questions", "minutes", "pass_mark"),
    [(0, None, 70), (5, 0.0, 70), (5, -1.0, 70), (5, None, 0), (5, None, 101)],
)
def test_options_out_of_range_are_usage_errors(
    questions: int, minutes: float | None, pass_mark: int
) -> None:
    with pytest.raises(AwsquizError) as caught:
        check_options(questions, minutes, pass_mark)
    assert caught.value.exit_code == EXIT_USAGE
    check_options(1, 0.5, 100)


@pytest.mark.parametrize(
    "options", [["--questions", "0"], ["--minutes", "0"], ["--pass", "0"], ["--pass", "101"]]
)
def test_cli_rejects_bad_options_with_exit_2(options: list[str], isolated: Path) -> None:
    result = runner.invoke(app, ["exam", FIXTURE, *options], input="")
    assert result.exit_code == 2
    assert "error: --" in result.output
    assert not isolated.exists() or not list(isolated.glob("exams-*.jsonl"))


def acceptance_answers(seed: int, right: int, wrong: int, questions: int = 6) -> list[str]:
    """The piped answers for the exam `--seed seed --questions questions` draws: `right`
    right, then `wrong` wrong (as choice texts)."""
    drawn = plan(load_library(selection=[FIXTURE]).decks, questions, seed)
    return [right_text(q.card) for q in drawn[:right]] + [
        wrong_text(q.card) for q in drawn[right:right + wrong]
    ]


def test_acceptance_six_questions_four_right_is_67_percent_fail_and_misses_feed_review(
    isolated: Path,
) -> None:
    answers = acceptance_answers(seed=11, right=4, wrong=2)
    missed = {q.card.key for q in plan(load_library(selection=[FIXTURE]).decks, 6, 11)[4:]}
    result = runner.invoke(
        app, ["exam", FIXTURE, "--questions", "6", "--pass", "70", "--seed", "11"],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "score 67% · 4/6 right · FAIL (pass mark 70%)" in out
    assert "PASS" not in out
    assert "question 6 of 6" in out and "left" in out
    assert "✓" not in out and "✗ The answer" not in out  # no feedback during the exam
    assert "missed 2" in out and "drill them now: awsquiz review" in out
    flat = " ".join(out.split())  # long lines wrap on the screen
    for card in load_library(selection=[FIXTURE]).cards():
        shown_as_miss = f"why {' '.join(card.explanation.split())}" in flat
        assert shown_as_miss == (card.key in missed)
    assert "not answered" not in out

    store = Store.open(isolated)
    assert {key for key, entry in store.progress.items() if entry.missed} == missed
    assert len(store.progress) == 6
    assert {review.kind for review in store.reviews()} == {"exam"}
    [saved] = load_results(isolated)
    assert (saved.questions, saved.right, saved.percent, saved.passed) == (6, 4, 67, False)
    assert saved.decks == ("exam-fixture",)

    listing = runner.invoke(app, ["review", FIXTURE, "--list"])
    assert listing.exit_code == 0, listing.output
    ids = {key.split("/")[1] for key in missed}
    for card_id in {c.id for c in load_library(selection=[FIXTURE]).cards()}:
        assert (card_id in listing.output) == (card_id in ids), listing.output


def test_a_short_deck_gives_all_its_cards_and_says_so(isolated: Path) -> None:
    result = runner.invoke(app, ["exam", FIXTURE, "--seed", "2"], input="q\n")
    assert result.exit_code == 0, result.output
    assert "only 6 choice, multi and cloze cards in these decks (asked for 20)" in result.output
    assert "question 1 of 6" in result.output
    assert "09:00 left" in result.output  # 90 seconds a question
    assert "Exam abandoned" in result.output
    [saved] = load_results(isolated)
    assert saved.abandoned and saved.questions == 6


def test_end_of_input_ends_the_exam_with_exit_0(isolated: Path) -> None:
    answers = acceptance_answers(seed=5, right=2, wrong=0, questions=20)
    result = runner.invoke(app, ["exam", FIXTURE, "--seed", "5", "--minutes", "30"],
                           input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "ended after 2 of 6 questions · 2 right so far" in result.output
    assert "30:00" in result.output
    assert len(exam_reviews(isolated)) == 2


def test_flag_over_a_pipe_brings_the_question_back(isolated: Path) -> None:
    answers = acceptance_answers(seed=4, right=6, wrong=0, questions=20)
    piped = ["f", *answers[1:], answers[0]]
    result = runner.invoke(app, ["exam", FIXTURE, "--seed", "4"], input="\n".join(piped) + "\n")
    assert result.exit_code == 0, result.output
    assert re.search(r"question 1 of 6 · 0[89]:\d\d left · flagged", result.output)
    assert "score 100% · 6/6 right · PASS" in result.output


def test_card_text_is_shown_literally_and_basic_only_decks_cannot_be_examined(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text(
        "deck: odd\ntitle: Odd\ncards:\n"
        "  - id: markup\n    type: choice\n    question: 'Is [bold]this[/bold] bold?'\n"
        "    choices: ['[red]no[/red]', 'yes']\n    answer: '[red]no[/red]'\n"
        "    explanation: 'It is text: \\x1b[31m'\n    source: https://example.com/\n"
        "  - id: typed\n    question: typed?\n    answer: x\n"
    )
    result = runner.invoke(app, ["exam", str(odd)], input="yes\n")
    assert result.exit_code == 0, result.output
    assert "Is [bold]this[/bold] bold?" in result.output
    assert "[red]no[/red]" in result.output
    assert "\\x1b[31m" in result.output and "\x1b" not in result.output
    only_basic = tmp_path / "basic.yaml"
    only_basic.write_text("deck: basic\ntitle: B\ncards:\n  - id: t\n    question: q?\n"
                          "    answer: x\n")
    refused = runner.invoke(app, ["exam", str(only_basic)], input="")
    assert refused.exit_code == 1
    assert "no choice, multi or cloze cards" in refused.output


def test_ctrl_c_on_the_command_line_shows_the_result_and_exits_130(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsquiz.ui.exam import ExamTerminal

    answers = acceptance_answers(seed=9, right=1, wrong=0, questions=3)
    typed = iter(answers)

    def read_line(self: ExamTerminal) -> str | None:
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None  # Ctrl-C at the second question

    monkeypatch.setattr(ExamTerminal, "read_line", read_line)
    result = runner.invoke(app, ["exam", FIXTURE, "-n", "3", "--seed", "9"])
    assert result.exit_code == 130, result.output
    assert "Exam abandoned" in result.output
    assert "ended after 1 of 3 questions · 1 right so far" in result.output
    [saved] = load_results(isolated)
    assert saved.abandoned and saved.right == 1 and saved.questions == 3
    assert len(exam_reviews(isolated)) == 1
