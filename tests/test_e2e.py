"""The installed console script in a real pseudo-terminal (24 x 100): study, Ctrl-C, quit,
continue where it left off, a review drill and a short exam."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
from pathlib import Path

import pytest

from awsquiz.decks.deck_file import load_deck_file
from awsquiz.model import Card
from conftest import DECKS

pexpect = pytest.importorskip("pexpect")


def _console_script() -> str | None:
    beside = Path(sys.executable).parent / "awsquiz"
    return str(beside) if beside.exists() else shutil.which("awsquiz")


EXE = _console_script()
pytestmark = pytest.mark.skipif(EXE is None, reason="the awsquiz console script is not installed")
SAMPLE = DECKS / "sample.yaml"
EXAM = DECKS / "exam-fixture.yaml"
PROMPT = "› "
BOX = re.compile("[│╭╮╰╯─]")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    assert EXE is not None
    return pexpect.spawn(
        EXE, list(args), dimensions=(24, 100), timeout=30, encoding="utf-8", env=env,
        preexec_fn=_interruptible,
    )


def _interruptible() -> None:
    """Ctrl-C as a learner's terminal has it, however the tests were started: a shell starts
    a background job with SIGINT ignored, which its children inherit (and Python then
    leaves ignored), so that Ctrl-C would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def cards(path: Path) -> dict[str, Card]:
    deck = load_deck_file(path).deck
    assert deck is not None
    return {card.question: card for card in deck.cards}


class Learner:
    """Reads the screen up to each prompt and answers the card it shows, as typed text."""

    def __init__(self, child, deck: Path, wrong: frozenset[str] = frozenset()) -> None:  # type: ignore[no-untyped-def]
        self.child = child
        self.cards = cards(deck)
        self.wrong = wrong  # ids of the cards to answer wrong
        self.screen = ""
        self.shown: list[str] = []  # card ids, in the order answered

    def wait(self) -> str:
        """Wait for the next prompt; the screen since the last one, without styling."""
        self.child.expect(PROMPT)
        self.screen = ANSI.sub("", self.child.before)
        return self.screen

    def card(self) -> Card:
        flat = " ".join(BOX.sub(" ", self.screen).split())  # a long question wraps
        found = [(flat.rfind(" ".join(q.split())), q) for q in self.cards]
        found = [(at, q) for at, q in found if at >= 0]
        assert found, f"no known question on the screen:\n{self.screen}"
        return self.cards[max(found)[1]]

    def answer(self) -> str:
        """Wait for the next card and answer it; returns its id."""
        self.wait()
        return self.answer_shown()

    def answer_shown(self) -> str:
        card = self.card()
        self.shown.append(card.id)
        if card.id not in self.wrong:
            self.child.sendline(", ".join(card.answers))
        elif card.choices:
            self.child.sendline(next(c for c in card.choices if c not in card.answers))
        else:
            self.child.sendline("")  # show the answer, then rate: 1 Again
            self.child.expect("how well did you know it")
            self.child.expect(PROMPT)
            self.child.sendline("1")
        return card.id

    def finish(self) -> tuple[str, int]:
        self.child.expect(pexpect.EOF)
        rest = ANSI.sub("", self.child.before)
        self.child.close()
        return rest, int(self.child.exitstatus)


def logged(progress: Path) -> list[dict[str, object]]:
    log = progress / "reviews-test.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_bytes().splitlines()]


def test_ctrl_c_keeps_every_answer_and_the_next_run_continues(isolated: Path) -> None:
    child = spawn("study", str(SAMPLE), "--seed", "1")
    learner = Learner(child, SAMPLE)
    answered = [learner.answer() for _ in range(3)]
    learner.wait()  # the fourth card is on the screen, waiting for an answer
    child.sendintr()
    rest, code = learner.finish()
    assert code == 130, rest
    assert "Session stopped" in rest and "answered 3" in rest
    assert "every answer is saved" in rest
    assert [r["card"] for r in logged(isolated)] == answered

    child = spawn("study", str(SAMPLE), "--seed", "2")
    again = Learner(child, SAMPLE)
    first = again.wait()
    # Two new cards are left, but they are one classify block's siblings: one a day.
    assert "card 1 of " in first and "· 0 due · 1 new" in first
    again.answer_shown()
    again.answer()
    new_ones = {card.id for card in cards(SAMPLE).values()} - set(answered)
    # The second card is one in its learning steps, from either run.
    assert again.shown[0] in new_ones, "an answered card was shown as new again"
    assert set(again.shown) - set(answered) == {again.shown[0]}, "a sibling was not buried"
    again.wait()
    child.sendline("q")
    rest, code = again.finish()
    assert code == 0, rest
    assert "Session done" in rest and "answered 2" in rest
    assert sorted(r["card"] for r in logged(isolated)) == sorted(answered + again.shown)


