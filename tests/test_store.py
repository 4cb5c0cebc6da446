"""The review log and snapshot on disk: what a learner would notice if they broke."""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsquiz.errors import AwsquizError
from awsquiz.model import CardState, Rating, Review
from awsquiz.store import reading as store_module
from awsquiz.store.logfiles import machine_name, new_review_id
from awsquiz.store.records import LOG_VERSION, dumps_review
from awsquiz.store.snapshot import SNAPSHOT_VERSION
from awsquiz.store.store import Store
from awsquiz.system.files import sealed, unsealed

TORN = "skipped an incomplete answer (the program stopped while saving it)"


def make_review(
    card: str = "c1",
    minute: int = 0,
    *,
    deck: str = "srm",
    rating: Rating = Rating.GOOD,
    review_id: str | None = None,
    picked: tuple[str, ...] | str | None = None,
) -> Review:
    rid = review_id or new_review_id()
    state = CardState(
        state=2,
        step=None,
        stability=1.5 + minute,
        difficulty=5.0,
        due=f"2026-12-{1 + minute % 28:02d}T09:00:00.000000+00:00",
        last_review=f"2026-11-28T09:{minute % 60:02d}:00.000000+00:00",
        reps=minute,
        lapses=0,
    )
    return Review(
        id=rid,
        deck=deck,
        card=card,
        time=f"2026-11-28T{9 + minute // 60:02d}:{minute % 60:02d}:00.000000+00:00",
        rating=rating,
        right=rating is not Rating.AGAIN,
        picked=picked,
        ms=1500,
        state=state,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path, machine: str = "a") -> dict:
    return json.loads(unsealed((folder / f"snapshot-{machine}.json").read_bytes()) or b"")


def fill(folder: Path, count: int, machine: str = "a", cards: int = 5) -> Store:
    store = Store.open(folder, machine=machine)
    for n in range(count):
        store.append(make_review(f"c{n % cards}", n))
    return store


# -- round trip, snapshot, catch-up --------------------------------------------------------


def test_answers_survive_reopening_with_and_without_the_snapshot(tmp_path: Path) -> None:
    store = fill(tmp_path, 12, cards=4)
    newest = make_review("c1", 99, rating=Rating.AGAIN)
    store.append(newest)
    assert store.progress["srm/c1"].last_id == newest.id
    assert store.progress["srm/c1"].missed
    store.save_snapshot()

    again = Store.open(tmp_path, machine="a")
    assert again.progress == store.progress
    assert not again.rebuilt
    (tmp_path / "snapshot-a.json").unlink()
    rebuilt = Store.open(tmp_path, machine="a")
    assert rebuilt.progress == store.progress
    assert rebuilt.progress["srm/c1"].state == newest.state
    assert rebuilt.progress["srm/c1"].first_time == "2026-11-28T09:01:00.000000+00:00"


def test_answers_after_the_last_snapshot_are_not_lost(tmp_path: Path) -> None:
    store = fill(tmp_path, 3)
    store.save_snapshot()
    late = make_review("late", 50)
    store.append(late)  # then the program is killed: no save_snapshot
    reopened = Store.open(tmp_path, machine="a")
    assert reopened.progress["srm/late"].last_id == late.id
    assert reopened.progress == store.progress


def test_open_reads_only_what_the_logs_gained_since_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(tmp_path, 200).save_snapshot()
    late = make_review("late", 300)
    Store.open(tmp_path, machine="a").append(late)
    parsed: list[bytes] = []
    real = store_module.parse_records

    def spy(path, data, offset, warn, *rest):  # type: ignore[no-untyped-def]
        parsed.append(data)
        return real(path, data, offset, warn, *rest)

    monkeypatch.setattr(store_module, "parse_records", spy)
    reopened = Store.open(tmp_path, machine="a")
    assert parsed == [dumps_review(late)]
    assert reopened.progress["srm/late"].last_id == late.id
    assert len(reopened.progress) == 6


def test_snapshot_never_claims_answers_it_did_not_read(tmp_path: Path) -> None:
    """Another session of the same machine appends while this one is open."""
    first = fill(tmp_path, 3)
    other = Store.open(tmp_path, machine="a")
    theirs = make_review("theirs", 40)
    other.append(theirs)
    first.save_snapshot()  # must catch up with `theirs` before writing
    assert first.progress["srm/theirs"].last_id == theirs.id
    assert Store.open(tmp_path, machine="a").progress["srm/theirs"].last_id == theirs.id
    size = (tmp_path / "reviews-a.jsonl").stat().st_size
    assert snapshot(tmp_path)["logs"]["reviews-a.jsonl"]["offset"] == size


