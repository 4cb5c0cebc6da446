"""Where things live and what time it is: deck folders, progress, cache, the clock.

Every environment variable of the contract is read here and nowhere else.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model.times import MAX_YEAR, MIN_YEAR, from_iso, in_range, iso, utc

APP = "awsquiz"


def bundled_decks_dir() -> Path:
    """The decks shipped with the package (inside the wheel), or the repository's decks/."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "bundled_decks"
    if packaged.is_dir():
        return packaged
    return package.parent.parent / "decks"


def deck_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Bundled decks, then AWSQUIZ_DECKS folders, then --decks folders."""
    dirs = [bundled_decks_dir()]
    env = os.environ.get("AWSQUIZ_DECKS", "")
    dirs += [Path(part).expanduser() for part in env.split(os.pathsep) if part]
    dirs += list(extra or [])
    return dirs


def progress_dir(override: Path | None = None) -> Path:
    if override is not None:
        return override.expanduser()
    env = os.environ.get("AWSQUIZ_PROGRESS")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    env = os.environ.get("AWSQUIZ_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


@functools.lru_cache(maxsize=4096)
def real_path(path: str | Path) -> str:
    """os.path.realpath, once per path in a run: it costs a system call per folder of the
    path, and every deck file's is wanted several times."""
    return os.path.realpath(path)


def cache_name(path: Path) -> str:
    """A file name in the cache for what is kept about `path`: its real path's last part and
    a checksum of the whole (cache entries also record the path, so a clash only costs
    time). zlib, unlike hashlib, is already loaded when Python starts."""
    import zlib

    real = real_path(path)
    return f"{os.path.basename(real)[:48]}-{zlib.crc32(os.fsencode(real)):08x}"


def now() -> datetime:
    """The current time, aware, in the learner's offset; AWSQUIZ_NOW pins it."""
    pinned = os.environ.get("AWSQUIZ_NOW")
    if not pinned:
        return datetime.now(UTC).astimezone()
    try:
        value = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.utcoffset() is None:
        raise AwsquizError(
            f"AWSQUIZ_NOW={pinned!r} is not an ISO 8601 time with an offset",
            hint="for example AWSQUIZ_NOW=2026-11-28T09:00:00+00:00",
            exit_code=EXIT_USAGE,
        )
    if not in_range(value):
        raise AwsquizError(
            f"AWSQUIZ_NOW={pinned!r} is outside the years {MIN_YEAR} to {MAX_YEAR}",
            hint="for example AWSQUIZ_NOW=2026-11-28T09:00:00+00:00",
            exit_code=EXIT_USAGE,
        )
    return value


def learner_zone() -> tzinfo | None:
    """The learner's time zone for their calendar days: AWSQUIZ_NOW's offset when it is set,
    else None, the system's time zone (daylight saving included)."""
    if not os.environ.get("AWSQUIZ_NOW"):
        return None
    return now().tzinfo


def clock() -> Callable[[], datetime]:
    """A clock for a session: real time, or AWSQUIZ_NOW moving on as real time passes."""
    start = now()
    if not os.environ.get("AWSQUIZ_NOW"):
        return now
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


__all__ = ["from_iso", "iso", "utc"]  # the time helpers, where callers have always found them