def test_q_at_a_prompt_ends_the_session_with_exit_0(isolated: Path) -> None:
    child = spawn("study", str(SAMPLE), "--seed", "1")
    learner = Learner(child, SAMPLE)
    first = learner.answer()
    learner.wait()
    child.sendline("q")
    rest, code = learner.finish()
    assert code == 0, rest
    assert "Session done" in rest and "answered 1" in rest
    assert [r["card"] for r in logged(isolated)] == [first]


def test_a_review_drill_in_a_terminal(isolated: Path) -> None:
    missed = frozenset({"of-vs-in", "patching-control-type"})
    child = spawn("study", str(SAMPLE), "--seed", "1", "--new", "5")
    learner = Learner(child, SAMPLE, wrong=missed)
    for _ in range(5):
        learner.answer()
    learner.wait()
    child.sendline("q")
    rest, code = learner.finish()
    assert code == 0 and "missed 2" in rest, rest

    child = spawn("review", str(SAMPLE), "--seed", "1")
    drill = Learner(child, SAMPLE)
    first = drill.wait()
    assert "card 1 of 2 · round 1" in first
    drill.answer_shown()
    drill.answer()
    rest, code = drill.finish()
    assert code == 0, rest
    assert "Review done" in rest and "every missed card answered right" in rest
    assert sorted(drill.shown) == sorted(missed)
    kinds = [r["kind"] for r in logged(isolated)]
    assert kinds.count("review") == 2


def test_a_short_exam_answered_to_the_end(isolated: Path) -> None:
    child = spawn("exam", str(EXAM), "--questions", "3", "--seed", "1")
    learner = Learner(child, EXAM)
    for _ in range(3):
        learner.answer()
    rest, code = learner.finish()
    assert code == 0, rest
    assert "Exam done" in rest and "score 100% · 3/3 right · PASS" in rest
    exams = (isolated / "exams-test.jsonl").read_bytes().splitlines()
    assert len(exams) == 1 and json.loads(exams[0])["right"] == 3
    assert sorted(r["card"] for r in logged(isolated)) == sorted(learner.shown)


@pytest.mark.parametrize("command", ["decks", "cards"])
def test_hostile_text_in_terminal_tables_is_inert(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(DECKS.parent / "hostile" / "hostile.yaml", folder / "hostile.yaml")
    # Wide enough that `decks` shows its title column.
    child = spawn(command, "--decks", str(folder), env={**os.environ, "COLUMNS": "130"})
    child.expect(pexpect.EOF)
    raw = child.before
    child.close()
    assert child.exitstatus == 0, raw
    # Rich styles the table (SGR only, as NO_COLOR is set); nothing from the deck gets through.
    for sequence in ("\x1b[31m", "\x1b[32m", "\x1b[2J", "\x1b[5m", "\x1b]", "\x1b\\", "\x9b"):
        assert sequence not in raw, f"{sequence!r} from the deck reached the terminal"
    leftover = ANSI.sub("", raw).replace("\r\n", "\n")
    assert not re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f]", leftover), repr(leftover[:400])
    # Cells wrap: look for pieces short enough to stay on one line of a cell.
    if command == "decks":
        pieces = ["\\x1b[31mRED", "cr\\x0dbs\\x08", "bell\\x07"]
    else:  # the question column is there, at 100 columns, with its text escaped
        pieces = ["Q1 [bold]b[/bold]", "\\x1b]52;c;ZXZpbA==\\x07", "over\\x0dwrite"]
    for piece in pieces:
        assert piece in leftover, f"{piece!r} not shown"


def test_an_exam_ends_at_its_deadline_in_a_real_terminal() -> None:
    # Nothing is typed: the deadline alone ends the exam and shows the result.
    child = spawn("exam", str(EXAM), "--questions", "2", "--minutes", "0.02", "--seed", "1")
    child.expect_exact(PROMPT)
    child.expect_exact("Time is up.", timeout=15)
    child.expect_exact("score 0% · 0/2 right")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
