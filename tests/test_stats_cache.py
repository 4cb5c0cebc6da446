"""`awsquiz stats` from its cache of figures: never a different answer from reading the whole
history, on the real history and on random ones, as the logs grow, as the clock moves, and
when the cache is missing, damaged or of another version."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import history
from awsquiz.model import CardState, Rating, Review
from awsquiz.services.stats import gather
from awsquiz.services.stats_history import from_history
from awsquiz.services.where import Where
from awsquiz.store import figures_cache
from awsquiz.store.store import Store
from awsquiz.system import fastjson
from awsquiz.system.paths import iso

HISTORY_NOW = datetime(2024, 10, 7, 9, 0, tzinfo=timezone(timedelta(hours=2)))
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

DECKS = {
    "t.yaml": """\
deck: t
title: Test deck
tags: [tdeck]
cards:
  - id: a
    type: choice
    question: Which S3 encryption option uses KMS keys?
    choices: [SSE-S3, SSE-KMS, SSE-C]
    answer: SSE-KMS
    tags: [kms]
  - id: b
    type: multi
    question: Which are regions?
    choices: [eu-west-1, us-east-1, mars-1]
    answer: [eu-west-1, us-east-1]
    tags: [kms, regions]
  - id: c
    question: C?
    answer: c
""",
    "u.yaml": """\
deck: u
title: Other deck
cards:
  - id: x
    type: choice
    question: X?
    choices: [SSE-S3, SSE-KMS, SSE-C]
    answer: SSE-KMS
