"""Saved mock-exam results: one JSON line per exam in exams-<machine>.jsonl beside the logs.

Like the review logs, each machine appends to its own file and every file is read, so a
synced progress folder never has two writers of one file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from awsquiz.errors import AwsquizError
from awsquiz.model.exam_result import VERSION, ExamResult


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
                data = json.loads(line)
                if isinstance(data, dict) and data.get("v", 0) <= VERSION:
                    result = ExamResult.from_dict(data)
                    results[result.id] = result
            except (ValueError, KeyError, TypeError):
                continue
    return sorted(results.values(), key=lambda r: r.time)
