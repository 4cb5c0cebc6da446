"""`progress import FILE --deck ID` of a review-log CSV: the real history, once; bad rows."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.model import State
from awsquiz.store.store import Store
from history import CARDS, CSV_PATH, REVIEWS

runner = CliRunner()


def _import(file: Path, *extra: str) -> object:
    return runner.invoke(app, ["progress", "import", str(file), *extra])


def test_the_real_history_imports_once(isolated: Path) -> None:
    result = _import(CSV_PATH, "--deck", "history")
    assert result.exit_code == 0, result.output
    assert f"imported {REVIEWS} new reviews" in result.output
    again = _import(CSV_PATH, "--deck", "history")
    assert again.exit_code == 0, again.output
    assert "imported 0 new reviews" in again.output
    store = Store.open(isolated)
    assert len(store.progress) == CARDS
    assert all(key.startswith("history/") for key in store.progress)
    reviews = store.reviews()
    assert len(reviews) == REVIEWS
    # States are replayed: a card's reviews count up, and most cards reach review.
    last = store.progress["history/1711684180217"].state
    assert last.reps == sum(1 for r in reviews if r.card == "1711684180217")
    in_review = sum(p.state.stage is State.REVIEW for p in store.progress.values())
    assert in_review > CARDS // 2


def test_a_copy_with_other_rows_adds_only_those(tmp_path: Path) -> None:
    lines = CSV_PATH.read_text(encoding="utf-8").splitlines()
    first = tmp_path / "first.csv"
    first.write_text("\n".join(lines[:101]) + "\n", encoding="utf-8")
    assert "imported 100 new" in _import(first, "--deck", "h").output
    # The same rows in another order, without the duration column, plus two more.
    second = tmp_path / "second.csv"
    rows = [",".join(line.split(",")[:3]) for line in lines[1:103]]
    second.write_text("card_id,review_rating,review_time\n" + "\n".join(reversed(rows)) + "\n")
    result = _import(second, "--deck", "h")
    assert result.exit_code == 0, result.output
    # Without durations the first 100 rows are other rows (the duration is part of a row).
    assert "imported 102 new" in result.output


def test_bad_rows_are_all_named_and_nothing_is_imported(tmp_path: Path, isolated: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        "c1,3,2024-03-29T20:32:32+00:00,100\n"
        "c1,5,2024-03-30T20:32:32+00:00,100\n"
        "c2,3,yesterday,100\n"
        "c3,3,2024-03-30T20:32:32,100\n"
        "c/4,3,2024-03-30T20:32:32+00:00,100\n"
        "c5,3,2024-03-30T20:32:32+00:00,-1\n"
        "c6,3\n",
        encoding="utf-8",
    )
    result = _import(bad, "--deck", "h")
    assert result.exit_code == 1, result.output
    for line, what in [(3, "review_rating '5'"), (4, "review_time 'yesterday': not an ISO"),
                       (5, "review_time '2024-03-30T20:32:32': no UTC"),
                       (6, "card_id 'c/4'"), (7, "review_duration"), (8, "2 fields")]:
        assert f"bad.csv:{line}: {what}" in result.output
    assert "6 bad rows; nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert not Store.open(isolated).progress


def test_a_csv_needs_a_deck_and_only_a_csv_takes_one(tmp_path: Path) -> None:
    result = _import(CSV_PATH)
    assert result.exit_code == 2, result.output
    assert "needs --deck ID" in result.output
    assert _import(CSV_PATH, "--deck", "Bad Id").exit_code == 2
    export = tmp_path / "backup.jsonl"
    assert runner.invoke(app, ["progress", "export", str(export)]).exit_code == 0
    result = _import(export, "--deck", "history")
    assert result.exit_code == 2, result.output
    assert "only a review-log CSV takes --deck" in result.output


def test_a_wrong_header_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "odd.csv"
    bad.write_text("card_id,rating,time\nc1,3,2024-03-29T20:32:32+00:00\n", encoding="utf-8")
    result = _import(bad, "--deck", "h")
    assert result.exit_code == 1, result.output
    assert "odd.csv:1: header" in result.output


def test_a_bom_z_times_no_durations_and_blank_lines_are_read(
    tmp_path: Path, isolated: Path
) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_bytes(
        b"\xef\xbb\xbfcard_id,review_rating,review_time\r\n"
        b"c1,1,2024-03-29T20:00:00Z\r\n\r\n"
        b"c1,3,2024-03-29T20:01:00Z\r\n"
        b"c1,3,2024-03-31T20:00:00+02:00\r\n"
    )
    result = _import(plain, "--deck", "h")
    assert result.exit_code == 0, result.output
    assert "imported 3 new reviews" in result.output
    state = Store.open(isolated).progress["h/c1"].state
    assert (state.reps, state.lapses) == (3, 1)
    assert state.last_review == "2024-03-31T18:00:00.000000+00:00"


def test_rows_out_of_time_order_are_replayed_as_if_sorted(tmp_path: Path) -> None:
    lines = CSV_PATH.read_text(encoding="utf-8").splitlines()[:400]
    in_order, shuffled = tmp_path / "in-order.csv", tmp_path / "shuffled.csv"
    in_order.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shuffled.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    states = []
    for file in (in_order, shuffled):
        folder = tmp_path / file.stem
        result = _import(file, "--deck", "h", "--progress", str(folder))
        assert result.exit_code == 0, result.output
        progress = Store.open(folder).progress
        states.append({key: entry.state for key, entry in progress.items()})
    assert states[0] == states[1] and len(states[0]) > 10
