"""The files of a progress folder: which are review logs, this machine's name, locks, reads.

Each machine appends to its own ``reviews-<machine>.jsonl``; every log in the folder is read,
so a file syncer never sees two machines writing one file."""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Callable
from pathlib import Path

from awsquiz.errors import AwsquizError

try:  # POSIX only; without it appends still use O_APPEND, just unlocked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOG_GLOB = "reviews-*.jsonl"
_LOG_PREFIX, _LOG_SUFFIX = "reviews-", ".jsonl"

Warn = Callable[[str], None]
# Log file name -> [size, mtime_ns, ctime_ns] (ctime: a log made unreadable is noticed)
Stamps = dict[str, list[int]]


def ignore(message: str) -> None:
    return None


def is_log_name(name: str) -> bool:
    """Whether a file name is a review log's (LOG_GLOB): the one test every reader uses."""
    return (
        name.startswith(_LOG_PREFIX)
        and name.endswith(_LOG_SUFFIX)
        and len(name) > len(_LOG_PREFIX) + len(_LOG_SUFFIX) - 1
        and "/" not in name
        and "\\" not in name
    )


def new_review_id() -> str:
    """A unique id for one answer: 96 random bits as hex."""
    return os.urandom(12).hex()


def machine_name(machine: str | None = None) -> str:
    """This machine's name for file names: AWSQUIZ_MACHINE or the hostname, as [a-z0-9-]."""
    raw = machine if machine is not None else os.environ.get("AWSQUIZ_MACHINE") or ""
    if not raw:
        try:
            raw = os.uname().nodename  # the host name, without importing socket
        except (AttributeError, OSError):  # pragma: no cover - Windows
            import socket

            raw = socket.gethostname()
    name = re.sub(r"[^a-z0-9-]+", "-", raw.lower()).strip("-")
    return name or "local"



def log_files(folder: Path) -> list[Path]:
    """Every review log in a progress folder, by name."""
    try:
        # os.scandir, not Path.glob: glob treats an unreadable folder as empty, which would
        # show a learner no progress at all instead of saying why.
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if is_log_name(entry.name)]
        return sorted(p for p in (folder / name for name in names) if p.is_file())
    except OSError as exc:
        raise io_error(folder, "could not list the progress folder", exc) from exc


def log_stamps(folder: Path) -> Stamps | None:
    """The stamps of every review log, or None if the folder cannot be listed: while they
    are unchanged, so is everything the logs add up to."""
    stamps: Stamps = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if is_log_name(entry.name) and entry.is_file():
                    stat = entry.stat()
                    stamps[entry.name] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
    except OSError:
        return None
    return stamps


def read_from(path: Path, offset: int) -> bytes:
    """The bytes of `path` from `offset`, read under a shared lock so that a local writer's
    half-written line is never seen."""
    try:
        with open(path, "rb") as handle:
            locked = lock(handle.fileno(), shared=True)
            try:
                handle.seek(offset)
                return handle.read()
            finally:
                if locked:
                    unlock(handle.fileno())
    except OSError as exc:
        raise io_error(path, "could not read the review log", exc) from exc


def head(path: Path, length: int) -> str | None:
    import hashlib  # here, not at the top: a session's first card needs no store read

    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read(length)).hexdigest()
    except OSError:
        return None


def lock(fd: int, *, shared: bool = False) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
    except OSError:  # a file system without locks: carry on with O_APPEND alone
        return False
    return True


def unlock(fd: int) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):  # closing the file unlocks it anyway
            fcntl.flock(fd, fcntl.LOCK_UN)



def progress_folder(folder: Path) -> Path:
    """The progress folder, made if missing; AwsquizError if it is a file or cannot be made."""
    if folder.exists() and not folder.is_dir():
        raise AwsquizError(
            f"{folder}: the progress folder is a file, not a folder",
            hint="choose another with --progress DIR or AWSQUIZ_PROGRESS",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise io_error(folder, "could not create the progress folder", exc) from exc
    return folder


def io_error(path: Path, what: str, exc: OSError) -> AwsquizError:
    reason = exc.strerror or str(exc)
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        hint = "free some disk space, then run the command again"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = (
            "make the folder writable, or keep progress elsewhere with --progress DIR "
            "or AWSQUIZ_PROGRESS"
        )
    elif code in (errno.ENOENT, errno.ENOTDIR):
        hint = "check that the path exists and is a folder, or choose another with --progress DIR"
    else:
        hint = "check the disk and the folder's permissions, then run the command again"
    return AwsquizError(f"{path}: {what}: {reason}", hint=hint)
