"""The learner's day of thousands of review times at once (`LearnerDays.number_of_text`,
what predicted recall counts from) is the day `LearnerDays.number` gives each of them, in
every kind of time zone: whole-hour and half-hour offsets, daylight saving changing at
midnight or by half an hour, a day skipped, and the system's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from awsquiz.model.times import iso
from awsquiz.scheduling.days import LearnerDays

ZONES = [None, UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=45)),
         *(ZoneInfo(name) for name in (
             "Europe/London", "America/Sao_Paulo", "America/Havana", "Australia/Lord_Howe",
             "Pacific/Chatham", "Asia/Kathmandu", "America/St_Johns", "Pacific/Apia",
         ))]
START = datetime(2010, 1, 1, tzinfo=UTC)


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day_start=st.integers(0, 23),
    offsets=st.lists(st.integers(0, 17 * 365 * 86_400 * 1_000_000), min_size=1, max_size=40),
)
def test_the_day_of_a_review_time_text_is_the_day_of_that_moment(
    zone: object, day_start: int, offsets: list[int]
) -> None:
    days = LearnerDays(day_start, zone)  # type: ignore[arg-type]
    for offset in offsets:
        moment = START + timedelta(microseconds=offset)
        assert days.number_of_text(iso(moment)) == days.number(moment), iso(moment)


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day_start=st.integers(0, 23),
    days_after=st.lists(st.integers(0, 17 * 365), min_size=1, max_size=10),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 14, 15, 29, 30, 44, 45, 59]),
    edge=st.sampled_from([(0, 0), (59, 999_999)]),
)
def test_times_on_the_edge_of_an_hour_or_a_quarter(
    zone: object, day_start: int, days_after: list[int], hour: int, minute: int,
    edge: tuple[int, int],
) -> None:
    """Where a learner's day changes: on the hour, or at a half or quarter hour."""
    days = LearnerDays(day_start, zone)  # type: ignore[arg-type]
    for after in days_after:
        moment = (START + timedelta(days=after)).replace(
            hour=hour, minute=minute, second=edge[0], microsecond=edge[1])
        assert days.number_of_text(iso(moment)) == days.number(moment), iso(moment)


def test_times_either_side_of_the_change_of_day_and_of_a_clock_change() -> None:
    london = LearnerDays(4, ZoneInfo("Europe/London"))
    for text in ("2026-03-29T00:59:59.999999+00:00", "2026-03-29T01:00:00.000000+00:00",
                 "2026-03-29T02:59:59.999999+00:00", "2026-03-29T03:00:00.000000+00:00",
                 "2026-10-25T02:59:59.999999+00:00", "2026-10-25T03:00:00.000000+00:00",
                 "2026-10-25T03:59:59.999999+00:00", "2026-10-25T04:00:00.000000+00:00",
                 "2026-11-28T03:59:59.999999+00:00", "2026-11-28T04:00:00.000000+00:00"):
        assert london.number_of_text(text) == london.number(datetime.fromisoformat(text)), text
    # Not the canonical form: parsed as it is.
    assert london.number_of_text("2026-11-28T05:00:00+01:00") == london.number(
        datetime(2026, 11, 28, 4, tzinfo=UTC))


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day_start=st.integers(0, 23),
    offsets=st.lists(st.integers(0, 17 * 365 * 86_400 * 1_000_000), min_size=1, max_size=30),
    stabilities=st.lists(st.floats(0.1, 400.0), min_size=30, max_size=30),
)
def test_predicted_recall_of_many_cards_counts_the_days_one_card_would(
    zone: object, day_start: int, offsets: list[int], stabilities: list[float]
) -> None:
    from awsquiz.scheduling.scheduler import Scheduler

    days = LearnerDays(day_start, zone)  # type: ignore[arg-type]
    scheduler = Scheduler(fuzz=False, days=days)
    now = datetime(2027, 6, 1, 12, tzinfo=UTC)
    moments = [START + timedelta(microseconds=offset) for offset in offsets]
    reviewed = [(iso(m), s) for m, s in zip(moments, stabilities, strict=False)]
    expected = [scheduler.recall_after(days.number(now) - days.number(m), s)
                for m, s in zip(moments, stabilities, strict=False)]
    assert scheduler.recalls([*reviewed, (None, 3.0)], now) == [*expected, 0.0]
    # As `stats` keeps them: each card's day of its last review, worked out once.
    days_of = scheduler.day_numbers([text for text, _ in reviewed] + [None])
    kept = zip(days_of, [*stabilities[:len(reviewed)], 3.0], strict=True)
    assert scheduler.recalls_on_days(kept, now) == [*expected, 0.0]
