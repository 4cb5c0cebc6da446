"""The learner's calendar days: elapsed time as FSRS counts it.

Anki, fsrs-rs and srs-benchmark count the days between two reviews as the difference of the
learner's local day numbers, a day starting at `day_start` (4 AM by default), not as whole
24-hour periods: a card reviewed last evening and asked this morning was reviewed one day ago.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import NamedTuple

DEFAULT_DAY_START = 4


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
