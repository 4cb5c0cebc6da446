"""The study queue with an injected clock: order, new-card allowance, learning steps."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from awsquiz.model import Card, CardProgress, CardType, Rating, Review, glances
from awsquiz.scheduling.days import LearnerDays
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.session.queue import StudyQueue, new_started_today, plan_study
from awsquiz.system.paths import iso

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SCHEDULER = Scheduler(fuzz=False, days=LearnerDays(4, UTC))


def cards(n: int) -> list[Card]:
    return [Card("d", f"c{i}", CardType.BASIC, f"q{i}", ("a",)) for i in range(n)]


def studied(card: Card, ratings: list[Rating], start: datetime) -> CardProgress:
    """The progress of a card answered with these ratings, one day apart from `start`."""
    state = None
    progress = None
    for day, rating in enumerate(ratings):
        moment = start + timedelta(days=day)
        state = SCHEDULER.review(state, rating, moment)
        review = Review(f"{card.id}-{day}", "d", card.id, iso(moment), rating, True, None, 0, state)
        progress = CardProgress.first(review) if progress is None else progress.updated(review)
    assert progress is not None
    return progress


def plan(deck: list[Card], progress: dict[str, CardProgress], **options: object) -> StudyQueue:
    keys = [card.key for card in deck]
    return plan_study(keys, glances(progress), SCHEDULER, NOW, random.Random(1), **options)  # type: ignore[arg-type]


def test_due_cards_first_lowest_recall_first_then_new_in_deck_order() -> None:
    deck = cards(6)
    progress = {
        # c1 was last seen long ago (low recall); c3 recently; c5 is not due yet.
        deck[1].key: studied(deck[1], [Rating.GOOD], NOW - timedelta(days=60)),
        deck[3].key: studied(deck[3], [Rating.GOOD], NOW - timedelta(days=5)),
        deck[5].key: studied(deck[5], [Rating.GOOD, Rating.EASY], NOW - timedelta(days=1)),
    }
    queue = plan(deck, progress)
    assert queue.upcoming == ("d/c1", "d/c3", "d/c0", "d/c2", "d/c4")
    assert (queue.due_left, queue.new_left) == (2, 3)


def test_new_cards_allowance_counts_cards_started_today() -> None:
    deck = cards(20)
    started = {c.key: studied(c, [Rating.GOOD], NOW - timedelta(hours=2)) for c in deck[:4]}
    assert new_started_today(glances(started), NOW) == 4
    queue = plan(deck, started, new_per_day=10)
    assert queue.new_left == 6
    assert plan(deck, started, new_per_day=3).new_left == 0


def test_limit_caps_the_session_and_all_adds_cards_not_due() -> None:
    deck = cards(5)
    progress = {c.key: studied(c, [Rating.GOOD, Rating.GOOD], NOW - timedelta(days=2))
                for c in deck[:2]}
    assert len(plan(deck, progress, limit=2).upcoming) == 2
    assert plan(deck, progress).upcoming == ("d/c2", "d/c3", "d/c4")
    assert plan(deck, progress, include_all=True).upcoming[-2:] == ("d/c0", "d/c1")


def test_a_missed_card_comes_back_after_its_learning_step() -> None:
    deck = cards(2)
    queue = plan(deck, {})
    key = queue.peek(NOW)
    assert key == "d/c0"
    missed = SCHEDULER.review(None, Rating.AGAIN, NOW)
    queue = queue.answered("d/c0", missed)
    # Not yet due: the next new card comes first.
    assert queue.peek(NOW) == "d/c1"
    queue = queue.answered("d/c1", SCHEDULER.review(None, Rating.EASY, NOW))
    # Nothing else left: the learning card is shown early (within the learn-ahead window).
    assert queue.peek(NOW) == "d/c0"
    # Once its step is over, it comes before anything else.
    assert queue.peek(NOW + timedelta(minutes=2)) == "d/c0"


def test_session_ends_when_learning_cards_are_far_off() -> None:
    deck = cards(1)
    queue = plan(deck, {})
    state = SCHEDULER.review(None, Rating.GOOD, NOW)  # learning step: back in 10 minutes
    queue = queue.answered("d/c0", state)
    assert queue.peek(NOW) == "d/c0"  # within 20 minutes: shown rather than ending
    later = SCHEDULER.review(state, Rating.GOOD, NOW + timedelta(minutes=10))
    queue = queue.answered("d/c0", later)
    assert later.state == 2 and queue.peek(NOW + timedelta(minutes=10)) is None


def test_learning_cards_not_yet_due_come_back_in_a_new_session() -> None:
    deck = cards(1)
    state = SCHEDULER.review(None, Rating.AGAIN, NOW - timedelta(seconds=30))
    review = Review("r", "d", "c0", iso(NOW - timedelta(seconds=30)), Rating.AGAIN, False,
                    None, 0, state)
    queue = plan(deck, {"d/c0": CardProgress.first(review)})
    assert queue.upcoming == ()
    assert queue.peek(NOW) == "d/c0"


def test_same_seed_same_order() -> None:
    deck = cards(8)
    progress = {c.key: studied(c, [Rating.GOOD], NOW - timedelta(days=30)) for c in deck}
    keys = [card.key for card in deck]
    first = plan_study(keys, glances(progress), SCHEDULER, NOW, random.Random(7))
    again = plan_study(keys, glances(progress), SCHEDULER, NOW, random.Random(7))
    assert first.upcoming == again.upcoming


def test_recall_is_the_librarys_curve_over_calendar_days() -> None:
    """Recall is the library's forgetting curve, the elapsed time counted in the learner's
    days (starting at 4 AM here, in UTC), not in whole 24-hour periods."""
    import fsrs
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from awsquiz.scheduling.scheduler import _to_fsrs

    @settings(max_examples=60)
    @given(
        st.floats(min_value=0.01, max_value=3650),
        st.integers(min_value=0, max_value=4000 * 86400),
    )
    def check(stability: float, seconds_ago: int) -> None:
        reviewed = NOW - timedelta(seconds=seconds_ago)
        state = SCHEDULER.review(None, Rating.GOOD, reviewed)
        state = type(state)(2, None, stability, 5.0, iso(NOW), iso(reviewed))
        four = timedelta(hours=4)
        days = ((NOW - four).date() - (reviewed - four).date()).days
        moved = type(state)(2, None, stability, 5.0, iso(NOW), iso(NOW - timedelta(days=days)))
        library = fsrs.Scheduler(enable_fuzzing=False)
        assert SCHEDULER.retrievability(state, NOW) == library.get_card_retrievability(
            _to_fsrs(moved), NOW
        )

    check()


def test_a_card_reviewed_last_evening_is_not_certain_this_morning() -> None:
    evening = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
    morning = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # 11 hours later, the next day
    state = SCHEDULER.review(None, Rating.GOOD, evening - timedelta(days=3))
    state = SCHEDULER.review(state, Rating.GOOD, evening)
    assert SCHEDULER.retrievability(state, evening + timedelta(hours=6)) == 1.0  # before 4 AM
    assert SCHEDULER.retrievability(state, morning) < 1.0


def test_days_start_at_the_day_start_hour_in_the_learners_zone() -> None:
    from datetime import timezone

    from awsquiz.scheduling.days import LearnerDays

    pacific = timezone(timedelta(hours=-7))
    days = LearnerDays(4, pacific)
    # 10:30 UTC is 3:30 AM at UTC-7: still the day before.
    assert days.between(datetime(2026, 11, 27, 18, tzinfo=UTC),
                        datetime(2026, 11, 28, 10, 30, tzinfo=UTC)) == 0
    assert days.between(datetime(2026, 11, 27, 18, tzinfo=UTC),
                        datetime(2026, 11, 28, 11, 30, tzinfo=UTC)) == 1
    assert days.start(days.number(datetime(2026, 11, 28, 12, tzinfo=UTC))) == datetime(
        2026, 11, 28, 11, tzinfo=UTC
    )


def test_review_cards_are_due_at_the_start_of_a_day_and_steps_stay_minutes() -> None:
    from awsquiz.scheduling.days import LearnerDays

    scheduler = Scheduler(fuzz=False, days=LearnerDays(4, UTC))
    first = scheduler.review(None, Rating.AGAIN, NOW)
    assert first.due == iso(NOW + timedelta(minutes=1))  # a learning step
    graduated = scheduler.review(first, Rating.EASY, NOW + timedelta(minutes=2))
    due = datetime.fromisoformat(graduated.due)
    assert due >= datetime(2026, 11, 29, 4, tzinfo=UTC)  # tomorrow, once the day starts
    assert (due.hour, due.minute, due.second) == (4, 0, 0)


def test_the_forgetting_curve_decay_is_the_librarys() -> None:
    """Recall is computed before the library is loaded, with its decay known in advance."""
    import fsrs

    from awsquiz.scheduling.scheduler import DECAY

    assert fsrs.Scheduler().parameters[20] == DECAY


def test_the_new_cards_day_begins_at_the_day_start() -> None:
    deck = cards(6)
    # NOW is 9:00 UTC; cards started at 2:00 belong to yesterday, at 5:00 to today.
    started = {c.key: studied(c, [Rating.GOOD], NOW - timedelta(hours=7)) for c in deck[:2]}
    started |= {c.key: studied(c, [Rating.GOOD], NOW - timedelta(hours=4)) for c in deck[2:3]}
    assert new_started_today(glances(started), NOW, SCHEDULER.days) == 1
    assert plan(deck, started, new_per_day=3).new_left == 2


def test_a_card_answered_right_at_the_end_of_the_allowed_years_is_due_within_them() -> None:
    from awsquiz.model.times import LATEST, canonical

    late = datetime(9000, 12, 31, 12, 0, tzinfo=UTC)
    state = SCHEDULER.review(None, Rating.GOOD, late - timedelta(days=400))
    for rating in (Rating.GOOD, Rating.EASY):
        after = SCHEDULER.review(state, rating, late)
        assert canonical(after.due) == after.due  # a time every reader accepts
        assert after.due <= iso(LATEST)
