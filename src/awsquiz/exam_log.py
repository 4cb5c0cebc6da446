"""Saved mock-exam results: one JSON line per exam in exams-<machine>.jsonl beside the logs.

Like the review logs, each machine appends to its own file and every file is read, so a
synced progress folder never has two writers of one file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awsquiz.errors import AwsquizError

VERSION = 1


@dataclass(frozen=True)
class ExamResult:
    """One finished (or abandoned) exam, as kept in the exam log."""

    id: str
    time: str  # when it started, ISO 8601 UTC
    decks: tuple[str, ...]
    questions: int
    right: int
    pass_mark: int  # percent
    seconds_used: int
    seconds_allowed: int
    abandoned: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.questions) if self.questions else 0

    @property
    def passed(self) -> bool:
        return not self.abandoned and self.percent >= self.pass_mark

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "id": self.id,
            "time": self.time,
            "decks": list(self.decks),
            "questions": self.questions,
            "right": self.right,
            "percent": self.percent,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "seconds_used": self.seconds_used,
            "seconds_allowed": self.seconds_allowed,
            "abandoned": self.abandoned,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> ExamResult:
        return ExamResult(
            id=str(data["id"]),
            time=str(data["time"]),
            decks=tuple(data["decks"]),
            questions=int(data["questions"]),
            right=int(data["right"]),
            pass_mark=int(data["pass_mark"]),
            seconds_used=int(data["seconds_used"]),
            seconds_allowed=int(data["seconds_allowed"]),
            abandoned=bool(data.get("abandoned", False)),
        )


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
