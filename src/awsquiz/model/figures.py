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
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

RETENTION_DAYS = 30
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

    def __init__(self, offset_seconds: int) -> None:
        self.offset = offset_seconds
        self.days: dict[str, dict[int, DayRow]] = {}
        self.cards: dict[str, dict[str, CardRow]] = {}
        self.recent: dict[int, dict[str, list[int]]] = {}
        self.newest_day = 0  # of any review; 0: none yet
        self.broken = False
        self.touched: set[str] = set()  # the card keys added to since made or read back
        self.local_day = LocalDays(offset_seconds)
        self._owner: dict[str, str] | None = None  # card key -> deck, made when first needed
        self._day_lists: dict[str, list[list[int]]] | None = None

    @property
    def horizon(self) -> int:
        """The first day `recent` keeps."""
        return self.newest_day - (RETENTION_DAYS - 1)

    def add(
        self, time: str, review_id: str, deck: str, card: str, rating: int,
        right: bool | None, picked: Any, ms: int, state: Any,
    ) -> None:
        """Add one review (`state` is its state dict, as the log has it)."""
        group = self.cards.get(deck)
        if group is None:
            group = self.cards[deck] = {}
            self.days[deck] = {}
        key = deck + "/" + card
        row = group.get(key)
        days_of = self.local_day
        day = days_of.cache.get(time[: days_of.width]) if len(time) == 32 else None
        if day is None or not time.endswith("+00:00"):
            day = days_of(time)
        previous = None
        if row is None:
            if self._claimed(key, deck):
                self.broken = True
                return
            row = group[key] = [None] * CARD_FIELDS
            row[ANSWERS] = row[KEPT] = 0
        else:
            if (time, review_id) <= (row[LAST_TIME], row[LAST_ID]):
                # Out of order, or a copy the reader could not drop (see the caller).
                self.broken = True
                return
            previous = row[AFTER]
        self._day_lists = None
        days = self.days[deck]
        totals = days.get(day)
        if totals is None:
            totals = days[day] = [0, 0, 0, 0]
        totals[COUNT] += 1
        totals[MS] += ms
        if previous == REVIEW_STATE:
            kept = rating != 1
            totals[IN_REVIEW] += 1
            totals[RETAINED] += kept
            row[ANSWERS] += 1
            row[KEPT] += kept
            if day >= self.horizon:
                recent = self.recent.get(day)
                if recent is None:
                    recent = self.recent[day] = {}
                tally = recent.get(key)
                if tally is None:
                    recent[key] = [1, int(kept)]
                else:
                    tally[0] += 1
                    tally[1] += kept
        if right is False and type(picked) in (list, tuple):
            picks = row[PICKS]
            if picks is None:
                picks = row[PICKS] = {}
            for choice in picked:
                seen = picks.get(choice)
                if seen is None:
                    picks[choice] = [1, time, review_id]
                else:
                    seen[0] += 1
        self.touched.add(key)
        row[AFTER] = int(state["state"])
        row[STABILITY] = state["stability"]
        row[DUE] = state["due"]
        row[LAST_REVIEW] = state["last_review"]
        row[LAPSES] = int(state.get("lapses", 0))
        row[MISSED] = is_missed(right, rating)
        row[LAST_TIME], row[LAST_ID], row[DUE_DAY] = time, review_id, None
        if row[LAST_DAY] is None or day > row[LAST_DAY]:
            row[LAST_DAY] = day  # the latest day of any of its reviews
        if day > self.newest_day:
            self.newest_day = day
            for old in [d for d in self.recent if d < self.horizon]:
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
        self.add(
            review.time, review.id, review.deck, review.card, int(review.rating),
            review.right, review.picked, int(review.ms), review.state.to_dict(),
        )

    def settle(self) -> None:
        """Work out the local due day of every card whose row changed since."""
        local_day = self.local_day.exact
        for group in self.cards.values():
            for row in group.values():
                if row[DUE_DAY] is None:
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
        doc: dict[str, Any], recent: dict[int, dict[str, list[int]]] | None = None
    ) -> Figures:
        """Figures from `to_doc` (and `recent_doc`, when they are to grow); ValueError,
        KeyError or TypeError if `doc` is not one."""
        figures = Figures(int(doc["offset"]))
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


def day_of(ordinal: int) -> date:
    return date.fromordinal(ordinal)