def _spoil_version(folder: Path) -> None:
    data = snapshot(folder)
    data["version"] = SNAPSHOT_VERSION + 1
    data["cards"] = {}
    (folder / "snapshot-a.json").write_bytes(sealed(json.dumps(data).encode()))


def _spoil_shape(folder: Path) -> None:
    data = snapshot(folder)
    data["cards"]["srm/c0"] = {"state": "nonsense"}
    (folder / "snapshot-a.json").write_bytes(sealed(json.dumps(data).encode()))


def _spoil_json(folder: Path) -> None:
    path = folder / "snapshot-a.json"
    path.write_bytes(path.read_bytes()[:-40])


def _spoil_missing(folder: Path) -> None:
    (folder / "snapshot-a.json").unlink()


@pytest.mark.parametrize(
    "spoil", [_spoil_missing, _spoil_json, _spoil_shape, _spoil_version], ids=lambda f: f.__name__
)
def test_a_bad_snapshot_is_rebuilt_from_the_log(tmp_path: Path, spoil) -> None:  # type: ignore[no-untyped-def]
    store = fill(tmp_path, 20)
    store.save_snapshot()
    expected = dict(store.progress)
    spoil(tmp_path)
    reopened = Store.open(tmp_path, machine="a")
    assert reopened.rebuilt
    assert reopened.progress == expected
    # and the cache is good again
    assert Store.open(tmp_path, machine="a").progress == expected
    assert not Store.open(tmp_path, machine="a").rebuilt


def test_snapshot_of_a_replaced_log_is_not_trusted(tmp_path: Path) -> None:
    """A syncer restores another log of the same length: the head no longer matches."""
    fill(tmp_path, 10).save_snapshot()
    log = tmp_path / "reviews-a.jsonl"
    other = tmp_path / "elsewhere"
    replacement = fill(other, 10, cards=3)
    replacement_bytes = (other / "reviews-a.jsonl").read_bytes()
    assert len(replacement_bytes) == log.stat().st_size
    log.write_bytes(replacement_bytes)
    reopened = Store.open(tmp_path, machine="a")
    assert reopened.rebuilt
    assert reopened.progress == replacement.progress


def test_snapshot_of_a_longer_log_is_not_trusted(tmp_path: Path) -> None:
    """The log is shorter than the snapshot says (an older copy came back)."""
    store = fill(tmp_path, 4)
    log = tmp_path / "reviews-a.jsonl"
    older = log.read_bytes()
    expected = dict(store.progress)
    store.append(make_review("gone", 30))
    store.save_snapshot()
    log.write_bytes(older)
    reopened = Store.open(tmp_path, machine="a")
    assert "srm/gone" not in reopened.progress
    assert reopened.progress == expected


def test_snapshot_of_a_log_that_disappeared_is_not_trusted(tmp_path: Path) -> None:
    fill(tmp_path, 3)
    b = fill(tmp_path, 2, machine="b", cards=2)
    other_card = make_review("only-b", 20)
    b.append(other_card)
    Store.open(tmp_path, machine="a").save_snapshot()
    (tmp_path / "reviews-b.jsonl").unlink()
    assert "srm/only-b" not in Store.open(tmp_path, machine="a").progress


def test_snapshot_covering_part_of_a_log_catches_up_without_a_rebuild(tmp_path: Path) -> None:
    """A log that grew since the snapshot is caught up from where it was, its checksum
    continued over the new lines (the checksum covers every covered byte)."""
    log = tmp_path / "reviews-a.jsonl"
    log.write_bytes(dumps_review(make_review("torn", 0))[:50] + b"\n")
    Store.open(tmp_path, machine="a").save_snapshot()
    assert snapshot(tmp_path)["logs"]["reviews-a.jsonl"]["offset"] == 51
    later = make_review("y", 2)
    Store.open(tmp_path, machine="a").append(later)
    reopened = Store.open(tmp_path, machine="a")
    assert not reopened.rebuilt
    assert set(reopened.progress) == {"srm/y"}
    reopened.save_snapshot()
    entry = snapshot(tmp_path)["logs"]["reviews-a.jsonl"]
    assert entry["offset"] == log.stat().st_size
    assert entry["crc"] == zlib.crc32(log.read_bytes())
    assert not Store.open(tmp_path, machine="a").rebuilt


