"""The learner's calendar days: elapsed time as FSRS counts it.

Anki, fsrs-rs and srs-benchmark count the days between two reviews as the difference of the
learner's local day numbers, a day starting at `day_start` (4 AM by default), not as whole
24-hour periods: a card reviewed last evening and asked this morning was reviewed one day ago.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import NamedTuple

DEFAULT_DAY_START = 4
_LAST_OF_DAY = timedelta(hours=23, minutes=59, seconds=59, microseconds=999999)
_CANONICAL_LENGTH = len("2026-11-28T09:00:00.000000+00:00")


def check_day_start(value: object) -> int:
    """A day start hour, 0 to 23; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 23:
        raise ValueError(f"day_start {value!r}: an hour from 0 to 23")
    return value


class LearnerDays(NamedTuple):
    """Day numbers in the learner's time zone (None: the system's, daylight saving included),
    each day beginning at `day_start` o'clock."""

    day_start: int = DEFAULT_DAY_START
    zone: tzinfo | None = None

    def number(self, moment: datetime) -> int:
        """The learner's day of an aware `moment` (a proleptic Gregorian ordinal)."""
        local = moment.astimezone(self.zone)
        return (local - timedelta(hours=self.day_start)).toordinal()

    def number_of_text(self, text: str) -> int:
        """`number` of a time given as ISO text: for the canonical UTC form, from the one
        moment of its UTC date at which the learner's day changes (worked out once per date),
        without parsing the text; for thousands of review times at once."""
        if len(text) == _CANONICAL_LENGTH and text.endswith("+00:00"):
            split = utc_date(self, text[:10])
            if split is not None:
                return split[0] + (text[11:26] >= split[1])
        return self.number(datetime.fromisoformat(text))

    def between(self, earlier: datetime, later: datetime) -> int:
        """Calendar days from `earlier` to `later` (never below 0)."""
        return max(0, self.number(later) - self.number(earlier))

    def start(self, day: int) -> datetime:
        """The moment day `day` begins, in UTC."""
        from datetime import date

        wall = datetime.combine(date.fromordinal(day), time(self.day_start))
        if self.zone is None:
            return wall.astimezone().astimezone(UTC)  # a naive time is read as the system's
        return wall.replace(tzinfo=self.zone).astimezone(UTC)


@functools.lru_cache(maxsize=4096)
def utc_date(days: LearnerDays, date_text: str) -> tuple[int, str] | None:
    """For the UTC date `date_text` (YYYY-MM-DD): the learner's day at its start, and the UTC
    time of day (HH:MM:SS.ffffff) from which its moments fall on the next one ("~", after
    every time, if none do); None if the UTC offset changes that day (then each time is
    worked out on its own)."""
    start = datetime.fromisoformat(f"{date_text}T00:00:00+00:00")
    first, last = start.astimezone(days.zone), (start + _LAST_OF_DAY).astimezone(days.zone)
    if first.utcoffset() != last.utcoffset():
        return None
    shift = timedelta(hours=days.day_start)
    day = (first - shift).toordinal()
    if (last - shift).toordinal() == day:
        return day, "~"
    # One offset all day: the learner's day changes once, at day_start o'clock local time.
    change = (datetime.combine((last - shift).date(), time(), tzinfo=last.tzinfo) + shift)
    moment = change.astimezone(UTC)
    if not start <= moment <= start + _LAST_OF_DAY or (last - shift).toordinal() != day + 1:
        return None
    return day, moment.strftime("%H:%M:%S.%f")


_REFERENCE = "2000-01-03"


def utc_dates(days: LearnerDays) -> Callable[[str], tuple[int, str] | None]:
    """`utc_date` for these learner days: at a fixed offset every date changes day at the
    same time, one day number further each date, so none is worked out on its own."""
    if not isinstance(days.zone, timezone):
        return functools.partial(utc_date, days)
    reference = utc_date(days, _REFERENCE)
    if reference is None:  # pragma: no cover - a fixed offset never changes
        return functools.partial(utc_date, days)
    shift = reference[0] - date.fromisoformat(_REFERENCE).toordinal()
    change = reference[1]

    def split(date_text: str) -> tuple[int, str]:
        return date.fromisoformat(date_text).toordinal() + shift, change

    return split
