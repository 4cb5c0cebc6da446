"""Reading a whole history for statistics: compact, chunked, and as strict as the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsquiz.errors import AwsquizError
from awsquiz.model import Rating
from awsquiz.store import reading as store_module
from awsquiz.store.store import Store
from test_store import make_review


def test_history_agrees_with_reviews_across_logs_and_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_CHUNK", 700)  # a few lines a chunk, cut mid-line
    laptop = Store.open(tmp_path, machine="laptop")
    reviews = [
        make_review(f"c{i % 7}", i, rating=Rating.AGAIN if i % 5 == 0 else Rating.GOOD,
                    picked=("SSE-C",) if i % 5 == 0 else None)
        for i in range(60)
    ]
    laptop.append_many(reviews[:40])
    desk = Store.open(tmp_path, machine="desk")
    desk.append_many(reviews[30:])  # ten reviews in both logs, as after a merge

    history = desk.history()
    full = desk.reviews()
    assert len(history) == len(full) == 60
    assert [a.id for a in history] == [r.id for r in full]
    for answered, review in zip(history, full, strict=True):
        assert (answered.time, answered.key, answered.rating, answered.right) == (
            review.time, review.key, int(review.rating), review.right,
        )
        assert (answered.picked, answered.ms, answered.after) == (
            review.picked, review.ms, review.after,
        )


def test_a_bad_line_in_a_later_chunk_is_named_by_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_CHUNK", 512)
    store = Store.open(tmp_path, machine="m")
    store.append_many([make_review("c1", i) for i in range(20)])
    with store.log_path.open("a", encoding="utf-8") as log:
        log.write("not json at all\n")
    with pytest.raises(AwsquizError) as failure:
        store.history()
    assert failure.value.message.startswith(f"{store.log_path}:21: ")


def test_a_torn_last_line_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_CHUNK", 512)
    warnings: list[str] = []
    store = Store.open(tmp_path, machine="m", warn=warnings.append)
    store.append_many([make_review("c1", i) for i in range(10)])
    with store.log_path.open("a", encoding="utf-8") as log:
        log.write('{"v":1,"id":"cut-sh')
    assert len(store.history()) == 10
    assert any(":11: skipped an incomplete answer" in w for w in warnings)