# -- torn lines -----------------------------------------------------------------------------


def test_torn_last_line_is_skipped_with_a_warning_and_the_next_answer_starts_fresh(
    tmp_path: Path,
) -> None:
    store = fill(tmp_path, 2, cards=2)
    log = tmp_path / "reviews-a.jsonl"
    size_before = log.stat().st_size
    torn = dumps_review(make_review("torn", 10))[:77]
    with open(log, "ab") as handle:
        handle.write(torn)

    warnings: list[str] = []
    crashed = Store.open(tmp_path, machine="a", warn=warnings.append)
    assert warnings == [f"{log}:3: {TORN}"]
    assert "srm/torn" not in crashed.progress
    assert crashed.progress == store.progress
    crashed.save_snapshot()
    assert snapshot(tmp_path)["logs"]["reviews-a.jsonl"]["offset"] == size_before

    after = make_review("after", 11)
    crashed.append(after)
    assert log.read_bytes().endswith(torn + b"\n" + dumps_review(after))

    warnings.clear()
    caught_up = Store.open(tmp_path, machine="a", warn=warnings.append)
    assert warnings == [f"{log}:3: {TORN}"]
    assert caught_up.progress["srm/after"].last_id == after.id
    (tmp_path / "snapshot-a.json").unlink()
    warnings.clear()
    rebuilt = Store.open(tmp_path, machine="a", warn=warnings.append)
    assert warnings == [f"{log}:3: {TORN}"]
    assert rebuilt.progress == caught_up.progress
    assert [r.card for r in rebuilt.reviews()] == ["c0", "c1", "after"]
    assert len(warnings) == 1  # reading the log again does not repeat the warning


def test_a_cut_anywhere_in_an_answer_is_a_torn_line(tmp_path: Path) -> None:
    review = make_review("odd}card", 5, picked=('a "quoted" }', "back\\slash", "caf\u00e9 \u2713"))
    line = dumps_review(review)
    good = dumps_review(make_review("c0", 0))
    for cut in range(len(line) - 1):  # every prefix, without its newline
        folder = tmp_path / str(cut)
        folder.mkdir()
        (folder / "reviews-a.jsonl").write_bytes(good + line[:cut])
        warnings: list[str] = []
        store = Store.open(folder, machine="a", warn=warnings.append)
        assert set(store.progress) == {"srm/c0"}, cut
        if cut:
            assert warnings == [f"{folder / 'reviews-a.jsonl'}:2: {TORN}"], cut


def test_complete_last_answer_missing_only_its_newline_is_kept(tmp_path: Path) -> None:
    log = tmp_path / "reviews-a.jsonl"
    first = make_review("c0", 0)
    log.write_bytes(dumps_review(first)[:-1])
    store = Store.open(tmp_path, machine="a")
    assert store.progress["srm/c0"].last_id == first.id
    second = make_review("c1", 1)
    store.append(second)
    assert log.read_bytes() == dumps_review(first) + dumps_review(second)
    reopened = Store.open(tmp_path, machine="a")
    assert [r.id for r in reopened.reviews()] == [first.id, second.id]


# -- bad lines stop everything and change nothing ------------------------------------------


def _record(**changes: object) -> bytes:
    data = dict(make_review("bad", 7).to_dict(LOG_VERSION))
    data.update(changes)
    return json.dumps(data, separators=(",", ":")).encode() + b"\n"


BAD_LINES = {
    "garbage": (b"hello, this is not JSON\n", "not valid JSON"),
    "not-utf8": (b'\xff\xfe{"v":1}\n', "not valid JSON"),
    "damaged-json": (b'{"v":1,"id":"x",,"deck":"d"}\n', "not valid JSON"),
    "not-an-object": (b"[1, 2, 3]\n", "not a review record"),
    "rating-as-text": (_record(rating="3"), '"rating"'),
    "rating-out-of-range": (_record(rating=7), '"rating"'),
    "missing-state": (
        json.dumps({k: v for k, v in json.loads(_record()).items() if k != "state"}).encode()
        + b"\n",
        '"state"',
    ),
    "state-due-number": (
        _record(state={**make_review().state.to_dict(), "due": 5}),
        '"state.due"',
    ),
    "picked-number": (_record(picked=[1, 2]), '"picked"'),
    "time-not-a-time": (_record(time="yesterday"), '"time"'),
    "newer-version": (_record(v=LOG_VERSION + 1), "newer awsquiz"),
}


