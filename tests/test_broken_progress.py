"""Broken progress folders through the command line: every failure names the file (and line)
and says what to do, exits 1, and leaves the review log byte for byte as it was."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.store.records import LOG_VERSION
from awsquiz.store.snapshot import SNAPSHOT_VERSION
from awsquiz.system.files import unsealed
from conftest import DECKS

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")
LOG = "reviews-test.jsonl"
SNAPSHOT = "snapshot-test.json"
FIX_HINT = "fix or delete that line (keep a copy first)"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


# "1" answers a choice or typed card (and rates it); "1 2" a Select-TWO card, which asks
# again when given one choice, as a choice card does when given two.
ANSWERS = "1\n1 2\n" * 8 + "q\n"


def study(input: str = ANSWERS):  # type: ignore[no-untyped-def]
    return run("study", SAMPLE, "--seed", "1", input=input)


def listing():  # type: ignore[no-untyped-def]
    return run("decks", "--decks", str(DECKS))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sample_row(output: str) -> list[str]:
    return next(line for line in output.splitlines() if line.startswith("sample ")).split()


@pytest.fixture
def history(isolated: Path) -> Path:
    """A progress folder with a few real answers in its log (and a snapshot of them)."""
    result = study()
    assert result.exit_code == 0, result.output
    log = isolated / LOG
    assert len(log.read_bytes().splitlines()) >= 4
    return log


def good_record(log: Path) -> dict[str, object]:
    return json.loads(log.read_bytes().splitlines()[0])  # type: ignore[no-any-return]


def with_field(log: Path, **changes: object) -> bytes:
    record = good_record(log)
    record.update(changes)
    record["id"] = "f" * 24
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


BAD_LINES: dict[str, tuple[Callable[[Path], bytes], str, str]] = {
    "garbage": (lambda log: b"this is not json\n", "not valid JSON (the line is damaged)",
                FIX_HINT),
    "half a brace": (lambda log: b"}{\n", "not valid JSON", FIX_HINT),
    "rating as text": (lambda log: with_field(log, rating="good"),
                       'field "rating" should be 1, 2, 3 or 4', FIX_HINT),
    "state not an object": (lambda log: with_field(log, state=[1, 2]),
                            'field "state" should be an object', FIX_HINT),
    "time not a time": (lambda log: with_field(log, time="yesterday"),
                        "field \"time\" is not an ISO 8601 time: 'yesterday'", FIX_HINT),
    "a list, not a record": (lambda log: b"[1, 2, 3]\n",
                             "not a review record (expected a JSON object)", FIX_HINT),
    "response time not a number": (lambda log: with_field(log, ms=float("nan")),
                                   'field "ms" should be a number', FIX_HINT),
    "newer version": (
        lambda log: with_field(log, v=LOG_VERSION + 1),
        f"written by a newer awsquiz (log format version {LOG_VERSION + 1}; "
        f"this version reads up to {LOG_VERSION})",
        "upgrade awsquiz",
    ),
}


@pytest.mark.parametrize("command", ["decks", "study"])
@pytest.mark.parametrize("case", list(BAD_LINES))
def test_a_bad_line_stops_the_command_naming_file_and_line(
    history: Path, case: str, command: str
) -> None:
    make, problem, hint = BAD_LINES[case]
    lines = history.read_bytes().splitlines(keepends=True)
    history.write_bytes(b"".join(lines) + make(history) + lines[0])
    bad_line = len(lines) + 1
    before = sha(history)
    result = run(command, SAMPLE) if command == "study" else listing()
    assert result.exit_code == 1, result.output
    assert f"error: {history}:{bad_line}: {problem}" in result.output
    assert hint in result.output and "the file was not changed" in result.output
    assert "card 1 of" not in result.output and "Traceback" not in result.output
    assert sha(history) == before


def test_a_bad_line_inside_the_history_is_found_without_a_snapshot(history: Path) -> None:
    lines = history.read_bytes().splitlines(keepends=True)
    lines[1] = b"#@!garbage\n"
    history.write_bytes(b"".join(lines))
    (history.parent / SNAPSHOT).unlink()
    before = sha(history)
    result = listing()
    assert result.exit_code == 1
    assert f"{history}:2: not valid JSON (the line is damaged)" in result.output
    assert sha(history) == before


def test_a_bad_line_in_another_machines_log_names_that_file(history: Path) -> None:
    other = history.parent / "reviews-laptop.jsonl"
    other.write_bytes(history.read_bytes()[:0] + with_field(history, v=7))
    before = sha(other), sha(history)
    result = study("q\n")
    assert result.exit_code == 1
    assert f"{other}:1: written by a newer awsquiz (log format version 7" in result.output
    assert (sha(other), sha(history)) == before


def test_a_torn_last_answer_is_skipped_with_a_warning_and_kept(history: Path) -> None:
    whole = history.read_bytes()
    last = whole.splitlines(keepends=True)[-1]
    torn = whole[: -len(last)] + last[: len(last) // 2]
    history.write_bytes(torn)
    count = len(torn.splitlines())
    shown = listing()
    assert shown.exit_code == 0, shown.output
    assert f"warning: {history}:{count}: skipped an incomplete answer" in shown.output
    assert history.read_bytes() == torn
    again = study()
    assert again.exit_code == 0, again.output
    data = history.read_bytes()
    assert data.startswith(torn + b"\n")  # never rewritten; the next answer on a fresh line
    # The session's clock moves with real time, so whether a card lapsed often enough to be
    # suspended as a leech (a mark, not an answer) depends on how fast it ran: only the line
    # right after the torn one is sure to be an answer.
    added = [json.loads(line) for line in data[len(torn) + 1 :].splitlines()]
    assert added[0]["v"] == 1 and added[0]["kind"] == "study"


@pytest.mark.parametrize(
    "spoil",
    [b"", b"{not json", b'{"version": 99, "logs": {}, "cards": {}}', b"[]", b"\x00" * 64],
    ids=["empty", "truncated", "other version", "not an object", "zeros"],
)
def test_a_corrupt_snapshot_is_rebuilt_from_the_log(history: Path, spoil: bytes) -> None:
    snapshot = history.parent / SNAPSHOT
    before = sample_row(listing().output)
    snapshot.write_bytes(spoil)
    result = study("q\n")  # opens the store: the cache is rebuilt from the log
    assert result.exit_code == 0, result.output
    rebuilt = json.loads(unsealed(snapshot.read_bytes()) or b"")
    assert rebuilt["version"] == SNAPSHOT_VERSION
    assert rebuilt["logs"][LOG]["offset"] == history.stat().st_size
    assert sample_row(listing().output) == before


# The folder cannot be read or written (we run as root in CI: the refusals are simulated) ----


def _in(folder: Path, target: object) -> bool:
    try:
        return os.path.abspath(os.fspath(target)).startswith(str(folder))  # type: ignore[arg-type]
    except TypeError:
        return False


def test_an_unreadable_progress_folder_is_an_error_not_empty_progress(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = history.parent
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if _in(folder, path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    for args in (["decks", "--decks", str(DECKS)], ["study", SAMPLE]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert f"{folder}: could not list the progress folder: Permission denied" in result.output
        assert "make the folder writable" in result.output
        assert "card 1 of" not in result.output


def test_an_unreadable_log_is_an_error(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_open = builtins.open
    # No snapshot and no cached glances: the log itself must be read.
    (history.parent / SNAPSHOT).unlink()
    shutil.rmtree(history.parent.parent / "cache" / "progress")

    def refuse(file: object, *args: object, **kwargs: object) -> object:
        if _in(history, file):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", refuse)
    result = listing()
    assert result.exit_code == 1, result.output
    assert f"{history}: could not read the review log: Permission denied" in result.output


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        (errno.EACCES, "make the folder writable, or keep progress elsewhere"),
        (errno.EROFS, "make the folder writable, or keep progress elsewhere"),
        (errno.ENOSPC, "free some disk space"),
    ],
)
def test_a_session_that_cannot_save_says_so_before_the_first_card(
    history: Path, monkeypatch: pytest.MonkeyPatch, code: int, hint: str
) -> None:
    folder = history.parent
    real_open = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND

    def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if _in(folder, path) and flags & writing:
            raise OSError(code, os.strerror(code), os.fspath(path))  # type: ignore[arg-type]
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    before = sha(history)
    shown = listing()  # reading still works
    assert shown.exit_code == 0, shown.output
    result = study()
    assert result.exit_code == 1, result.output
    assert f"error: {history}: answers could not be saved: {os.strerror(code)}" in result.output
    assert hint in result.output
    assert "card 1 of" not in result.output
    assert sha(history) == before


def test_a_nearly_full_disk_is_reported_before_the_first_card(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.statvfs(history.parent)

    class Full:
        f_bavail = 3
        f_frsize = real.f_frsize

    monkeypatch.setattr(os, "statvfs", lambda path: Full())
    before = sha(history)
    result = study()
    assert result.exit_code == 1, result.output
    assert "answers could not be saved: the disk is full" in result.output
    assert "free some disk space" in result.output and "card 1 of" not in result.output
    assert sha(history) == before


def test_a_disk_that_fills_up_mid_session_stops_it_with_nothing_half_written(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write

    def write(fd: int, data: object) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target.startswith(str(history.parent)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)  # type: ignore[arg-type]

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the log's writes from others")
    monkeypatch.setattr(os, "write", write)
    before = sha(history)
    result = study()
    assert result.exit_code == 1, result.output
    assert "card 1 of" in result.output  # the session had started
    assert f"{history}: could not save the answer: No space left on device" in result.output
    assert "free some disk space" in result.output
    assert "✓ Right" not in result.output and "✗" not in result.output  # no unsaved feedback
    assert sha(history) == before


def test_a_progress_path_that_is_a_file(isolated: Path) -> None:
    isolated.parent.mkdir(parents=True, exist_ok=True)
    isolated.write_bytes(b"not a folder")
    for args in (["decks", "--decks", str(DECKS)], ["study", SAMPLE]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert f"{isolated}: the progress folder is a file, not a folder" in result.output
    assert isolated.read_bytes() == b"not a folder"


def test_numbers_beyond_64_bits_in_a_log_are_read_and_cached_without_a_traceback(
    history: Path,
) -> None:
    """The log's lines are read by orjson where it can, by the json module where it cannot
    (NaN, or numbers beyond 64 bits, which orjson reads as floats); caches are written by
    orjson, which refuses such numbers, so the json module writes them instead."""
    record = good_record(history)
    record.update(id="b" * 24, card="of-vs-in", time="2026-11-28T09:30:00.000000+00:00")
    record["state"]["stability"] = 10**30  # kept in the snapshot and the cached glances
    record["state"]["reps"] = 10**20  # orjson reads a float: the json module reads the line
    with history.open("ab") as log:
        log.write(json.dumps(record, separators=(",", ":")).encode() + b"\n")
    for _ in range(2):
        result = listing()
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
    assert study("q\n").exit_code == 0
