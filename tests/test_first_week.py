"""What a new learner ran into in their first week: teaching order, new cards, the session
screen and timed exams, as the learner sees them."""

from __future__ import annotations

import io
import json
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.decks.library import load_library
from awsquiz.model import Card, CardType, DeckIndex, Rating
from awsquiz.model.deck import teaching_order
from awsquiz.services.exam import run_exam
from awsquiz.services.study import run_study
from awsquiz.services.where import Where
from awsquiz.session.turn import Answer, Feedback, Turn
from awsquiz.ui.exam import ExamTerminal
from awsquiz.ui.session import RichTerminal
from conftest import DECKS, NOW, ScriptedLearner

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")
FIXTURE = str(DECKS / "exam-fixture.yaml")
TEACHING = ["shared-responsibility", "control-types", "compliance", "encryption",
            "security-pillar", "root-user", "designing-for-failure"]


class FirstCard(ScriptedLearner):
    """Looks at the first card and quits."""

    def respond(self, card: Any) -> str | None:
        return "q"


# 1. Order ------------------------------------------------------------------------------------


def test_the_bundled_decks_are_numbered_in_teaching_order() -> None:
    decks = {deck.id: deck.order for deck in load_library().decks}
    assert [decks[deck] for deck in TEACHING] == [1, 2, 3, 4, 5, 6, 7]


def test_a_fresh_study_opens_with_the_foundation() -> None:
    learner = FirstCard()
    run_study(Where(), [], learner, seed=1)
    assert learner.turns[0].card.deck == "shared-responsibility"


def test_new_cards_follow_the_deck_order_then_decks_without_one(tmp_path: Path) -> None:
    for name, order in (("alpha", "order: 3\n"), ("beta", ""), ("gamma", "order: 1.5\n")):
        (tmp_path / f"{name}.yaml").write_text(
            f"deck: {name}\n{order}cards:\n"
            f"  - {{id: one, question: Q {name}, answer: A}}\n"
        )
    learner = ScriptedLearner()
    learner.respond = lambda card: "A"  # type: ignore[method-assign]
    run_study(Where(deck_dirs=(tmp_path,)), [str(tmp_path)], learner, seed=1)
    firsts = list(dict.fromkeys(turn.card.deck for turn in learner.turns))
    assert firsts == ["gamma", "alpha", "beta"]


def test_teaching_order_keeps_decks_without_an_order_as_found() -> None:
    decks = [DeckIndex("b", "", "", ()), DeckIndex("a", "", "", (), 2.0),
             DeckIndex("c", "", "", ()), DeckIndex("d", "", "", (), 1.0)]
    assert [d.id for d in teaching_order(decks)] == ["d", "a", "b", "c"]


def test_an_order_that_is_not_a_number_is_a_deck_error(tmp_path: Path) -> None:
    deck = tmp_path / "late.yaml"
    deck.write_text("deck: late\norder: soon\ncards:\n  - {id: one, question: Q, answer: A}\n")
    result = runner.invoke(app, ["check", str(deck)])
    assert result.exit_code == 1
    assert f"{deck}:2:8: 'order' must be a number" in result.output


# 2. New cards ----------------------------------------------------------------------------------


def flat(text: str) -> str:
    """A screen's words, with the panels' borders and line breaks taken out."""
    return " ".join(text.replace("│", " ").split())


def answer_all(**options: object) -> ScriptedLearner:
    learner = ScriptedLearner()
    run_study(Where(), [SAMPLE], learner, seed=1, **options)  # type: ignore[arg-type]
    return learner


def new_cards(learner: ScriptedLearner) -> set[str]:
    return {turn.card.id for turn in learner.turns}


def test_new_on_the_command_line_adds_cards_on_top_of_todays(isolated: Path) -> None:
    isolated.mkdir()
    (isolated / "config.json").write_text(json.dumps({"new_per_day": 2}))
    first = answer_all()  # the daily number, from config.json
    assert len(new_cards(first)) == 2
    more = answer_all(new=2)  # two more now, although today's two are done
    assert len(new_cards(more)) == 2 and not new_cards(more) & new_cards(first)
    done = runner.invoke(app, ["study", SAMPLE], input="")
    assert done.exit_code == 0, done.output
    words = flat(done.output)
    assert "All done" in words
    assert "today's new cards are done: 4 started today, the daily number is 2" in words
    assert "(1 new card waiting)" in words
    assert "awsquiz study --new 5" in words


def test_all_done_says_when_the_new_cards_left_wait_as_siblings() -> None:
    answer_all(new=10)  # the sample deck's second classify card is buried until tomorrow
    done = runner.invoke(app, ["study", SAMPLE, "--new", "5"], input="")
    assert done.exit_code == 0, done.output
    words = flat(done.output)
    assert "the 1 new card left is a sibling of cards answered today" in words
    assert "wait for tomorrow" in words and "--new 5" not in words.split("left")[-1]


