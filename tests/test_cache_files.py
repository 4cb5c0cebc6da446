"""Cache and snapshot writes leave no temporary files behind, even on a full disk or after
a writer was killed mid-write."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from awsquiz.system import files


def test_a_cache_write_on_a_full_disk_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    files.write_cache(tmp_path / "glances.json", b"{}")
    with pytest.raises(OSError):
        files.atomic_write(tmp_path / "snapshot-a.json", b"{}")
    assert os.listdir(tmp_path) == []


def test_temporary_files_of_killed_writers_are_swept(tmp_path: Path) -> None:
    target = tmp_path / "snapshot-a.json"
    stale = tmp_path / ".snapshot-a.json.0123456789ab.tmp"
    fresh = tmp_path / ".snapshot-a.json.ba9876543210.tmp"  # a writer at work right now
    other = tmp_path / ".other.json.0123456789ab.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    files.atomic_write(target, b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, fresh.name, other.name]
    )
