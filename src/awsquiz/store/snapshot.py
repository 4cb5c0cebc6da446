"""The snapshot: a cache of every card's progress and of how much of each log it covers.

``snapshot-<machine>.json`` holds ``{"version": SNAPSHOT_VERSION, "logs": {name: {"offset": n,
"head": sha256}}, "cards": {key: row}}``: it can always be rebuilt from the logs, so opening
the store reads it and then only the bytes each log gained since.
"""

from __future__ import annotations

from pathlib import Path

from awsquiz.model import CardProgress
from awsquiz.store.logfiles import head, is_log_name
from awsquiz.system import fastjson
from awsquiz.system.files import atomic_write

SNAPSHOT_VERSION = 2  # 2: each card as a flat list (CardProgress.to_row)
HEAD_BYTES = 256

# log file name -> (bytes covered, sha256 of its first min(offset, HEAD_BYTES) bytes)
Covered = dict[str, tuple[int, str]]


def read_snapshot(path: Path) -> tuple[Covered, dict[str, CardProgress]] | None:
    """The logs covered and the cards of a snapshot; None if there is none this version can
    use (missing, unreadable, damaged, of another version)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        return _snapshot_shape(fastjson.loads(raw))
    except ValueError:
        return None


def write_snapshot(path: Path, logs: Covered, progress: dict[str, CardProgress]) -> None:
    document = {
        "version": SNAPSHOT_VERSION,
        "logs": {
            name: {"offset": offset, "head": digest}
            for name, (offset, digest) in sorted(logs.items())
        },
        "cards": {key: card.to_row() for key, card in progress.items()},
    }
    atomic_write(path, fastjson.dumps(document))  # a cache, read back only by fastjson


def is_stale(covered: Covered, logs: list[Path]) -> bool:
    """Whether a log the snapshot covers is gone, shorter, or begins differently."""
    present = {path.name: path for path in logs}
    for name, (offset, digest) in covered.items():
        path = present.get(name)
        if path is None:
            return True  # a log the cache counted is gone
        try:
            size = path.stat().st_size
        except OSError:
            return True
        if size < offset or head(path, min(offset, HEAD_BYTES)) != digest:
            return True  # rewritten or replaced
    return False


def _snapshot_shape(data: object) -> tuple[dict[str, tuple[int, str]], dict[str, CardProgress]]:
    """The logs and cards of a snapshot; ValueError if it is not one this version wrote."""
    if type(data) is not dict or data.get("version") != SNAPSHOT_VERSION:
        raise ValueError("not a snapshot of this version")
    raw_logs, raw_cards = data.get("logs"), data.get("cards")
    if type(raw_logs) is not dict or type(raw_cards) is not dict:
        raise ValueError("no logs or cards")
    logs: dict[str, tuple[int, str]] = {}
    for name, entry in raw_logs.items():
        if (
            not is_log_name(name)
            or type(entry) is not dict
            or type(entry.get("offset")) is not int
            or entry["offset"] < 0
            or type(entry.get("head")) is not str
        ):
            raise ValueError(f"bad log entry {name!r}")
        logs[name] = (entry["offset"], entry["head"])
    try:
        from_row = CardProgress.from_row
        cards = {key: from_row(row) for key, row in raw_cards.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("bad card") from exc
    return logs, cards

