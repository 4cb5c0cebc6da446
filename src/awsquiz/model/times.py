"""Times as the logs and caches write them: fixed-width ISO 8601 in UTC.

Every time that comes from outside (a log line, an import, an exam log, AWSQUIZ_NOW) goes
through `canonical` first: once in this one form, comparing the texts compares the instants.
"""

from __future__ import annotations

from datetime import UTC, datetime

# The years a time may fall in: wide for any real history, narrow enough that adding the
# scheduler's longest interval (a century) or a session's length can never overflow.
MIN_YEAR, MAX_YEAR = 1970, 9000
# The latest time a record may hold: a due date the scheduler puts beyond it is brought back.
LATEST = datetime(MAX_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)

_CANONICAL_LENGTH = len("2026-11-28T09:00:00.000000+00:00")


def utc(moment: datetime) -> datetime:
    """The same instant with tzinfo exactly timezone.utc, as the fsrs library needs."""
    return moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """A fixed-width UTC timestamp: such strings sort in time order, so counts need no parsing."""
    return utc(moment).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def in_range(moment: datetime) -> bool:
    """Whether an aware time falls in the years every reader can work with."""
    try:
        year = moment.astimezone(UTC).year
    except (OverflowError, ValueError):
        return False
    return MIN_YEAR <= year <= MAX_YEAR


def canonical(value: object) -> str | None:
    """`value` as the one fixed-width UTC form if it is an ISO 8601 time with an offset in
    the years allowed; None otherwise."""
    if type(value) is not str or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if (
        len(value) == _CANONICAL_LENGTH
        and value.endswith("+00:00")
        and value[10] == "T"
        and value[19] == "."
        and value[4] == value[7] == "-"
        and value[13] == value[16] == ":"
    ):  # already in the one form (what this program writes): only the year to check
        return value if MIN_YEAR <= moment.year <= MAX_YEAR else None
    if moment.utcoffset() is None or not in_range(moment):
        return None
    return iso(moment)
