"""Saved mock-exam results: one JSON line per exam in exams-<machine>.jsonl beside the logs.

Like the review logs, each machine appends to its own file and every file is read, so a
synced progress folder never has two writers of one file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from awsquiz.errors import AwsquizError
from awsquiz.model.exam_result import VERSION, ExamResult
from awsquiz.model.times import canonical
from awsquiz.system import fastjson

_MAX_COUNT = 1 << 53
_COUNTS = ("questions", "right", "pass_mark", "seconds_used", "seconds_allowed")


def save_result(folder: Path, machine: str, result: ExamResult) -> None:
    path = folder / f"exams-{machine}.jsonl"
    line = json.dumps(result.to_dict(), separators=(",", ":")) + "\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AwsquizError(
            f"{path}: could not save the exam result: {exc.strerror}",
            hint="the answers themselves are saved in the review log",
        ) from None


def load_results(folder: Path) -> list[ExamResult]:
    """Every saved exam, oldest first. Unreadable lines are skipped: results are a record,
    not the source of anyone's progress (the answers are in the review log)."""
    results: dict[str, ExamResult] = {}
    for path in sorted(folder.glob("exams-*.jsonl")):
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                result = checked_result(fastjson.reference_loads(line))
            except ValueError:
                continue
            if result is not None:
                results[result.id] = result
    return sorted(results.values(), key=lambda r: r.time)


def checked_result(data: Any) -> ExamResult | None:
    """The exam of one parsed line if every field a reader relies on is there and in range
    (its time put in the canonical UTC form); None otherwise."""
    if type(data) is not dict or type(data.get("v")) is not int or not 1 <= data["v"] <= VERSION:
        return None
    time = canonical(data.get("time"))
    decks = data.get("decks")
    if (
        time is None
        or type(data.get("id")) is not str
        or not data["id"]
        or type(decks) is not list
        or any(type(deck) is not str for deck in decks)
        or any(type(data.get(name)) is not int or not 0 <= data[name] < _MAX_COUNT
               for name in _COUNTS)
        or data["right"] > data["questions"]
        or data["pass_mark"] > 100
        or type(data.get("abandoned", False)) is not bool
    ):
        return None
    return ExamResult.from_dict({**data, "time": time})
