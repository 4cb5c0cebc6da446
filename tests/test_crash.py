"""Kill a study session (SIGKILL) at random moments, again and again, in one progress folder:
after every kill the log loads, no answer the learner saw confirmed is missing, and the
snapshot agrees with a rebuild from the log."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from awsquiz.store.store import Store
from conftest import NOW

ROUNDS = 50
CARDS = 400  # enough that every round finds cards to answer, however fast the earlier ones went
FEEDBACK = (" ✓ Right.".encode(), " ✗ The answer is".encode())


def write_deck(folder: Path) -> Path:
    lines = ["deck: crash", "title: Crash test", "cards:"]
    for i in range(CARDS):
        lines += [
            f"  - id: c{i:03d}",
            "    type: choice",
            f"    question: Which letter comes first in question {i}?",
            "    choices: [Alpha, Beta, Gamma]",
            "    answer: Alpha",
            "    explanation: Alpha is first.",
            "    source: https://example.com/",
        ]
    path = folder / "crash.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Session:
    """One `awsquiz study` process with plenty of answers waiting in its pipe."""

    def __init__(self, deck: Path, now: datetime, seed: int, errors: Path) -> None:
        env = dict(os.environ, AWSQUIZ_NOW=now.isoformat())
        self.stderr = open(errors, "wb")  # noqa: SIM115 - closed in finish()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "awsquiz", "study", str(deck), "--all", "--new", "1000",
             "--seed", str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, env=env,
        )
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"1\n" * 3000)  # fits in the pipe: never blocks
        self.proc.stdin.flush()
        self.output = b""
        self.first_card = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := self.proc.stdout.read1(65536):
            self.output += chunk
            if b"card 1 of" in self.output:
                self.first_card.set()
        self.first_card.set()

    def kill(self) -> int:
        self.proc.kill()
        code = self.proc.wait(timeout=30)
        self.reader.join(timeout=30)
        self.stderr.close()
        assert self.proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.close()
        return code

    @property
    def confirmed(self) -> int:
        """Answers whose feedback reached the screen: each was saved before it was shown."""
        return sum(self.output.count(marker) for marker in FEEDBACK)


def check_log_lines(log: Path) -> int:
    """Every line of the log is a whole answer, except torn ones a kill cut short; returns
    how many are torn."""
    data = log.read_bytes() if log.exists() else b""
    torn = 0
    for line in data.split(b"\n"):
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            assert line.startswith(b'{"v":'), f"a damaged line that is not a torn answer: {line!r}"
            torn += 1
            continue
        # Answers are version 1; a leech's automatic suspension is a version 2 mark.
        assert (record["v"], record.get("kind")) in {(1, "study"), (2, "suspend")}, record
        assert record["deck"] == "crash"
    return torn


def open_copy(progress: Path, scratch: Path, *, with_snapshot: bool) -> tuple[Store, list[str]]:
    """Open a copy of the folder as the killed session's machine, so that checking does not
    repair anything the next session should find."""
    if scratch.exists():
        shutil.rmtree(scratch)
    if progress.exists():
        shutil.copytree(progress, scratch)
    if not with_snapshot:
        (scratch / "snapshot-test.json").unlink(missing_ok=True)
    warnings: list[str] = []
    return Store.open(scratch, machine="test", warn=warnings.append), warnings


def test_sigkill_at_random_moments_loses_no_confirmed_answer(
    tmp_path: Path, isolated: Path
) -> None:
    deck = write_deck(tmp_path)
    seed = int(os.environ.get("AWSQUIZ_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    start = datetime.fromisoformat(NOW)
    log = isolated / "reviews-test.jsonl"
    saved = 0
    rounds_with_answers = 0
    started = time.monotonic()
    for round_ in range(ROUNDS):
        where = f"round {round_} (AWSQUIZ_CRASH_SEED={seed})"
        session = Session(deck, start + timedelta(hours=round_), round_, tmp_path / "err.txt")
        if round_ % 5 == 0:
            time.sleep(rng.uniform(0.0, 0.5))  # anywhere: start-up, opening the store, answering
        else:
            assert session.first_card.wait(timeout=30), where
            time.sleep(rng.uniform(0.0, 0.15))  # mid-session
        code = session.kill()
        errors = (tmp_path / "err.txt").read_bytes()
        assert b"Traceback" not in errors, f"{where}: {errors.decode(errors='replace')}"
        if code != -9:  # it ended by itself: only if every card was answered
            assert code == 0, f"{where}: exit {code}"

        torn = check_log_lines(log)
        store, warnings = open_copy(isolated, tmp_path / "copy", with_snapshot=True)
        assert len(warnings) == torn, f"{where}: {warnings}"
        assert all("skipped an incomplete answer" in w for w in warnings), warnings
        reviews = len(store.reviews())
        assert reviews >= saved + session.confirmed, (
            f"{where}: {reviews} answers in the log, expected at least "
            f"{saved} + {session.confirmed} shown as saved"
        )
        saved = reviews
        rounds_with_answers += session.confirmed > 0
        rebuilt, _ = open_copy(isolated, tmp_path / "copy", with_snapshot=False)
        assert store.progress == rebuilt.progress, f"{where}: snapshot and log disagree"

    assert rounds_with_answers >= ROUNDS // 2, "too few kills landed while answering"
    assert saved >= ROUNDS
    assert time.monotonic() - started < 90
