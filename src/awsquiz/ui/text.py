"""Words for times and amounts: "in 10 minutes", "3 days ago"."""

from __future__ import annotations

from datetime import datetime


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 card', '2 cards'; `many` for a word whose plural is not word + 's'."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def span(seconds: float) -> str:
    """A rounded length of time: '45 seconds', '10 minutes', '4 days', '3 months'."""
    seconds = round(abs(seconds))
    for size, unit in ((365 * 86400, "year"), (30 * 86400, "month"), (86400, "day"),
                       (3600, "hour"), (60, "minute")):
        if seconds >= size:
            amount = round(seconds / size)
            return f"{amount} {unit}{'s' if amount != 1 else ''}"
    amount = max(1, round(seconds))
    return f"{amount} second{'s' if amount != 1 else ''}"


def until(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    return "now" if seconds <= 30 else f"in {span(seconds)}"


def ago(iso_time: str | None, now: datetime) -> str:
    if not iso_time:
        return "never"
    seconds = (now - datetime.fromisoformat(iso_time)).total_seconds()
    return "just now" if seconds < 60 else f"{span(seconds)} ago"