@pytest.mark.parametrize("name", sorted(BAD_LINES))
def test_a_bad_line_stops_with_file_and_line_and_changes_nothing(
    tmp_path: Path, name: str
) -> None:
    bad, what = BAD_LINES[name]
    log = tmp_path / "reviews-a.jsonl"
    log.write_bytes(dumps_review(make_review("c0", 0)) + bad + dumps_review(make_review("c1", 1)))
    before = sha(log)
    with pytest.raises(AwsquizError) as caught:
        Store.open(tmp_path, machine="a")
    assert caught.value.message.startswith(f"{log}:2: ")
    assert what in caught.value.message
    assert caught.value.hint
    if name == "newer-version":
        assert "upgrade" in caught.value.hint
    assert sha(log) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reviews-a.jsonl"]


def test_lines_written_as_raw_utf8_are_read(tmp_path: Path) -> None:
    """Another tool (or a later version) may write non-ASCII text unescaped."""
    review = make_review("caf\u00e9", 3, picked="\u2713 S\u00e9curit\u00e9")
    text = json.dumps(review.to_dict(LOG_VERSION), ensure_ascii=False) + "\r\n"
    (tmp_path / "reviews-a.jsonl").write_bytes(text.encode("utf-8"))
    assert Store.open(tmp_path, machine="a").reviews() == [review]


def test_a_bad_line_after_the_snapshot_names_its_real_line(tmp_path: Path) -> None:
    store = fill(tmp_path, 5)
    store.save_snapshot()
    snap = sha(tmp_path / "snapshot-a.json")
    log = tmp_path / "reviews-a.jsonl"
    with open(log, "ab") as handle:
        handle.write(dumps_review(make_review("c9", 9)) + _record(v=9))
    before = sha(log)
    with pytest.raises(AwsquizError, match=r"reviews-a\.jsonl:7: written by a newer awsquiz"):
        Store.open(tmp_path, machine="a")
    with pytest.raises(AwsquizError, match=r"reviews-a\.jsonl:7: "):
        store.save_snapshot()
    assert sha(log) == before
    assert sha(tmp_path / "snapshot-a.json") == snap


def test_a_bad_line_in_another_machines_log_is_reported_too(tmp_path: Path) -> None:
    fill(tmp_path, 2)
    other = tmp_path / "reviews-laptop.jsonl"
    other.write_bytes(b"\x00\x01 binary junk\n")
    with pytest.raises(AwsquizError, match=r"reviews-laptop\.jsonl:1: not valid JSON"):
        Store.open(tmp_path, machine="a")


# -- write errors ---------------------------------------------------------------------------


def _failing(code: int, target: str = "write"):  # type: ignore[no-untyped-def]
    real = getattr(os, target)

    def fail(fd, *args):  # type: ignore[no-untyped-def]
        if target == "write" and b'"v":' not in bytes(args[0]):
            return real(fd, *args)
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("target", "code", "words"),
    [
        ("write", errno.ENOSPC, "No space left on device"),
        ("fsync", errno.EIO, "Input/output error"),
    ],
)
def test_a_failed_save_says_which_file_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, code: int, words: str
) -> None:
    store = fill(tmp_path, 3)
    log = tmp_path / "reviews-a.jsonl"
    before_progress = dict(store.progress)
    monkeypatch.setattr(os, target, _failing(code, target))
    with pytest.raises(AwsquizError) as caught:
        store.append(make_review("lost", 20))
    monkeypatch.undo()
    assert str(log) in caught.value.message
    assert words in caught.value.message
    assert caught.value.hint
    assert store.progress == before_progress
    if target == "write":  # nothing reached the log
        assert set(Store.open(tmp_path, machine="a").progress) == set(before_progress)
    else:  # written but maybe not durable: the message says so, and the log still reads
        assert "reached the disk" in caught.value.message
        assert len(Store.open(tmp_path, machine="a").reviews()) == 4