def test_all_done_says_when_no_new_cards_remain(monkeypatch: pytest.MonkeyPatch) -> None:
    answer_all(new=10)
    monkeypatch.setenv("AWSQUIZ_NOW", "2026-11-29T09:00:00+00:00")
    answer_all(new=10, include_all=True)  # the buried sibling, and every card studied ahead
    done = runner.invoke(app, ["study", SAMPLE], input="")
    assert done.exit_code == 0, done.output
    words = flat(done.output)
    assert "no new cards remain" in words and "awsquiz study --all" in words
    assert "--new 5" not in words


def test_new_zero_says_that_none_were_asked_for() -> None:
    done = runner.invoke(app, ["study", SAMPLE, "--new", "0"], input="")
    assert done.exit_code == 0, done.output
    assert "--new 0 asked for no new cards (5 new cards waiting)" in flat(done.output)


# 3. The summary --------------------------------------------------------------------------------


def test_a_card_missed_then_answered_right_is_not_sent_to_review() -> None:
    learner = ScriptedLearner(miss={"patching-control-type"})
    summary = run_study(Where(), [SAMPLE], learner, seed=1)
    assert summary.missed == ["patching-control-type"] and summary.still_missed == []
    screen = io.StringIO()
    RichTerminal(Console(file=screen, width=80)).show_summary(summary, datetime.fromisoformat(NOW))
    assert "missed, then right: patching-control-type" in screen.getvalue()
    assert "awsquiz review" not in screen.getvalue()


def test_the_review_hint_names_only_cards_still_wrong() -> None:
    result = runner.invoke(app, ["study", SAMPLE, "--seed", "3", "--limit", "2"],
                           input="aws\nInherited\nq\n")
    assert result.exit_code == 0, result.output
    assert "still missed: patching-control-type" in result.output
    assert "drill them now: awsquiz review" in result.output


# 4-6. Answers ----------------------------------------------------------------------------------


def multi_deck(tmp_path: Path) -> str:
    deck = tmp_path / "multi.yaml"
    deck.write_text(
        "deck: multi\ncards:\n"
        "  - id: sse\n    type: multi\n    question: Which TWO? (Select TWO)\n"
        "    choices: [SSE-S3, SSE-KMS, TLS 1.3]\n    answer: [SSE-S3, SSE-KMS]\n"
    )
    return str(deck)


