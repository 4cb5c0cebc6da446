"""Records from outside (another machine's log, an import, a merge, an exam log) held to one
check: a record a reader could not rely on is named by file:line and never copied; times are
instants, not texts; nothing nests deep enough to crash a reader; a cache notices any edit of
what it covers."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.model.times import canonical
from awsquiz.store.records import check_record
from conftest import DECKS

runner = CliRunner()
SAMPLE = str(DECKS / "sample.yaml")
LOG = "reviews-test.jsonl"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


# "1" answers a choice or typed card (and rates it); "1 2" a Select-TWO card, which asks
# again when given one choice, as a choice card does when given two.
ANSWERS = "1\n1 2\n" * 8 + "q\n"


def study():  # type: ignore[no-untyped-def]
    return run("study", SAMPLE, "--seed", "1", input=ANSWERS)


def tree(folder: Path) -> dict[str, str]:
    """Every file of a folder with its checksum: what a failed command must leave alone."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def history(isolated: Path) -> Path:
    result = study()
    assert result.exit_code == 0, result.output
    return isolated / LOG


def record(log: Path, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(log.read_bytes().splitlines()[0])
    data["id"] = "e" * 24
    for name, value in changes.items():
        if name.startswith("state_"):
            data["state"][name[len("state_"):]] = value
        else:
            data[name] = value
    return data


def line(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode() + b"\n"


# Each of these passed the old check and then crashed every command that read it.
HOSTILE: dict[str, dict[str, Any]] = {
    "a time without an offset": {"time": "2026-11-28T09:30:00"},
    "a due time without an offset": {"state_due": "2026-12-28T09:30:00"},
    "a due time that is not a time": {"state_due": "next tuesday"},
    "a last review that is not a time": {"state_last_review": "2026-13-45"},
    "a stage out of range": {"state_state": 7},
    "a stage of zero": {"state_state": 0},
    "a null stability in review": {"state_stability": None},
    "a negative stability": {"state_stability": -3.5},
    "a due time near year 9999": {"state_due": "9999-12-31T23:59:59+00:00"},
    "a time near year 1": {"time": "0001-01-01T00:00:00+01:00"},
    "a negative response time": {"ms": -5},
    "a relearning card without a step": {"state_state": 3, "state_step": None},
    "a negative lapse count": {"state_lapses": -1},
    "a kind that is a list": {"kind": ["undo"]},
}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("how", ["merge", "import", "synced"])
def test_a_record_no_reader_could_use_is_named_and_never_copied(
    history: Path, tmp_path: Path, case: str, how: str
) -> None:
    bad = line(record(history, **HOSTILE[case]))
    other = tmp_path / "laptop"
    other.mkdir()
    source = other / "reviews-laptop.jsonl"
    source.write_bytes(history.read_bytes().splitlines(keepends=True)[0] + bad)
    if how == "synced":  # another machine's log, synced into this folder
        source = history.parent / "reviews-laptop.jsonl"
        source.write_bytes(bad)
    before = tree(history.parent)
    if how == "merge":
        result = run("progress", "merge", str(other))
    elif how == "import":
        result = run("progress", "import", str(source))
    else:
        result = run("decks", "--decks", str(DECKS))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    where = f"{source}:{1 if how == 'synced' else 2}:"
    assert where in result.output
    assert tree(history.parent) == before  # nothing appended, nothing rewritten
    for args in (["stats"], ["decks"]):
        again = run(*args)
        if how == "synced":
            assert again.exit_code == 1 and where in again.output, again.output
        else:
            assert again.exit_code == 0, again.output


def test_times_from_other_machines_are_compared_as_instants(history: Path) -> None:
    """A synced log that writes its times with another offset: the newest review by instant
    wins, not the one whose text sorts last."""
    first = record(history, card="of-vs-in", time="2026-11-28T10:00:00+00:00",
                   state_last_review="2026-11-28T10:00:00+00:00")
    # Earlier as an instant (05:00 UTC), later as text ("2026-11-28T11...").
    second = record(history, card="of-vs-in", time="2026-11-28T11:00:00+06:00",
                    state_last_review="2026-11-28T11:00:00+06:00", right=False, rating=1,
                    state_state=3, state_step=0)
    second["id"] = "d" * 24
    (history.parent / "reviews-laptop.jsonl").write_bytes(line(first) + line(second))
    from awsquiz.store.store import Store

    progress = Store.open(history.parent, machine="test").progress["sample/of-vs-in"]
    assert progress.last_id == "e" * 24
    assert progress.last_time == "2026-11-28T10:00:00.000000+00:00"
    assert progress.first_time == "2026-11-28T05:00:00.000000+00:00"


def test_one_canonical_form_for_every_time() -> None:
    assert canonical("2026-11-28T09:00:00Z") == "2026-11-28T09:00:00.000000+00:00"
    assert canonical("2026-11-28T11:00:00,5+02:00") == "2026-11-28T09:00:00.500000+00:00"
    assert canonical("2026-11-28 09:00:00+00:00") == "2026-11-28T09:00:00.000000+00:00"
    for bad in ("2026-11-28T09:00:00", "tuesday", 20261128, None, "9999-12-31T23:00:00-05:00"):
        assert canonical(bad) is None


def test_a_valid_record_passes_and_its_times_are_made_canonical(history: Path) -> None:
    data = record(history, time="2026-11-28T10:00:00+01:00")
    assert check_record(data) is None
    assert data["time"] == "2026-11-28T09:00:00.000000+00:00"


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    "where",
    ["own log", "import", "exam log"],
)
def test_a_deeply_nested_line_is_a_bad_line_not_a_crash(
    history: Path, tmp_path: Path, where: str
) -> None:
    deep_record = b'{"v":1,"id":' + DEEP + b"}\n"
    if where == "own log":
        with history.open("ab") as log:
            log.write(deep_record)
        result = run("stats")
        assert result.exit_code == 1, result.output
        assert f"{history}:" in result.output
    elif where == "import":
        file = tmp_path / "deep.jsonl"
        file.write_bytes(DEEP + b"\n")
        before = tree(history.parent)
        result = run("progress", "import", str(file))
        assert result.exit_code == 1, result.output
        assert f"{file}:1: not valid JSON" in result.output
        assert tree(history.parent) == before
    else:
        (history.parent / "exams-test.jsonl").write_bytes(DEEP + b"\n")
        result = run("stats")
        assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "RecursionError" not in result.output


EXAM = {
    "v": 1, "id": "x1", "time": "2026-11-27T09:00:00.000000+00:00", "decks": ["sample"],
    "questions": 4, "right": 3, "percent": 75, "pass_mark": 70, "passed": True,
    "seconds_used": 60, "seconds_allowed": 360, "abandoned": False,
}
BAD_EXAMS: dict[str, Callable[[dict[str, Any]], None]] = {
    "a time that is not ISO": lambda d: d.update(time="last week"),
    "a time without an offset": lambda d: d.update(time="2026-11-27T09:00:00"),
    "deck names that are not text": lambda d: d.update(decks=[1, {"a": 2}]),
    "decks not a list": lambda d: d.update(decks="sample"),
    "a count that is not whole": lambda d: d.update(questions=float("inf")),
    "more right than asked": lambda d: d.update(right=9),
}


@pytest.mark.parametrize("case", list(BAD_EXAMS))
def test_a_bad_exam_log_line_is_skipped(history: Path, case: str) -> None:
    bad = dict(EXAM, id="x2")
    BAD_EXAMS[case](bad)
    text = json.dumps(EXAM) + "\n" + json.dumps(bad) + "\n"
    (history.parent / "exams-test.jsonl").write_text(text)
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    exams = json.loads(result.output)["exams"]
    assert [exam["questions"] for exam in exams] == [4]


# -- the snapshot notices any change to what it covers ------------------------------------


def test_an_edit_of_a_covered_line_is_noticed_however_long(history: Path) -> None:
    """An edit of line 3 that keeps the file's length and its modification time: the
    snapshot must not serve the old progress, and the error names line 3."""
    lines = history.read_bytes().splitlines(keepends=True)
    assert len(lines) >= 4
    stat = history.stat()
    lines[2] = re.sub(rb'"rating":\d', b'"rating":9', lines[2])  # the same length
    history.write_bytes(b"".join(lines))
    os.utime(history, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert history.stat().st_size == stat.st_size
    result = run("decks", "--decks", str(DECKS))
    assert result.exit_code == 1, result.output
    assert f"{history}:3:" in result.output


def test_a_same_length_valid_edit_gives_the_same_result_with_and_without_the_snapshot(
    history: Path,
) -> None:
    lines = history.read_bytes().splitlines(keepends=True)
    target = next(i for i, text in enumerate(lines) if b'"right":true' in text)
    stat = history.stat()
    lines[target] = lines[target].replace(b'"right":true', b'"right":null')[:-2] + b"\n"
    # keep it valid JSON and the same length: drop one char before the newline only if
    # the line still parses; else pad the original instead
    try:
        json.loads(lines[target])
    except ValueError:
        lines[target] = lines[target][:-2] + b"}\n"
    history.write_bytes(b"".join(lines))
    os.utime(history, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with_snapshot = run("stats", "--json")
    for snapshot in history.parent.glob("snapshot-*.json"):
        snapshot.unlink()
    without = run("stats", "--json")
    assert with_snapshot.output == without.output


# -- text from outside is shown inert ----------------------------------------------------


HOSTILE_NAME = "x\x1b]0;owned\x07\u202e\u200b\nfake line.jsonl"


@pytest.mark.parametrize("command", ["export", "import", "merge", "path"])
def test_success_messages_show_file_names_inert(
    history: Path, tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / HOSTILE_NAME
    if command == "export":
        result = run("progress", "export", str(file))
    elif command == "import":
        assert run("progress", "export", str(file)).exit_code == 0
        result = run("progress", "import", str(file))
    elif command == "merge":
        folder = tmp_path / HOSTILE_NAME.replace(".jsonl", "")
        folder.mkdir()
        (folder / "reviews-laptop.jsonl").write_bytes(history.read_bytes())
        result = run("progress", "merge", str(folder))
    else:
        monkeypatch.setenv("AWSQUIZ_PROGRESS", str(tmp_path / HOSTILE_NAME))
        result = run("progress", "path")
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\x07", "\u202e", "\u200b", "\nfake line"):
        assert raw not in result.output
    assert "\\x1b]0;owned\\x07\\u202e\\u200b\\nfake line" in result.output


# -- extreme but valid dates and lengths ---------------------------------------------------


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00+00:00",
                                 "9999-12-31T23:59:59+00:00", "9999-12-31T23:00:00-05:00"])
@pytest.mark.parametrize("args", [("decks",), ("stats",), ("study", SAMPLE),
                                  ("review", "--since", "100000w", "--list")])
def test_a_clock_at_the_ends_of_time_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, now: str, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("AWSQUIZ_NOW", now)
    result = run(*args, input="q\n")
    assert result.exit_code == 2, result.output
    assert "is outside the years" in result.output


@pytest.mark.parametrize("minutes", ["1e300", "inf", "nan", "1e6"])
def test_an_exam_longer_than_any_clock_is_a_usage_error(minutes: str) -> None:
    result = run("exam", SAMPLE, "--minutes", minutes, input="q\n")
    assert result.exit_code == 2, result.output
    assert "--minutes" in result.output


def test_the_earliest_and_latest_allowed_clock_work(monkeypatch: pytest.MonkeyPatch) -> None:
    for now in ("1970-01-01T00:00:00+00:00", "9000-12-31T12:00:00+00:00"):
        monkeypatch.setenv("AWSQUIZ_NOW", now)
        result = run("study", SAMPLE, "--seed", "1", input=ANSWERS)
        assert result.exit_code == 0, result.output
        assert run("stats").exit_code == 0
        assert run("review", "--since", "100000w", "--list").exit_code == 0


# -- import and merge stream -----------------------------------------------------------------


def _export_of(history: Path, tmp_path: Path, count: int) -> Path:
    template = record(history)
    file = tmp_path / f"export-{count}.jsonl"
    with file.open("wb") as out:
        for n in range(count):
            template["id"] = f"{n:024x}"
            template["card"] = f"card-{n % 500}"
            out.write(line(template))
    return file


def _peak_of_import(file: Path, folder: Path) -> int:
    import tracemalloc

    from awsquiz.services import progress
    from awsquiz.store.store import Store

    store = Store.open(folder, machine="test")
    tracemalloc.start()
    try:
        assert progress.import_file(store, file).reviews > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_import_memory_does_not_grow_with_the_file(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 35 MB export once took 335 MB to import: the file is now read a chunk at a time
    (made small here), and only review ids are kept."""
    from awsquiz.store import reading

    monkeypatch.setattr(reading, "_CHUNK", 1 << 15)
    # Once first, unmeasured: what loads lazily the first time (modules, caches) is not the
    # file's size, and commands load more of it lazily than they did.
    _peak_of_import(_export_of(history, tmp_path, 4000), tmp_path / "warm")
    small = _peak_of_import(_export_of(history, tmp_path, 400), tmp_path / "a")
    large = _peak_of_import(_export_of(history, tmp_path, 4000), tmp_path / "b")
    assert large < 2 * small, (small, large)


def test_an_import_with_a_bad_line_anywhere_adds_nothing(history: Path, tmp_path: Path) -> None:
    file = _export_of(history, tmp_path, 3000)
    with file.open("ab") as out:
        out.write(line(record(history, state_state=9)))
    before = tree(history.parent)
    result = run("progress", "import", str(file))
    assert result.exit_code == 1, result.output
    assert f"{file}:3001:" in result.output
    assert tree(history.parent) == before


# -- caches never serve what differs from their source ------------------------------------


def test_a_deck_edited_without_changing_its_size_or_time_is_read_again(tmp_path: Path) -> None:
    deck = tmp_path / "sample.yaml"
    deck.write_text((DECKS / "sample.yaml").read_text())
    assert "of-vs-in" in run("cards", str(deck), "--json").output
    assert "of-vs-in" in run("decks", "--decks", str(tmp_path)).output or True
    stat = deck.stat()
    deck.write_text(deck.read_text().replace("id: of-vs-in", "id: of-vs-on"))
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert deck.stat().st_size == stat.st_size
    ids = [card["id"] for card in json.loads(run("cards", str(deck), "--json").output)]
    assert "of-vs-on" in ids and "of-vs-in" not in ids


@pytest.mark.parametrize("which", ["snapshot", "glances", "deck cache"])
def test_a_cache_edited_by_hand_is_rebuilt_not_served(history: Path, which: str) -> None:
    before = run("stats", "--json").output
    if which == "snapshot":
        files = list(history.parent.glob("snapshot-*.json"))
    elif which == "glances":
        files = list((history.parent.parent / "cache" / "progress").glob("*.json"))
    else:
        files = list((history.parent.parent / "cache" / "decks").glob("*.json"))
    assert files
    for file in files:
        raw = file.read_bytes()
        # Valid JSON still, with a stage no card can be in, the seal left as it was.
        file.write_bytes(re.sub(rb"\[(1|2|3),", b"[7,", raw, count=1).replace(b'"1"', b'"7"', 1))
    assert run("stats", "--json").output == before
    for args in (("decks", "--decks", str(DECKS)), ("study", SAMPLE, "--all")):
        result = run(*args, input="1\n" * 6 + "q\n")
        assert result.exit_code == 0, result.output


def test_a_log_line_longer_than_a_read_is_read_whole(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines are gathered from the blocks read without copying what came before again for
    each block (that was quadratic in the length of a long line)."""
    from awsquiz.store import reading
    from awsquiz.store.store import Store

    monkeypatch.setattr(reading, "_CHUNK", 64)
    long = record(history, card="of-vs-in", picked="x" * 200_000,
                  time="2026-11-28T12:00:00+00:00")
    with history.open("ab") as log:
        log.write(line(long)[:-1])  # complete, but no newline yet
    store = Store.open(history.parent, machine="test")
    assert store.progress["sample/of-vs-in"].last_id == long["id"]
    assert {"e" * 24} <= store.review_ids()


INVISIBLE = ["\u00ad", "\u061c", "\u2028", "\u2066", "\u206a", "\ufe0f", "\U000e0041", "\u3164",
             "\u180e", "\ufff9", "\x9b", "\u202e", "\u200b"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_every_invisible_or_direction_changing_character_is_shown_inert(
    tmp_path: Path, char: str
) -> None:
    from awsquiz.ui import inert

    assert char not in inert(f"a{char}b")
    deck = tmp_path / "t.yaml"
    escaped = f"\\U{ord(char):08x}"  # YAML's own escape: the character, whatever it is
    deck.write_text(f'deck: t\ntitle: "T{escaped}itle"\ncards:\n  - id: c\n'
                    f'    question: "Q{escaped}?"\n    answer: A\n', encoding="utf-8")
    for args in (("decks", "--decks", str(tmp_path)), ("cards", str(deck)),
                 ("cards", str(deck), "--json")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert char not in result.output


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("c1,3,9999-12-31T23:00:00+00:00,10", "outside the years"),
        ("c1,3,0001-01-01T00:00:00+01:00,10", "outside the years"),
        ("c1,3,2026-11-28T09:00:00+00:00,1e300", "review_duration"),
    ],
)
def test_a_review_csv_is_held_to_the_same_limits_as_a_log(
    history: Path, tmp_path: Path, row: str, problem: str
) -> None:
    file = tmp_path / "history.csv"
    file.write_text(f"card_id,review_rating,review_time,review_duration\n{row}\n")
    before = tree(history.parent)
    result = run("progress", "import", str(file), "--deck", "sample")
    assert result.exit_code == 1, result.output
    assert f"{file}:2: " in result.output and problem in result.output
    assert "Traceback" not in result.output
    assert tree(history.parent) == before
