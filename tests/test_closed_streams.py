"""Input that is closed and output that cannot be written: a clean end, never a traceback.
Run as the installed command would be, in a child process with real file descriptors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DECKS

SAMPLE = str(DECKS / "sample.yaml")


def awsquiz(shell_redirect: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = " ".join([f"'{sys.executable}'", "-m", "awsquiz", *args, shell_redirect])
    return subprocess.run(
        ["sh", "-c", f"exec {command}"], capture_output=True, text=True, env=os.environ,
        timeout=60, check=False,
    )


@pytest.mark.parametrize("args", [("study", SAMPLE), ("exam", SAMPLE), ("review",)])
def test_a_closed_stdin_is_the_end_of_input(isolated: Path, args: tuple[str, ...]) -> None:
    result = awsquiz("<&-", *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [("decks",), ("cards",), ("stats",), ("check",)])
def test_output_to_a_full_disk_is_a_clean_error(isolated: Path, args: tuple[str, ...]) -> None:
    result = awsquiz(">/dev/full", *args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: could not write the output: No space left on device" in result.stderr


def test_a_closed_stdout_is_a_clean_error(isolated: Path) -> None:
    result = awsquiz(">&-", "decks")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: could not write the output" in result.stderr