def test_a_select_two_answer_with_the_wrong_number_of_picks_is_asked_again(
    tmp_path: Path, isolated: Path
) -> None:
    result = runner.invoke(
        app, ["study", multi_deck(tmp_path), "--limit", "1"],
        input="2\n1 2 3\n2 2\nSSE-S3, SSE-KMS\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("pick 2: that answer names 1 choice") == 2
    assert "pick 2: that answer names 3 choices" in result.output
    (line,) = (isolated / "reviews-test.jsonl").read_text().splitlines()
    assert json.loads(line)["right"] is True  # the three bad answers were never graded


def test_a_typed_card_shows_its_source_when_revealed() -> None:
    result = runner.invoke(app, ["study", SAMPLE, "--limit", "1"], input="\n1\nq\n")
    assert result.exit_code == 0, result.output
    reveal = result.output[result.output.index(" answer  AWS"):]
    assert "source  https://aws.amazon.com/compliance/shared-responsibility-model/" in reveal


@pytest.mark.parametrize(("typed", "shown"), [("amazon", "✓ Right. The answer is AWS.\n"),
                                              ("AWS", "✓ Right.\n")])
def test_an_accepted_variant_shows_the_canonical_answer(typed: str, shown: str) -> None:
    result = runner.invoke(app, ["study", SAMPLE, "--limit", "1"], input=f"{typed}\nq\n")
    assert result.exit_code == 0, result.output
    assert shown in result.output


# 7. Wrapping -----------------------------------------------------------------------------------


def test_wrapped_lines_keep_their_indent() -> None:
    card = Card(
        "designing-for-failure", "long", CardType.MULTI, "Which TWO of these long choices?",
        ("first right choice that goes on", "second right choice"),
        choices=("first right choice that goes on", "second right choice",
                 "a wrong choice whose text is long enough to wrap at forty columns"),
        why={"a wrong choice whose text is long enough to wrap at forty columns":
             "because this reason is long enough to wrap at forty columns too"},
        source="https://docs.aws.amazon.com/a/very/long/path/that/cannot/fit/in/forty.html",
    )
    turn = Turn(card, card.choices, 12, 14, 10, 10, note="back for a learning step")
    picked = (card.choices[0], card.choices[2])
    answer = Answer(card, False, Rating.AGAIN, picked, 0)
    screen = io.StringIO()
    terminal = RichTerminal(Console(file=screen, width=40, force_terminal=True, color_system=None))
    terminal.show_question(turn)
    terminal.show_feedback(Feedback(answer, turn, None, datetime.fromisoformat(NOW)))
    lines = screen.getvalue().splitlines()
    assert lines[1].startswith(" designing-for-failure · card 12 of 14")
    assert lines[2].startswith(" ") and "╭" not in lines[2]  # the header wraps under itself
    choice = next(i for i, line in enumerate(lines) if "a wrong choice" in line)
    assert lines[choice + 1].startswith("│      ")  # under the choice's text, not its number
    answers = next(i for i, line in enumerate(lines) if "The answers are" in line)
    assert lines[answers + 1].startswith("   ")
    why = next(i for i, line in enumerate(lines) if "Why not" in line)
    assert all(line.startswith("   ") for line in lines[why:why + 3])
    source = next(i for i, line in enumerate(lines) if "source" in line)
    assert lines[source + 1].startswith(" " * 11)  # the address folds under itself
    assert all(len(line) <= 40 for line in lines)


# 8. The header ---------------------------------------------------------------------------------


def test_the_header_counts_up_and_ends_at_its_total() -> None:
    learner = ScriptedLearner(miss={"patching-control-type"})
    run_study(Where(), [SAMPLE], learner, seed=1)
    positions = [turn.position for turn in learner.turns]
    assert positions == list(range(1, len(learner.turns) + 1))
    assert all(turn.position <= turn.total for turn in learner.turns)
    assert learner.turns[-1].position == learner.turns[-1].total
    assert {turn.note for turn in learner.turns} == {"", "back for a learning step"}


# 9-10. Exams -----------------------------------------------------------------------------------


def exam_terminal(stdin: Any) -> tuple[ExamTerminal, io.StringIO]:
    screen = io.StringIO()
    return ExamTerminal(Console(file=screen, width=80), stdin), screen


def test_the_exam_ends_at_the_deadline_while_the_prompt_waits(isolated: Path) -> None:
    read, write = os.pipe()  # nothing is ever typed
    try:
        with os.fdopen(read, "r") as stdin:
            terminal, screen = exam_terminal(stdin)
            started = time.monotonic()
            report = run_exam(Where(), [FIXTURE], terminal, questions=3, minutes=1 / 60, seed=1)
            waited = time.monotonic() - started
    finally:
        os.close(write)
    assert report.ending == "time" and report.answered == 0 and report.unanswered == 3
    assert waited < 30  # the deadline ended it, not an answer (there was none)
    out = screen.getvalue()
    assert "Time is up." in out and "score 0% · 0/3 right · FAIL" in out
    assert "awsquiz review" not in out  # nothing was answered, so there is nothing to drill
    assert (isolated / "exams-test.jsonl").exists()


def test_piped_answers_through_the_timed_prompt_are_all_read(isolated: Path) -> None:
    read, write = os.pipe()
    os.write(write, b"1\n1 2\n1\n1 2\n1\n1 2\n")
    os.close(write)
    with os.fdopen(read, "r") as stdin:
        terminal, screen = exam_terminal(stdin)
        report = run_exam(Where(), [FIXTURE], terminal, questions=3, seed=1)
    assert report.ending == "done" and report.answered == 3


def test_the_exam_result_ends_with_the_score_and_shows_only_tags_missed(
    isolated: Path,
) -> None:
    everything = runner.invoke(app, ["exam", FIXTURE, "--questions", "6", "--seed", "2"],
                               input="1\n1 2\n" * 12)
    out = everything.output
    assert everything.exit_code == 0, out
    assert "· exam-fixture ·" not in out  # the header gives no hint
    result_part = out[out.index("question 6 of 6"):]
    assert result_part.index(" missed ") < result_part.index("score ")  # the score comes last
    assert out.rstrip().splitlines()[-1].strip() == "drill them now: awsquiz review"
    lines = result_part.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["tag", "right"])
    tags = [line.split() for line in lines[start + 1:]]
    tags = tags[:next(i for i, row in enumerate(tags) if not row)]
    assert 1 <= len(tags) <= 5
    assert all(int(right) < int(total) for _, right, total, _ in tags)  # only tags with misses


@pytest.mark.parametrize("picked", [["SSE-S3"], ["SSE-S3", "SSE-KMS", "TLS 1.3"]])
def test_a_select_two_needs_two_picks(picked: list[str]) -> None:
    from awsquiz.session.grading import Unreadable, check_count

    with pytest.raises(Unreadable, match="pick 2"):
        check_count(picked, 2)
    check_count(picked[:1] + ["SSE-KMS"], 2)


def test_timed_lines_keep_what_a_pipe_gave_and_time_out_without_a_whole_line() -> None:
    from awsquiz.ui.timed_input import TimedLines

    read, write = os.pipe()
    try:
        os.write(write, "1\nSSE-S3, é\npart".encode())
        lines = TimedLines(read)
        assert lines.read(1) == "1\n"
        assert lines.read(1) == "SSE-S3, é\n"  # the second line of the same chunk
        with pytest.raises(TimeoutError):
            lines.read(0.05)  # "part" has no Enter yet
        os.write(write, b"ial\n")
        assert lines.read(1) == "partial\n"
        os.close(write)
        write = -1
        assert lines.read(1) == ""  # the end of input
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)
