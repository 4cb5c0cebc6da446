"""Times as the logs and caches write them: fixed-width ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utc(moment: datetime) -> datetime:
    """The same instant with tzinfo exactly timezone.utc, as the fsrs library needs."""
    return moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """A fixed-width UTC timestamp: such strings sort in time order, so counts need no parsing."""
    return utc(moment).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