def test_disk_full_hint_says_to_free_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fill(tmp_path, 1)
    monkeypatch.setattr(os, "write", _failing(errno.ENOSPC))
    with pytest.raises(AwsquizError) as caught:
        store.append(make_review())
    assert "disk space" in caught.value.hint


def test_read_only_folder_is_reported_before_the_session_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fill(tmp_path, 2)
    log = tmp_path / "reviews-a.jsonl"
    real_open = os.open

    def read_only(path, flags, *args):  # type: ignore[no-untyped-def]
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(AwsquizError) as caught:
        store.ensure_writable()
    assert str(log) in caught.value.message
    assert "Read-only file system" in caught.value.message
    assert "--progress" in caught.value.hint
    with pytest.raises(AwsquizError, match="Read-only file system"):
        store.append(make_review())


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_read_only_folder_for_real(tmp_path: Path) -> None:  # pragma: no cover - root in CI
    store = fill(tmp_path, 1)
    (tmp_path / "reviews-a.jsonl").chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(AwsquizError, match="Permission denied"):
            store.ensure_writable()
    finally:
        tmp_path.chmod(0o755)


def test_ensure_writable_passes_on_a_normal_folder(tmp_path: Path) -> None:
    Store.open(tmp_path / "new", machine="a").ensure_writable()


def test_a_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(AwsquizError) as caught:
        Store.open(blocker / "progress", machine="a")
    assert str(blocker / "progress") in caught.value.message
    assert "could not create the progress folder" in caught.value.message
    with pytest.raises(AwsquizError, match="is a file, not a folder"):
        Store.open(blocker, machine="a")


def test_a_snapshot_that_cannot_be_written_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fill(tmp_path, 2)

    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(AwsquizError) as caught:
        store.save_snapshot()
    assert str(tmp_path / "snapshot-a.json") in caught.value.message
    assert "review log" in caught.value.hint
    assert [p.name for p in tmp_path.iterdir()] == ["reviews-a.jsonl"]  # no temp file left


# -- cost of one answer ---------------------------------------------------------------------


