"""A first `awsquiz stats` over a long history, and the calibration as answers come: a log
read in two processes gives the figures one process gives; bytes the snapshot vouches for are
checked again once edited; a damaged line is named wherever it is; the calibration grown
answer by answer is the one made from every answer."""

from __future__ import annotations

import tempfile
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import history
from awsquiz.errors import AwsquizError
from awsquiz.scheduling import calibration, fitting
from awsquiz.services.stats import gather
from awsquiz.services.stats_history import from_history
from awsquiz.services.where import Where
from awsquiz.store import figures_cache, figures_halves, records
from awsquiz.store.records import check_fully, check_record
from awsquiz.store.store import Store
from awsquiz.system import forked
from awsquiz.system.crc import combine

NOW = datetime(2024, 10, 7, 9, 0, tzinfo=timezone(timedelta(hours=2)))
OFFSET = 2 * 3600


@pytest.fixture(scope="module")
def reviews() -> list[Any]:
    return history.history_reviews()


def _library(tmp_path: Path, reviews: list[Any], count: int) -> tuple[Where, Path]:
    decks = tmp_path / "decks"
    decks.mkdir(exist_ok=True)
    history.write_deck(decks, history.card_ids(reviews))
    folder = tmp_path / "progress"
    Store.open(folder, machine="history").append_many(reviews[:count])
    return Where(deck_dirs=[decks], progress=folder), folder


def _figures(folder: Path) -> tuple[Any, ...]:
    cached = figures_cache.load(folder, OFFSET, lambda message: None)
    figures = cached.figures
    doc = figures.to_doc()
    steps = {key: list(values) for key, values in figures.steps.items()}
    return cached.how, doc, figures.recent_doc(), steps