""",
}
# Cards of the decks, one gone from its deck, one of a deck that is gone.
KEYS = ("t/a", "t/b", "t/c", "u/x", "t/gone", "old/y")
CHOICES = ("SSE-S3", "SSE-KMS", "SSE-C", "eu-west-1", "us-east-1", "mars-1")


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    for name, text in DECKS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def same(where: Where, now: datetime, selection: tuple[str, ...] = ()) -> None:
    """The report from the cache is the report from the whole history."""
    cached = gather(where, list(selection), now).to_dict()
    full = from_history(where, list(selection), now).to_dict()
    assert cached == full


def how(folder: Path, now: datetime) -> str:
    offset = int((now.utcoffset() or timedelta(0)).total_seconds())
    return figures_cache.load(folder, offset, lambda message: None).how


# -- the real history --------------------------------------------------------------------------


def test_real_history_cached_grown_and_clock_moved(tmp_path: Path) -> None:
    reviews = history.history_reviews()
    decks = tmp_path / "decks"
    decks.mkdir()
    history.write_deck(decks, history.card_ids(reviews))
    folder = tmp_path / "progress"
    store = Store.open(folder, machine="history")
    store.append_many(reviews[:8_000])
    where = Where(deck_dirs=[decks], progress=folder)
    early = datetime.fromisoformat(reviews[7_999].time).astimezone(HISTORY_NOW.tzinfo)
    assert how(folder, early) == "built"

    store.append_many(reviews[8_000:12_000])
    assert how(folder, HISTORY_NOW) == "grown"
    store.append(reviews[12_000])  # one new answer
    same(where, HISTORY_NOW)
    assert how(folder, HISTORY_NOW) == "cached"
    store.append_many(reviews[12_001:])
    for days in (13, 120):  # only the clock moves
        same(where, HISTORY_NOW + timedelta(days=days))
    same(where, HISTORY_NOW + timedelta(days=31), (history.DECK,))
    assert how(folder, HISTORY_NOW) == "cached"
    same(where, HISTORY_NOW.astimezone(UTC))  # another offset: its own cache
    same(where, HISTORY_NOW - timedelta(days=200))  # a clock before the newest review


# -- random histories --------------------------------------------------------------------------


def _review(serial: int, key: str, minute: int, rating: int, stage: int, stability: float,
            picked: int | None) -> Review:
    deck, card = key.split("/")
    when = NOW - timedelta(days=60) + timedelta(minutes=minute)
    return Review(
        id=f"{serial:024x}", deck=deck, card=card, time=iso(when), rating=Rating(rating),
        right=rating > 2 if picked is not None else None,
        picked=None if picked is None else (CHOICES[picked], CHOICES[(picked + 1) % 6]),
        ms=1000 + serial, kind="study",
        state=CardState(stage, None if stage == 2 else 0, stability, 5.0,
                        iso(when + timedelta(days=stability)), iso(when), 1, rating % 3 * 4),
    )


answers = st.lists(
    st.tuples(
        st.sampled_from(KEYS), st.integers(0, 60 * 24 * 61), st.integers(1, 4),
        st.integers(1, 3), st.floats(0.5, 60), st.none() | st.integers(0, 5),
        st.integers(0, 9),  # 0: another machine's log; 1: a copy in both logs
    ),
    max_size=40,
)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=answers, then=answers, days=st.integers(-3, 40),
    offset=st.sampled_from([0, 2 * 60, -(5 * 60 + 30)]), selection=st.sampled_from([(), ("t",)]),
)
def test_random_histories_as_they_grow(
    deck_dir: Path, first: list, then: list, days: int, offset: int,  # type: ignore[type-arg]
    selection: tuple[str, ...],
) -> None:
    now = (NOW + timedelta(days=days)).astimezone(timezone(timedelta(minutes=offset)))
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        where = Where(deck_dirs=[deck_dir], progress=folder)
        stores = [Store.open(folder, machine=m) for m in ("a", "b")]
        serial = 0
        for batch in (first, then):
            for key, minute, rating, stage, stability, picked, log in batch:
                serial += 1
                item = _review(serial, key, minute, rating, stage, stability, picked)
                for index in ((0, 1) if log == 1 else (1,) if log == 0 else (0,)):
                    stores[index].append(item)
            same(where, now, selection)


# -- a cache missing, damaged, of another version, or of logs rewritten -----------------------


def _fill(folder: Path, count: int, start: int = 0) -> Store:
    store = Store.open(folder, machine="test")
    store.append_many(
        _review(start + n, KEYS[n % len(KEYS)], 37 * (start + n), 1 + n % 4, 1 + n % 3,
                1.0 + n % 30, n % 6 if n % 2 else None)
        for n in range(count)
    )
    return store


def _cache_files(folder: Path) -> tuple[Path, Path, Path]:
    return figures_cache._files(folder, 0)


def test_damaged_or_other_version_is_rebuilt(isolated: Path, deck_dir: Path) -> None:
    _fill(isolated, 200)
    where = Where(deck_dirs=[deck_dir])
    same(where, NOW)
    main, recent, ids = _cache_files(isolated)
    assert main.is_file() and recent.is_file() and ids.is_file()
    main.write_bytes(main.read_bytes()[:-40])
    assert how(isolated, NOW) == "built"
    body = main.read_bytes().partition(b"\n")[2]
    doc = fastjson.loads(body)
    doc["version"] = 0
    import zlib

    other = fastjson.dumps(doc)
    main.write_bytes(b"%08x\n" % zlib.crc32(other) + other)
    assert how(isolated, NOW) == "built"
    same(where, NOW)


def test_side_files_missing(isolated: Path, deck_dir: Path) -> None:
    store = _fill(isolated, 200)
    where = Where(deck_dirs=[deck_dir])
    same(where, NOW)
    main, recent, ids = _cache_files(isolated)
    recent.unlink()  # t/gone was answered lately: its deck's retention needs it
    same(where, NOW)
    ids.write_bytes(b"damaged")
    _fill(isolated, 5, start=200)
    assert how(isolated, NOW) == "built"
    store.append(_review(999, "t/a", 61 * 24 * 60, 3, 2, 9.0, 1))
    assert how(isolated, NOW) == "grown"
    same(where, NOW)


def test_the_parts_details_missing_damaged_or_of_other_parts(
    isolated: Path, deck_dir: Path
) -> None:
    """A deck selection and new answers need each deck's tags and confused choices, kept on
    their own: without them, or with those of other parts, the parts are made again."""
    from awsquiz.store import parts_cache

    store = _fill(isolated, 200)
    where = Where(deck_dirs=[deck_dir])
    same(where, NOW)
    details = parts_cache._named(isolated, 0, "details")
    before = details.read_bytes()
    details.unlink()
    same(where, NOW)  # a plain report has what they come to
    same(where, NOW, ("t",))
    # Missed in review, with a wrong choice: t's tags and confused choices change.
    for serial in range(700, 706):
        store.append(_review(serial, "t/a", 59 * 24 * 60 + serial, 1, 2, 3.0, 0))
    same(where, NOW)
    details.write_bytes(before)  # intact, but of the parts before those answers
    same(where, NOW, ("t",))
    details.write_bytes(before[:-10])
    store.append(_review(710, "u/x", 59 * 24 * 60 + 710, 3, 2, 9.0, 0))
    same(where, NOW)
    same(where, NOW, ("t",))


def test_two_ids_with_one_hash_cost_a_sorted_read_never_a_wrong_figure(
    isolated: Path, deck_dir: Path
) -> None:
    """Review ids are known in the cache by a hash of their last hex digits: two different
    ids that share it make the figures be read whole and sorted, first or as the logs grow,
    and the report is still the one the whole history gives."""
    from dataclasses import replace

    store = _fill(isolated, 40)
    where = Where(deck_dirs=[deck_dir])
    same(where, NOW)
    first = _review(900, "t/a", 61 * 24 * 60, 3, 2, 9.0, None)
    store.append(replace(first, id="aa" + "0" * 8 + "1" * 14))
    assert how(isolated, NOW) == "grown"
    store.append(replace(_review(901, "u/x", 61 * 24 * 60 + 5, 1, 2, 4.0, 1),
                         id="bb" + "0" * 8 + "1" * 14))  # another id, the same last digits
    assert how(isolated, NOW) == "sorted"
    same(where, NOW)
    for cache_file in _cache_files(isolated):
        cache_file.unlink(missing_ok=True)
    assert how(isolated, NOW) == "sorted"  # a first read meets them too
    same(where, NOW)


def test_rewritten_or_removed_log_is_read_again(isolated: Path, deck_dir: Path) -> None:
    _fill(isolated, 100)
    where = Where(deck_dirs=[deck_dir])
    same(where, NOW)
    log = isolated / "reviews-test.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[50:]))  # shorter
    assert how(isolated, NOW) == "built"
    log.write_bytes(b"".join(lines[:60]))  # other first bytes, longer
    assert how(isolated, NOW) == "built"
    _fill(isolated / "other", 10, start=500)
    os.replace(isolated / "other" / "reviews-test.jsonl", isolated / "reviews-copy.jsonl")
    assert how(isolated, NOW) == "grown"  # a new log: only it is read
    same(where, NOW)
    (isolated / "reviews-copy.jsonl").unlink()
    assert how(isolated, NOW) == "built"
    same(where, NOW)


def test_an_edit_in_place_then_an_answer_is_noticed_by_the_checksum_worked_out_ahead(
    isolated: Path, deck_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After new answers, the bytes the figures cover are checksummed in a thread while the
    caches are read: an edit of a covered line, of the same length, is still noticed."""
    from awsquiz.store import snapshot

    store = _fill(isolated, 100)
    where = Where(deck_dirs=[deck_dir])
    same(where, NOW)
    ahead: list[int] = []
    real = snapshot.crc_ahead
    monkeypatch.setattr(figures_cache, "crc_ahead",
                        lambda path, length: (ahead.append(length), real(path, length)))
    log = isolated / "reviews-test.jsonl"
    covered = log.stat().st_size
    store.append(_review(800, "t/b", 59 * 24 * 60, 3, 2, 9.0, None))
    same(where, NOW)  # grown from the figures: their bytes checked ahead
    assert ahead == [covered]
    data = bytearray(log.read_bytes())
    at = data.index(b'"ms":1010')
    data[at:at + 9] = b'"ms":9999'  # one review's time spent, in place
    log.write_bytes(bytes(data))
    store.append(_review(801, "t/c", 59 * 24 * 60 + 1, 3, 2, 9.0, None))
    same(where, NOW)
    assert len(ahead) == 2  # the edit is in the time spent the report adds up
    assert snapshot._AHEAD == {}  # every checksum worked out ahead was used