def test_append_never_reads_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = fill(tmp_path, 300)
    reads: list[int] = []
    writes: list[int] = []
    real_pread, real_write = os.pread, os.write

    def pread(fd, length, offset):  # type: ignore[no-untyped-def]
        reads.append(length)
        return real_pread(fd, length, offset)

    def write(fd, data):  # type: ignore[no-untyped-def]
        writes.append(len(data))
        return real_write(fd, data)

    def forbidden(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("append read the log")

    monkeypatch.setattr(os, "pread", pread)
    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(store_module, "read_from", forbidden)
    monkeypatch.setattr(store_module, "parse_records", forbidden)
    review = make_review("new", 400)
    store.append(review)
    assert reads == [1]
    assert writes == [len(dumps_review(review))]
    assert store.progress["srm/new"].last_id == review.id


# -- several writers ------------------------------------------------------------------------


def _append_many(folder: str, worker: int) -> None:
    store = Store.open(Path(folder), machine="shared")
    for n in range(50):
        store.append(make_review(f"w{worker}-{n}", n))
        if n % 10 == 9:
            store.save_snapshot()


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(str(tmp_path), w)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    warnings: list[str] = []
    store = Store.open(tmp_path, machine="shared", warn=warnings.append)
    assert len(store.reviews()) == 100
    assert len(store.progress) == 100
    assert warnings == []
    lines = (tmp_path / "reviews-shared.jsonl").read_bytes().splitlines()
    assert len(lines) == 100
    (tmp_path / "snapshot-shared.json").unlink()
    assert Store.open(tmp_path, machine="shared").progress == store.progress


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_append_waits_for_another_writers_lock(tmp_path: Path) -> None:
    import fcntl

    store = fill(tmp_path, 1)
    log = tmp_path / "reviews-a.jsonl"
    before = log.read_bytes()
    review = make_review("late", 5)
    with open(log, "rb") as other_writer:
        fcntl.flock(other_writer.fileno(), fcntl.LOCK_EX)
        saver = threading.Thread(target=store.append, args=(review,))
        saver.start()
        saver.join(0.3)
        assert saver.is_alive()  # blocked on the lock
        assert log.read_bytes() == before
        fcntl.flock(other_writer.fileno(), fcntl.LOCK_UN)
    saver.join(10)
    assert log.read_bytes() == before + dumps_review(review)


def test_every_machines_log_in_the_folder_is_read(tmp_path: Path) -> None:
    a = Store.open(tmp_path, machine="a")
    b = Store.open(tmp_path, machine="b")
    a.append(make_review("shared", 1, review_id="a1"))
    b.append(make_review("shared", 2, review_id="b1", rating=Rating.AGAIN))
    a.append(make_review("only-a", 3))
    a.save_snapshot()
    b.append(make_review("only-b", 4))  # after a's snapshot: a new log tail to catch up

    c = Store.open(tmp_path, machine="c")
    assert set(c.progress) == {"srm/shared", "srm/only-a", "srm/only-b"}
    assert c.progress["srm/shared"].last_id == "b1"
    assert c.progress["srm/shared"].missed
    reopened_a = Store.open(tmp_path, machine="a")
    assert not reopened_a.rebuilt
    assert reopened_a.progress == c.progress
    assert sorted(p.name for p in tmp_path.glob("reviews-*")) == [
        "reviews-a.jsonl",
        "reviews-b.jsonl",
    ]


def test_reviews_are_deduplicated_and_in_time_order(tmp_path: Path) -> None:
    early, late = make_review("x", 1, review_id="r1"), make_review("y", 2, review_id="r2")
    (tmp_path / "reviews-a.jsonl").write_bytes(dumps_review(late) + dumps_review(early))
    (tmp_path / "reviews-b.jsonl").write_bytes(dumps_review(early))
    assert Store.open(tmp_path, machine="a").reviews() == [early, late]


def test_machine_name_comes_from_the_environment_sanitized(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWSQUIZ_MACHINE", "Ana's MacBook.local")
    store = Store.open(tmp_path)
    assert store.log_path == tmp_path / "reviews-ana-s-macbook-local.jsonl"
    monkeypatch.delenv("AWSQUIZ_MACHINE")
    assert machine_name() == machine_name(os.uname().nodename if hasattr(os, "uname") else "")
    assert machine_name("///") == "local"


def test_review_ids_are_unique() -> None:
    ids = {new_review_id() for _ in range(10_000)}
    assert len(ids) == 10_000


# -- property: order and duplicates across logs do not matter ------------------------------

CARDS = ["a", "b", "c"]
review_specs = st.lists(
    st.tuples(st.sampled_from(CARDS), st.integers(0, 5), st.sets(st.integers(0, 2), min_size=1)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(specs=review_specs, data=st.data())
def test_any_interleaving_gives_the_newest_review_per_card(specs, data) -> None:  # type: ignore[no-untyped-def]
    reviews = [
        make_review(card, minute, review_id=f"{i:04x}") for i, (card, minute, _) in enumerate(specs)
    ]
    per_log: dict[int, list[Review]] = {0: [], 1: [], 2: []}
    for review, (_, _, logs) in zip(reviews, specs, strict=True):
        for log in logs:
            per_log[log].append(review)
    orders = {log: data.draw(st.permutations(items)) for log, items in per_log.items()}
    split = data.draw(st.integers(0, len(reviews)))

    newest: dict[str, Review] = {}
    first: dict[str, str] = {}
    for review in reviews:
        key = review.key
        if key not in newest or (review.time, review.id) > (newest[key].time, newest[key].id):
            newest[key] = review
        first[key] = min(first.get(key, review.time), review.time)

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for log, items in orders.items():  # a first part, then a snapshot, then the rest
            (folder / f"reviews-m{log}.jsonl").write_bytes(
                b"".join(dumps_review(r) for r in items[: split % (len(items) + 1)])
            )
        Store.open(folder, machine="m0").save_snapshot()
        for log, items in orders.items():
            with open(folder / f"reviews-m{log}.jsonl", "ab") as handle:
                handle.write(b"".join(dumps_review(r) for r in items[split % (len(items) + 1) :]))
        caught_up = Store.open(folder, machine="m0")
        (folder / "snapshot-m0.json").unlink()
        rebuilt = Store.open(folder, machine="m0")

        for store in (caught_up, rebuilt):
            assert set(store.progress) == set(newest)
            for key, review in newest.items():
                progress = store.progress[key]
                assert (progress.last_id, progress.state) == (review.id, review.state)
                assert progress.first_time == first[key]
        assert rebuilt.reviews() == sorted(reviews, key=lambda r: (r.time, r.id))