def _in_two(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every log read in two processes; the list grows by one each time a child is forked."""
    monkeypatch.setattr(figures_halves, "PARALLEL_BYTES", 1)
    forks: list[int] = []
    real = forked.Forked.__init__

    def counted(self: Any, work: Any) -> None:
        forks.append(1)
        real(self, work)

    monkeypatch.setattr(forked.Forked, "__init__", counted)
    return forks


def test_two_processes_give_the_figures_of_one(
    tmp_path: Path, reviews: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    where, folder = _library(tmp_path, reviews, len(reviews))
    alone = _figures(folder)
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            path.unlink()
    forks = _in_two(monkeypatch)
    together = _figures(folder)
    assert forks, "the log was not read in two processes"
    assert together == alone
    assert together[0] == "built"
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            path.unlink()
    started = len(forks)
    # The second half read from the start of `stats`, while the decks are parsed.
    assert gather(where, [], NOW).to_dict() == from_history(where, [], NOW).to_dict()
    assert len(forks) > started
    assert _figures(folder)[1] == alone[1]  # as cached


def test_the_day_a_log_ends_on_leaves_the_figures_as_they_are(
    tmp_path: Path, reviews: list[Any]
) -> None:
    """A first read knows from the log's last review which days the last days' retention
    will keep, and tallies no other; the figures are those of adding every review alone."""
    from awsquiz.model.figures import Figures
    from awsquiz.store.reading import read_records

    _, folder = _library(tmp_path, reviews, len(reviews))
    log = next(folder.glob("reviews-*.jsonl"))
    with log.open("ab") as handle:  # what a log may end with: a mark, a torn last line
        handle.write(b'{"v":2,"id":"m1","time":"2030-01-01T00:00:00.000000+00:00",'
                     b'"kind":"suspend","card":"x","deck":"y"}\n{"v":1,"id":"torn","ti')
    plain = Figures(OFFSET)
    ordered = sorted(read_records([log]).values(), key=lambda r: (r["time"], r["id"]))
    plain.add_records(ordered)
    cached = figures_cache.load(folder, OFFSET, lambda message: None)
    assert cached.figures.reaches == plain.newest_day > 0
    assert cached.figures.recent_doc() == plain.recent_doc() != []
    assert cached.figures.to_doc() == plain.to_doc()


def test_snapshot_vouches_only_for_bytes_unchanged(
    tmp_path: Path, reviews: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    where, folder = _library(tmp_path, reviews, 3_000)
    Store.open(folder, machine="history").save_snapshot()  # it covers the log
    log = next(folder.glob("reviews-*.jsonl"))
    assert figures_cache.vouched(folder, log, "history") == log.stat().st_size
    data = log.read_bytes()
    line = data.index(b'"rating":3')
    log.write_bytes(data[:line] + b'"rating":9' + data[line + 10:])  # same length
    assert figures_cache.vouched(folder, log, "history") == 0
    monkeypatch.setattr(figures_halves, "PARALLEL_BYTES", 1)
    with pytest.raises(AwsquizError) as caught:
        gather(where, [], NOW)
    assert f"{log}:" in str(caught.value) and "rating" in str(caught.value)


def test_a_damaged_line_is_named_in_either_half(
    tmp_path: Path, reviews: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    where, folder = _library(tmp_path, reviews, 4_000)
    log = next(folder.glob("reviews-*.jsonl"))
    lines = log.read_bytes().split(b"\n")
    lines[3_500] = lines[3_500].replace(b'"rating":', b'"rating":"', 1)  # not JSON now
    log.write_bytes(b"\n".join(lines))
    with pytest.raises(AwsquizError) as alone:
        gather(where, [], NOW)
    forks = _in_two(monkeypatch)
    with pytest.raises(AwsquizError) as together:
        gather(where, [], NOW)
    assert forks
    assert str(together.value) == str(alone.value)
    assert f"{log}:3501" in str(together.value)


def test_the_calibration_grows_with_each_answer(
    tmp_path: Path, reviews: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    where, folder = _library(tmp_path, reviews, 6_000)
    first = gather(where, [], NOW)
    assert first.calibration == from_history(where, [], NOW).calibration
    store = Store.open(folder, machine="history")

    def no_second_reading(*args: object) -> None:
        raise AssertionError("the logs were read again for the calibration")

    monkeypatch.setattr(figures_cache, "every_step", no_second_reading)
    done = 6_000
    for size in (1, 1, 40, 900, 5_000, len(reviews)):
        store.append_many(reviews[done:done + size])
        done = min(done + size, len(reviews))
        report = gather(where, [], NOW)
        assert report.calibration
        full = from_history(where, [], NOW)
        assert report.to_dict() == full.to_dict()
        assert gather(where, [history.DECK], NOW).calibration == full.calibration


cards = st.lists(
    st.tuples(st.sampled_from(["a", "b"]),
              st.lists(st.tuples(st.integers(0, 40), st.integers(1, 4)), min_size=1,
                       max_size=12)),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(cards=cards, cut=st.integers(0, 12), parallel=st.booleans())
def test_a_tally_grown_equals_one_made_at_once(
    cards: list[tuple[str, list[tuple[int, int]]]], cut: int, parallel: bool
) -> None:
    parameters = fitting.default_parameters()
    given_cards = []
    for number, (deck, answers) in enumerate(cards):
        days, total = [], 0
        for gap, rating in answers:
            total += gap
            days.append(total * 8 + rating)
        given_cards.append((deck, f"{deck}/c{number}", days))
    calibration.PARALLEL_ANSWERS = 1 if parallel else 100_000
    try:
        whole = calibration.build(given_cards, parameters)
    finally:
        calibration.PARALLEL_ANSWERS = 100_000
    grown = calibration.build([(d, k, v[:cut]) for d, k, v in given_cards if v[:cut]],
                              parameters)
    calibration.grow(grown, [(d, k, v[cut:]) for d, k, v in given_cards], parameters)
    assert grown.to_doc() == whole.to_doc()
    assert grown.lines() == whole.lines()
    assert calibration.Tally.from_doc(whole.to_doc()).lines(["a"]) == whole.lines(["a"])


@settings(max_examples=60, deadline=None)
@given(first=st.binary(max_size=300), second=st.binary(max_size=300))
def test_crc_of_two_halves(first: bytes, second: bytes) -> None:
    assert combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(
        first + second)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3000), cut=st.integers(0, 3010))
def test_a_checksum_worked_out_ahead_is_the_one_worked_out_then(data: bytes, cut: int) -> None:
    from awsquiz.store import snapshot

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reviews-x.jsonl"
        path.write_bytes(data)
        snapshot.crc_ahead(path, cut)
        expected = zlib.crc32(data[:cut]) if cut <= len(data) else None
        assert snapshot.crc_of(path, cut) == expected
        assert snapshot._crc(path, cut) == expected


def _record() -> dict[str, Any]:
    return {
        "v": 1, "id": "00000000dfdade0ea9b0a8ae", "deck": "d", "card": "c",
        "time": "2025-11-28T09:00:00.000000+00:00", "rating": 3, "right": True,
        "picked": ["x", "y"], "ms": 7469, "kind": "study",
        "state": {"state": 2, "step": None, "stability": 2.3, "difficulty": 2.1,
                  "due": "2025-11-30T09:00:00.000000+00:00",
                  "last_review": "2025-11-28T09:00:00.000000+00:00", "reps": 1, "lapses": 0},
    }


odd_values = st.sampled_from([
    None, True, False, 0, -1, 1, 3, 5, 2.5, float("nan"), float("inf"), "", "x", [], ["x"],
    [1], {}, "2025-11-28T09:00:00+00:00", "2025-11-28 09:00:00.000000+00:00",
    "2025-02-30T09:00:00.000000+00:00", "1969-12-31T23:59:59.000000+00:00",
    "2025-11-28T10:00:00.000000+01:00", "2025-11-28T24:00:00.000000+00:00", "undo",
])


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from([*_record(), *(f"state.{name}" for name in _record()["state"])]),
       value=odd_values, drop=st.booleans())
def test_the_shortcut_passes_only_what_the_full_check_passes_unchanged(
    field: str, value: object, drop: bool
) -> None:
    record = _record()
    target, name = (record["state"], field[6:]) if field.startswith("state.") else (
        record, field)
    if drop:
        del target[name]
    else:
        target[name] = value
    if records._plain(record):
        before = repr(record)
        assert check_fully(record) is None
        assert repr(record) == before
    assert (check_record(dict(record)) is None) == (check_fully(dict(record)) is None)


def _needs_nothing(obj: Any) -> bool:
    """One record as `records.all_need_nothing` tells them, written out for one."""
    time = obj.get("time") if type(obj) is dict else None
    return type(obj) is dict and "state" in obj and type(time) is str and len(time) == 32 and (
        time[4] == time[7] == "-" and time[10] == "T" and time[19] == "."
        and time.endswith("+00:00"))


lines_checked_before = st.lists(st.one_of(
    st.builds(lambda value, drop: {**_record(), "time": value} if not drop else {
        k: v for k, v in _record().items() if k != "state"}, odd_values, st.booleans()),
    st.just(_record()), st.just(_record()), odd_values,
), max_size=8)


@settings(max_examples=300, deadline=None)
@given(lines=lines_checked_before)
def test_lines_checked_before_are_read_at_once_as_one_by_one(lines: list[Any]) -> None:
    import json

    from awsquiz.store import reading

    encoded = [json.dumps(line, separators=(",", ":")).encode() for line in lines]
    body = b"".join(line + b"\n" for line in encoded)
    parsed = [json.loads(line) for line in encoded]
    expected = parsed if all(map(_needs_nothing, parsed)) else None
    assert records.all_need_nothing(parsed) == (expected is not None)
    assert reading._checked_before(body) == expected
    if len(encoded) > 1:  # two lines run together: never taken for the lines they were
        assert reading._checked_before(body.replace(b"\n", b" ", 1)) is None


def test_answers_counted_in_the_learners_days_in_any_zone() -> None:
    """The figures note each answer on the learner's day (for the calibration), worked out
    once an hour where the whole hour is one day: in zones a half hour off, and across
    daylight saving changes, each answer is on the day its own moment is."""
    from zoneinfo import ZoneInfo

    from awsquiz.model.figures import Figures
    from awsquiz.model.times import iso
    from awsquiz.scheduling.days import LearnerDays

    for zone in (None, UTC, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/St_Johns"),
                 ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Europe/Berlin")):
        days = LearnerDays(4, zone)
        figures = Figures(0, days.number)
        moments = [start + timedelta(minutes=minute)
                   for start in (datetime(2024, 3, 30, tzinfo=UTC),
                                 datetime(2024, 4, 6, tzinfo=UTC))
                   for minute in range(0, 60 * 24 * 3, 7)]
        figures.add_records({
            "time": iso(moment), "id": f"{n:024x}", "deck": "d", "card": "c",
            "rating": 1 + n % 4, "right": None, "picked": None, "ms": 1000,
            "state": {"state": 2, "stability": 3.0, "due": iso(moment), "last_review": iso(moment),
                      "lapses": 0},
        } for n, moment in enumerate(moments))
        steps = list(figures.steps["d/c"])
        assert [step >> 3 for step in steps] == [days.number(moment) for moment in moments]
        assert [step & 7 for step in steps] == [1 + n % 4 for n in range(len(moments))]


def test_another_day_start_is_a_calibration_and_a_recall_of_its_own(
    tmp_path: Path, reviews: list[Any]
) -> None:
    from dataclasses import replace

    from awsquiz.store import config as settings

    where, folder = _library(tmp_path, reviews, len(reviews))
    before = gather(where, [], NOW)
    settings.save(folder, replace(settings.load(folder), day_start=0))
    after = gather(where, [], NOW)
    assert after.to_dict() == from_history(where, [], NOW).to_dict()
    assert after.calibration != before.calibration
    assert after.total.recall != before.total.recall  # the days since each last review
    assert after.day_start == 0
