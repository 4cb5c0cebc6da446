"""`awsquiz progress merge / export / import`: union of review logs across machines."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from awsquiz.errors import AwsquizError
from awsquiz.model import CardState, Rating, Review
from awsquiz.services import progress
from awsquiz.store.logfiles import new_review_id
from awsquiz.store.records import LOG_VERSION, dumps_review
from awsquiz.store.store import Store


def make_review(
    card: str, minute: int, *, rating: Rating = Rating.GOOD, review_id: str | None = None
) -> Review:
    return Review(
        id=review_id or new_review_id(),
        deck="iam",
        card=card,
        time=f"2026-11-28T10:{minute:02d}:00.000000+00:00",
        rating=rating,
        right=rating is not Rating.AGAIN,
        picked=("Shared",),
        ms=900 + minute,
        state=CardState(
            state=1 if rating is Rating.AGAIN else 2,
            step=0 if rating is Rating.AGAIN else None,
            stability=2.0 + minute,
            difficulty=4.0,
            due=f"2026-12-{1 + minute % 28:02d}T10:00:00.000000+00:00",
            last_review=f"2026-11-28T10:{minute:02d}:00.000000+00:00",
            reps=1,
            lapses=int(rating is Rating.AGAIN),
        ),
        kind="exam" if minute % 2 else "study",
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def two_machines(tmp_path: Path) -> tuple[Store, Store]:
    desk = Store.open(tmp_path / "desk", machine="desk")
    laptop = Store.open(tmp_path / "laptop", machine="laptop")
    common = make_review("root-mfa", 1)
    desk.append(common)
    laptop.append(common)  # already synced once
    desk.append(make_review("scp", 2))
    desk.append(make_review("kms", 3))
    laptop.append(make_review("kms", 10, rating=Rating.AGAIN))  # newer, and missed
    laptop.append(make_review("guardduty", 11))
    return desk, laptop


def test_merge_adds_the_other_machines_answers_once(two_machines: tuple[Store, Store]) -> None:
    desk, laptop = two_machines
    assert progress.merge(desk, laptop.folder).reviews == 2
    assert progress.merge(desk, laptop.folder).reviews == 0
    assert set(desk.progress) == {"iam/root-mfa", "iam/scp", "iam/kms", "iam/guardduty"}
    assert desk.progress["iam/kms"].missed  # the newest answer, from the laptop, wins
    assert desk.progress["iam/kms"].first_time == "2026-11-28T10:03:00.000000+00:00"
    # kept with their ids and fields, in this machine's own log
    assert {r.id: r for r in desk.reviews()}.keys() >= {r.id for r in laptop.reviews()}
    assert [r for r in desk.reviews() if r.card == "guardduty"] == [
        r for r in laptop.reviews() if r.card == "guardduty"
    ]
    assert sorted(p.name for p in desk.folder.glob("reviews-*")) == ["reviews-desk.jsonl"]
    reopened = Store.open(desk.folder, machine="desk")
    assert reopened.progress == desk.progress
    # the other way round gives the same picture
    assert progress.merge(laptop, desk.folder).reviews == 2
    assert laptop.progress == desk.progress


def test_merge_with_a_bad_line_names_it_and_writes_nothing(
    two_machines: tuple[Store, Store],
) -> None:
    desk, laptop = two_machines
    with open(laptop.log_path, "ab") as handle:
        handle.write(b'{"v":1,"id":"x","deck":"iam","card":"kms","time":7}\n')
    before = sha(desk.log_path)
    files = sorted(p.name for p in desk.folder.iterdir())
    with pytest.raises(AwsquizError) as caught:
        progress.merge(desk, laptop.folder)
    assert caught.value.message.startswith(f"{laptop.log_path}:4: ")
    assert sha(desk.log_path) == before
    assert sorted(p.name for p in desk.folder.iterdir()) == files


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_merge_from_a_folder_without_logs_says_what_to_give(tmp_path: Path, make: str) -> None:
    store = Store.open(tmp_path / "mine", machine="a")
    other = tmp_path / "other"
    if make == "empty":
        other.mkdir()
    with pytest.raises(AwsquizError) as caught:
        progress.merge(store, other)
    assert str(other) in caught.value.message
    assert "progress path" in caught.value.hint


def test_export_then_import_restores_everything(
    two_machines: tuple[Store, Store], tmp_path: Path
) -> None:
    desk, laptop = two_machines
    progress.merge(desk, laptop.folder)
    backup = tmp_path / "backup.jsonl"
    assert progress.export(desk, backup).reviews == 5
    lines = backup.read_bytes().splitlines(keepends=True)
    assert lines == [dumps_review(r) for r in desk.reviews()]

    fresh = Store.open(tmp_path / "new-machine", machine="new")
    assert progress.import_file(fresh, backup).reviews == 5
    assert progress.import_file(fresh, backup).reviews == 0
    assert fresh.reviews() == desk.reviews()
    assert fresh.progress == desk.progress
    assert Store.open(fresh.folder, machine="new").progress == desk.progress
    # merge accepts an exported file as well
    assert progress.merge(laptop, backup).reviews == 2  # scp and the older kms answer


def test_export_does_not_overwrite_unless_forced(
    two_machines: tuple[Store, Store], tmp_path: Path
) -> None:
    desk, _ = two_machines
    target = tmp_path / "progress.jsonl"
    target.write_text("precious\n")
    with pytest.raises(AwsquizError) as caught:
        progress.export(desk, target)
    assert str(target) in caught.value.message
    assert "--force" in caught.value.hint
    assert target.read_text() == "precious\n"
    assert progress.export(desk, target, force=True).reviews == 3
    assert target.read_bytes() == b"".join(dumps_review(r) for r in desk.reviews())
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["progress.jsonl"]


def test_export_to_a_missing_folder_is_reported(
    two_machines: tuple[Store, Store], tmp_path: Path
) -> None:
    desk, _ = two_machines
    target = tmp_path / "no" / "such" / "folder" / "out.jsonl"
    with pytest.raises(AwsquizError) as caught:
        progress.export(desk, target)
    assert str(target) in caught.value.message


def test_import_of_a_missing_file_is_reported(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p", machine="a")
    with pytest.raises(AwsquizError, match="no such file"):
        progress.import_file(store, tmp_path / "nope.jsonl")


def test_import_of_a_newer_export_names_file_and_line(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p", machine="a")
    export = tmp_path / "future.jsonl"
    line = dumps_review(make_review("kms", 1)).replace(b'{"v":1,', b'{"v":%d,' % (LOG_VERSION + 1))
    export.write_bytes(dumps_review(make_review("scp", 0)) + line)
    with pytest.raises(AwsquizError, match=r"future\.jsonl:2: written by a newer awsquiz"):
        progress.import_file(store, export)
    assert not store.log_path.exists()


def test_progress_path_is_this_machines_log(tmp_path: Path) -> None:
    store = Store.open(tmp_path, machine="desk")
    assert progress.path(store) == tmp_path / "reviews-desk.jsonl"


def test_progress_services_do_not_load_the_terminal_libraries() -> None:
    code = (
        "import sys, awsquiz.services.progress; "
        "print(sorted(m for m in ('rich', 'typer', 'yaml') if m in sys.modules))"
    )
    src = str(Path(__file__).resolve().parent.parent / "src")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src},
    )
    assert out.stdout.strip() == "[]"
