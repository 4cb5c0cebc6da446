"""Writing a whole file so that readers see the old one or the new one, never half of it.

The one atomic write: the store's snapshot and exports (durable: fsynced), the settings, and
the caches (not fsynced: a cache lost in a power cut only costs time).
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterable
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make a new or renamed entry in `folder` survive a power cut (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # pragma: no cover - regular files raise instead
            raise OSError(errno.EIO, "nothing was written")
        view = view[written:]


def atomic_write(
    path: Path, data: bytes | Iterable[bytes], *, overwrite: bool = True, durable: bool = True
) -> None:
    """Write `path` whole through a temporary file beside it, then rename it into place.
    `data` may come in parts (an export of any size is never held whole).

    Raises FileExistsError if `overwrite` is false and `path` exists, OSError otherwise.
    `durable` fsyncs the file and its folder, so it survives a power cut.
    """
    # A new name each time (O_EXCL): two writers of one file never share a temporary file.
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o644)
    try:
        try:
            for part in (data,) if isinstance(data, bytes) else data:
                write_all(fd, part)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, path)
        else:
            _link_new(temp, path)
        if durable:
            fsync_dir(path.parent)
    finally:
        with contextlib.suppress(OSError):  # gone already once renamed into place
            os.unlink(temp)
    _sweep(path)


# A temporary file this old belongs to a writer that was killed mid-write, not a slow one.
_STALE_SECONDS = 3600


def _sweep(path: Path) -> None:
    """Remove the temporary files of `path` that writers killed mid-write left behind."""
    prefix, now = f".{path.name}.", time.time()
    try:
        with os.scandir(path.parent) as entries:
            stale = [
                entry.path for entry in entries
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp")
                and now - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS
            ]
    except OSError:
        return
    for name in stale:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _link_new(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)  # fails if `path` exists, atomically
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from exc
        os.replace(temp, path)


def write_cache(target: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written only costs time."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data, durable=False)
    except OSError:
        pass  # a read-only cache folder is fine


def sealed(body: bytes) -> bytes:
    """A cache file's bytes: its body after a line with the body's CRC-32, so that a cache
    damaged on disk or edited by hand is noticed (and rebuilt), never served."""
    import zlib

    return b"%08x\n" % zlib.crc32(body) + body


def unsealed(raw: bytes) -> bytes | None:
    """The body of a cache file written by `sealed`; None if it is damaged or not one."""
    import zlib

    if len(raw) < 9 or raw[8:9] != b"\n":
        return None
    body = raw[9:]
    try:
        crc = int(raw[:8], 16)
    except ValueError:
        return None
    return body if zlib.crc32(body) == crc else None