def test_a_copy_of_a_log_counts_once(isolated: Path, deck_dir: Path) -> None:
    _fill(isolated, 120)
    where = Where(deck_dirs=[deck_dir])
    same(where, NOW)
    log = isolated / "reviews-test.jsonl"
    (isolated / "reviews-test-copy.jsonl").write_bytes(log.read_bytes())  # a sync's copy
    assert how(isolated, NOW) == "built"
    same(where, NOW)
    assert gather(where, [], NOW).activity.reviews == 120


def test_a_torn_line_is_told_every_time(isolated: Path, deck_dir: Path) -> None:
    _fill(isolated, 30)
    with (isolated / "reviews-test.jsonl").open("ab") as handle:
        handle.write(b'{"v":1,"id":"torn","deck":"t","card":"a","time":"2026-11-2\n')
    _fill(isolated, 3, start=30)
    said: list[str] = []
    where = Where(deck_dirs=[deck_dir], warn=said.append)
    for _ in range(2):
        report = gather(where, [], NOW)
        assert report.activity.reviews == 33
    assert len(said) == 2 and "incomplete answer" in said[0]


def test_an_undo_and_a_suspension(isolated: Path, deck_dir: Path) -> None:
    from awsquiz.model import Mark
    from awsquiz.model.mark import MarkKind

    store = _fill(isolated, 60)
    where = Where(deck_dirs=[deck_dir])
    before = Store.open(isolated, machine="test").progress.get("u/x")
    store.append(_review(700, "u/x", 61 * 24 * 60 - 30, 3, 2, 9.0, 1))
    same(where, NOW)
    store.append(Mark("m1", "t", "a", iso(NOW - timedelta(minutes=20)), MarkKind.SUSPEND))
    same(where, NOW)
    assert how(isolated, NOW) == "cached"
    store.append(Mark("m2", "u", "x", iso(NOW - timedelta(minutes=10)), MarkKind.UNDO,
                      undoes=f"{700:024x}", restores=before))
    same(where, NOW)  # the undone answer counts nowhere
    assert gather(where, [], NOW).activity.reviews == 60
