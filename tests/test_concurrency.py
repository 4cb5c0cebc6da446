"""Two study sessions at once on one progress folder lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from awsquiz.store.snapshot import SNAPSHOT_VERSION
from awsquiz.store.store import Store
from awsquiz.system.files import unsealed
from test_crash import FEEDBACK, write_deck

ANSWERS = 50


@pytest.mark.parametrize("machines", [("test", "test"), ("desk", "laptop")],
                         ids=["one log", "two logs"])
def test_two_sessions_at_once_keep_every_answer(
    tmp_path: Path, isolated: Path, machines: tuple[str, str]
) -> None:
    deck = write_deck(tmp_path)  # 60 choice cards
    sessions = [
        subprocess.Popen(
            [sys.executable, "-m", "awsquiz", "study", str(deck), "--all", "--new", "100",
             "--seed", str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, AWSQUIZ_MACHINE=machine),
        )
        for seed, machine in enumerate(machines)
    ]
    # Both are started before either gets its answers, so their answering overlaps.
    script = b"1\n" * ANSWERS + b"q\n"
    results = [session.communicate(script, timeout=120) for session in sessions]
    for session, (out, err) in zip(sessions, results, strict=True):
        assert session.returncode == 0, err.decode()
        assert sum(out.count(marker) for marker in FEEDBACK) == ANSWERS
        assert f"answered {ANSWERS} ".encode() in out

    logs = sorted(isolated.glob("reviews-*.jsonl"))
    assert [log.name for log in logs] == sorted({f"reviews-{m}.jsonl" for m in machines})
    records = [json.loads(line) for log in logs for line in log.read_bytes().splitlines()]
    assert len(records) == 2 * ANSWERS
    assert len({record["id"] for record in records}) == 2 * ANSWERS
    for machine in set(machines):
        snapshot = json.loads(
            unsealed((isolated / f"snapshot-{machine}.json").read_bytes()) or b""
        )
        assert snapshot["version"] == SNAPSHOT_VERSION

    warnings: list[str] = []
    store = Store.open(isolated, machine=machines[0], warn=warnings.append)
    assert not warnings
    assert len(store.reviews()) == 2 * ANSWERS
    for machine in set(machines):
        (isolated / f"snapshot-{machine}.json").unlink()
    rebuilt = Store.open(isolated, machine=machines[0])
    assert store.progress == rebuilt.progress
