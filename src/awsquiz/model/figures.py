"""What a review history adds up to for `awsquiz stats`, in a form that grows one review at a
time and is kept as a cache (`store.figures_cache`), so that `stats` never reads the whole
history again while the logs only grow.

Everything here depends only on the reviews and on the learner's UTC offset (which decides
local days); nothing on the decks or the clock, which the report applies on top
(`session.stats_figures`):

- per deck (the review's deck field) and local day: answers, time, and of the answers to cards
  that were in review, how many and how many were not Again (`DayRow`);
- per card, under its deck: its newest review's state (what the store's progress holds of it),
  its all-time tally of answers in review, and each wrong choice it was answered with
  (`CardRow`);
- per local day of the last `RETENTION_DAYS` days before the newest review, per card, the
  tally of answers in review (`recent`): deck retention counts the cards a deck has now.

Reviews must arrive in (time, id) order for each card (any order across cards); one that does
not, or a card key found under two decks, marks the figures unusable (`broken`) and the
caller starts again from a sorted history.

Figures may also be made in two parts, the reviews before a point and those after it, and the
second added to the first (`model.figures_join`): a first `stats` reads a long log in two
processes.
Besides, the figures note each card's answers added since they were made or read back
(`steps`, not kept in the cache), for the calibration of predicted recall: those count in the
learner's days (their day start and zone), which the caller gives.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from functools import partial
from itertools import repeat
from operator import and_, itemgetter
from typing import Any

from awsquiz.model.mark import MARK_KINDS
from awsquiz.model.times import canonical
from awsquiz.model.windows import RETENTION_DAYS

# Review ids are hashed to 53 bits held (exactly) in a float: Python sorts floats faster than
# 64-bit ints (it compares them as C doubles), and a first `stats` sorts a million. Two ids
# of a million share 53 bits with a chance of about 1 in 20,000, which then only costs time
# (`figures_cache` reads the history sorted).
HASH_BITS = 53
_MASK = (1 << HASH_BITS) - 1
REVIEW_STATE = 2  # model.state.State.REVIEW, as the rows keep it

# A card's row, a list as the cache keeps it: read back without a Python object per field.
(AFTER, STABILITY, DUE, LAST_REVIEW, LAPSES, MISSED, ANSWERS, KEPT, LAST_TIME, LAST_ID,
 LAST_DAY, DUE_DAY, PICKS) = range(13)
CARD_FIELDS = 13
# A day's row: [answers, ms, answers to cards in review, of those not Again].
COUNT, MS, IN_REVIEW, RETAINED = range(4)

CardRow = list[Any]
DayRow = list[int]


class LocalDays:
    """Local day numbers (date ordinals) of log times in one UTC offset. The log writes
    fixed-width UTC times (`model.times.iso`): with a whole-hour offset the day is that of
    the UTC hour, with a whole-minute one that of the minute, so each is worked out once."""

    def __init__(self, offset_seconds: int) -> None:
        from datetime import timedelta

        self.tz = timezone(timedelta(seconds=offset_seconds))
        self.width = 13 if offset_seconds % 3600 == 0 else 16 if offset_seconds % 60 == 0 else 0
        self.cache: dict[str, int] = {}

    def exact(self, text: str) -> int:
        return datetime.fromisoformat(text).astimezone(self.tz).date().toordinal()

    def __call__(self, text: str) -> int:
        if not self.width or len(text) != 32 or not text.endswith("+00:00"):
            return self.exact(text)
        part = text[: self.width]
        day = self.cache.get(part)
        if day is None:
            day = self.cache[part] = self.exact(text)
        return day


def is_missed(right: bool | None, rating: int) -> bool:
    """As `CardProgress.missed`: answered wrong, or self-rated Again."""
    return right is False or (right is None and rating == 1)


class Figures:
    """The figures of a history in one UTC offset (see the module's docstring)."""

    def __init__(
        self, offset_seconds: int, learner_day: Callable[[datetime], int] | None = None
    ) -> None:
        self.offset = offset_seconds
        self.days: dict[str, dict[int, DayRow]] = {}
        self.cards: dict[str, dict[str, CardRow]] = {}
        self.recent: dict[int, dict[str, list[int]]] = {}
        self.newest_day = 0  # of any review; 0: none yet
        # A day the newest review is known to be on or after (a review still to be added
        # is on it): `recent` keeps no tally of days sure to fall out of it.
        self.reaches = 0
        self.broken = False
        self.touched: set[str] = set()  # the card keys added to since made or read back
        self.local_day = LocalDays(offset_seconds)
        # card key -> its answers added since made or read back: learner's day * 8 + rating
        self.steps: dict[str, array[int]] = {}
        # The learner's day of a moment (`scheduling.days.LearnerDays.number`); by default,
        # the local date in this offset.
        self.learner_day = learner_day or partial(_local_date, self.local_day.tz)
        # log time's UTC hour (its first 13 characters) -> (local day, the learner's day * 8
        # if all the hour is that one day, else None)
        self._hours: dict[str, tuple[int, int | None]] = {}
        # In the second part of figures made in two (`figures_join`): card key -> its first
        # review here (day, not Again, time, id), counted in review or not when joined.
        self.heads: dict[str, tuple[int, bool, str, str]] | None = None
        self._owner: dict[str, str] | None = None  # card key -> deck, made when first needed
        self._day_lists: dict[str, list[list[int]]] | None = None

    @property
    def horizon(self) -> int:
        """The first day `recent` keeps."""
        return self.newest_day - (RETENTION_DAYS - 1)

    def add_records(self, records: Iterable[Any], hashes: array[float] | None = None) -> None:
        """Add reviews (checked log records, each card's in (time, id) order), but marks and a
        copy of the review just added; an undo (it cancels a review counted already) marks
        the figures `broken`. `hashes` gets each id's hash (`id_hashes`)."""
        self._day_lists = None
        ids: list[str] = []  # hashed a few thousand at a time: memory stays flat

        def flush() -> None:
            if hashes is not None:
                hashes.extend(id_hashes(ids))
            ids.clear()

        try:
            self._add(records, ids, flush)
        finally:
            flush()

    def _add(self, records: Iterable[Any], ids: list[str], flush: Callable[[], None]) -> None:
        cards, days_of, recent, heads = self.cards, self.days, self.recent, self.heads
        steps_of, touched, hours, claimed = self.steps, self.touched, self._hours, self._claimed
        local_day = self.local_day
        by_hour = local_day.width == 13  # else the day is worked out per minute, or each time
        last_time = last_id = ""
        newest = self.newest_day
        reaches = self.reaches
        horizon = max(newest, reaches) - (RETENTION_DAYS - 1)
        for r in records:
            kind = r.get("kind")
            if kind in MARK_KINDS:
                if kind == "undo":  # cancels a review already counted: sorted instead
                    self.broken = True
                    return
                continue  # a suspension or the like: no answer, counted nowhere here
            time, review_id = r["time"], r["id"]
            if time == last_time and review_id == last_id:
                continue  # the same review in two logs, met twice in a row
            last_time, last_id = time, review_id
            deck, rating, right, state = r["deck"], r["rating"], r["right"], r["state"]
            key = deck + "/" + r["card"]
            group = cards.get(deck)
            if group is None:
                group = self._new_deck(deck)
            hour = hours.get(time[:13]) or self._hour(time)
            day = hour[0] if by_hour else local_day(time)
            row = group.get(key)
            previous = None
            if row is None:
                if claimed(key, deck):
                    self.broken = True
                    return
                row = group[key] = _new_row()
                if heads is not None:
                    heads[key] = (day, rating != 1, time, review_id)
            elif time <= row[LAST_TIME] and (time < row[LAST_TIME] or review_id <= row[LAST_ID]):
                self.broken = True  # out of order, or a copy the reader could not drop
                return
            else:
                previous = row[AFTER]
            totals = days_of[deck].get(day)
            if totals is None:
                totals = days_of[deck][day] = [0, 0, 0, 0]
            totals[COUNT] += 1
            totals[MS] += int(r.get("ms", 0))
            if previous == REVIEW_STATE:
                kept = rating != 1
                totals[IN_REVIEW] += 1
                totals[RETAINED] += kept
                row[ANSWERS] += 1
                row[KEPT] += kept
                if day >= horizon:
                    tally = recent.setdefault(day, {}).setdefault(key, [0, 0])
                    tally[0] += 1
                    tally[1] += kept
            if right is False:
                _count_picks(row, r.get("picked"), time, review_id)
            touched.add(key)
            row[AFTER:LAST_DAY] = (  # checked: the state and lapses are whole numbers
                state["state"], state["stability"], state["due"], state["last_review"],
                state.get("lapses", 0), right is False or (right is None and rating == 1),
                row[ANSWERS], row[KEPT], time, review_id)
            row[DUE_DAY] = None
            if row[LAST_DAY] is None or day > row[LAST_DAY]:
                row[LAST_DAY] = day  # the latest day of any of its reviews
            steps = steps_of.get(key)
            if steps is None:
                steps = steps_of[key] = array("q")
            step = hour[1]
            if step is None:  # the learner's day begins within this hour
                step = self.learner_day(datetime.fromisoformat(time)) * 8
            steps.append(step + rating)
            ids.append(review_id)
            if len(ids) >= 4096:
                flush()
            if day > newest:
                newest = self.newest_day = day
                horizon = max(newest, reaches) - (RETENTION_DAYS - 1)
                self._forget_before(horizon)

    def _new_deck(self, deck: str) -> dict[str, CardRow]:
        self.days[deck] = {}
        group: dict[str, CardRow] = {}
        self.cards[deck] = group
        return group

    def _hour(self, time: str) -> tuple[int, int | None]:
        """A log time's local day and its hour's learner's day (see `_hours`), kept per
        hour."""
        start = datetime.fromisoformat(time).replace(minute=0, second=0, microsecond=0)
        first = self.learner_day(start)
        last = self.learner_day(start.replace(minute=59, second=59, microsecond=999999))
        hour = self._hours[time[:13]] = (self.local_day.exact(time),
                                         first * 8 if first == last else None)
        return hour

    def _forget_before(self, horizon: int) -> None:
        for old in [day for day in self.recent if day < horizon]:
            del self.recent[old]

    def _claimed(self, key: str, deck: str) -> bool:
        """Whether another deck already has a card with this key (deck "a/b" card "c" and
        deck "a" card "b/c"): the report could not tell them apart."""
        if len(self.cards) == 1:
            return False
        if self._owner is None:
            self._owner = {k: d for d, group in self.cards.items() for k in group}
        owner = self._owner.setdefault(key, deck)
        return owner != deck

    def add_review(self, review: Any) -> None:
        """Add a `model.Review`."""
        self.add_records([{
            "time": review.time, "id": review.id, "deck": review.deck, "card": review.card,
            "rating": int(review.rating), "right": review.right, "picked": review.picked,
            "ms": int(review.ms), "state": review.state.to_dict(),
        }])

    def settle(self) -> None:
        """Work out the local due day of every card whose row changed since."""
        local_day = self.local_day.exact
        for group in self.cards.values():
            for row in group.values():
                if row[DUE_DAY] is None:
                    # A state's times as the log has them (a line checked once and vouched
                    # for since is not checked again): in the one canonical form.
                    row[DUE] = canonical(row[DUE]) or row[DUE]
                    if row[LAST_REVIEW] is not None:
                        row[LAST_REVIEW] = canonical(row[LAST_REVIEW]) or row[LAST_REVIEW]
                    row[DUE_DAY] = local_day(row[DUE])

    # -- as the cache keeps them -----------------------------------------------------------

    def day_lists(self) -> dict[str, list[list[int]]]:
        """Per deck id, [day, *its row] in day order (made once while nothing is added)."""
        if self._day_lists is None:
            self._day_lists = {
                deck: [[day, *row] for day, row in sorted(rows.items())]
                for deck, rows in self.days.items()
            }
        return self._day_lists

    def to_doc(self) -> dict[str, Any]:
        self.settle()
        return {
            "offset": self.offset,
            "newest_day": self.newest_day,
            "days": self.day_lists(),
            "cards": self.cards,
        }

    def recent_doc(self) -> list[Any]:
        return [[day, tallies] for day, tallies in sorted(self.recent.items())]

    @staticmethod
    def from_doc(
        doc: dict[str, Any], recent: dict[int, dict[str, list[int]]] | None = None,
        learner_day: Callable[[datetime], int] | None = None,
    ) -> Figures:
        """Figures from `to_doc` (and `recent_doc`, when they are to grow); ValueError,
        KeyError or TypeError if `doc` is not one."""
        figures = Figures(int(doc["offset"]), learner_day)
        figures.newest_day = int(doc["newest_day"])
        days = doc["days"]
        cards = doc["cards"]
        if type(days) is not dict or type(cards) is not dict or set(days) != set(cards):
            raise ValueError("not figures")
        figures.days = {
            deck: {row[0]: row[1:] for row in rows} for deck, rows in days.items()
        }
        for group in cards.values():
            for row in group.values():
                if len(row) != CARD_FIELDS:
                    raise ValueError("not a card row")
        figures.cards = cards
        if recent is not None:
            figures.recent = recent
        return figures


def new_hashes(values: Iterable[float] = ()) -> array[float]:
    """An array of review id hashes (see HASH_BITS)."""
    return array("d", values)


def id_hash(review_id: str) -> float:
    """A review id's hash (see HASH_BITS): ids are random hex, so the low bits of its last 14
    digits; any other id is hashed."""
    try:
        return float(int(review_id[-14:], 16) & _MASK)
    except ValueError:
        import hashlib

        digest = hashlib.blake2b(review_id.encode("utf-8", "surrogatepass"), digest_size=8)
        return float(int.from_bytes(digest.digest(), "big") & _MASK)


def id_hashes(ids: list[str]) -> list[float]:
    """`id_hash` of each review id; in C for ids of hex digits (what awsquiz writes)."""
    try:
        return list(map(float, map(and_, map(int, map(_LAST_14, ids), repeat(16)),
                                   repeat(_MASK))))
    except ValueError:
        return list(map(id_hash, ids))


_LAST_14 = itemgetter(slice(-14, None))


def _new_row() -> CardRow:
    row: CardRow = [None] * CARD_FIELDS
    row[ANSWERS] = row[KEPT] = 0
    return row


def _count_picks(row: CardRow, picked: Any, time: str, review_id: str) -> None:
    """Tally the choices of a wrong answer (each with the time and id it was first seen)."""
    if type(picked) not in (list, tuple):
        return
    picks = row[PICKS]
    if picks is None:
        picks = row[PICKS] = {}
    for choice in picked:
        seen = picks.get(choice)
        if seen is None:
            picks[choice] = [1, time, review_id]
        else:
            seen[0] += 1


def _local_date(zone: timezone, moment: datetime) -> int:
    return moment.astimezone(zone).date().toordinal()


def day_of(ordinal: int) -> date:
    return date.fromordinal(ordinal)
