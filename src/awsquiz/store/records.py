"""One review-log record: what a valid one holds, and how one is written.

A record that passes `check_record` is one every reader can rely on."""

from __future__ import annotations

import math
import re
from itertools import repeat
from operator import contains, eq, is_, itemgetter
from typing import Any

from awsquiz.model import MARK_KINDS, Mark, Review, ReviewDict
from awsquiz.model.times import MAX_YEAR, MIN_YEAR, canonical

# The newest log format this version reads. Answers are still written as version 1, exactly
# as before; undo and suspension marks are version 2, so that an older awsquiz, which would
# otherwise take a mark for a damaged answer (and suggest deleting the line), says instead
# that the log was written by a newer awsquiz and changes nothing.
LOG_VERSION = 2
REVIEW_VERSION = 1
MARK_VERSION = 2
RECORD_START = '{"v":'


MAX_MS = 10**12  # a response time of decades is damage, not a slow answer
_STATES = (1, 2, 3)  # model.State: learning, review, relearning


def _is_count(value: object) -> bool:
    """A whole number that is not negative and not absurdly large."""
    return type(value) is int and value >= 0


def _is_num(value: object) -> bool:
    """A whole or finite number (the json module reads NaN and Infinity too)."""
    return type(value) is int or (
        type(value) is float and math.isfinite(value)
    )


def _time(obj: dict[str, Any], name: str, label: str) -> str | None:
    """Check one time field and put it in the one canonical form, in place."""
    value = obj[name]
    fixed = canonical(value)
    if fixed is None:
        return (
            f'field "{label}" is not an ISO 8601 time: {_shown(value)} (a time with its UTC '
            f"offset, in the years {MIN_YEAR} to {MAX_YEAR})"
        )
    if fixed is not value:
        obj[name] = fixed
    return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_state(state: object, time: tuple[object, str]) -> str | None:
    """The state's fields; `time` is the record's time as read and as made canonical (the
    last review is most often the same text, which then needs no second reading)."""
    if type(state) is not dict:
        return 'field "state" should be an object with the card\'s scheduler state'
    stage = state.get("state")
    if type(stage) is not int or stage not in _STATES:
        return 'field "state.state" should be 1 (learning), 2 (review) or 3 (relearning)'
    step = state.get("step")
    if step is None:
        if stage == 3:
            return 'field "state.step" should be a whole number for a relearning card'
    elif not _is_count(step):
        return 'field "state.step" should be a whole number (0 or more) or null'
    stability, difficulty = state.get("stability"), state.get("difficulty")
    if stability is None and difficulty is None and stage == 1:
        pass  # a learning card the scheduler has not measured yet
    elif not _is_num(stability) or stability <= 0:  # type: ignore[operator]
        return 'field "state.stability" should be a number above 0'
    elif not _is_num(difficulty):
        return 'field "state.difficulty" should be a number'
    if "due" not in state:
        return 'field "state.due" is missing'
    problem = _time(state, "due", "state.due")
    if problem is not None:
        return problem
    last = state.get("last_review")
    if last is not None and last == time[0]:
        state["last_review"] = time[1]
    elif last is not None:
        problem = _time(state, "last_review", "state.last_review")
        if problem is not None:
            return problem
    elif "last_review" not in state:
        return 'field "state.last_review" is missing'
    for name in ("reps", "lapses"):
        if name in state and not _is_count(state[name]):
            return f'field "state.{name}" should be a whole number (0 or more)'
    return None


# The time of day and offset of a canonical time, after its date (ASCII digits only).
_CLOCK = re.compile(r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}\+00:00").fullmatch
# Dates (YYYY-MM-DD) seen in a time that `canonical` found already canonical and in range: a
# time with one of these dates and a valid clock is canonical too (a log has few dates).
_DATES: set[str] = set()


def _is_canonical(value: object) -> bool:
    """Whether `value` is a time already in the one canonical form (see `_DATES`)."""
    if type(value) is not str or _CLOCK(value, 10) is None:
        return False
    if value[:10] in _DATES:
        return True
    if canonical(value) is value:
        _DATES.add(value[:10])
        return True
    return False


# A review as this version writes it: its fields in order, and the types they may have.
_KEYS = ("v", "id", "deck", "card", "time", "rating", "right", "picked", "ms", "kind", "state")
_STATE_KEYS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps",
               "lapses")
_SHAPES = frozenset(
    (int, str, str, str, str, int, right, picked, ms, str, dict)
    for right in (bool, type(None)) for picked in (list, str, type(None)) for ms in (int, float)
)
_STATE_SHAPES = frozenset(
    (int, step, float, float, str, last, int, int)
    for step in (int, type(None)) for last in (str, type(None))
)
_INF = math.inf


def _plain(obj: dict[str, Any]) -> bool:
    """Whether `obj` is a valid review exactly as this version writes it, every time
    canonical: what nearly every line is, told in few steps (the types of its fields at
    once). False only sends it to the full check."""
    if tuple(obj) != _KEYS or tuple(map(type, obj.values())) not in _SHAPES:
        return False
    state = obj["state"]
    if tuple(state) != _STATE_KEYS or tuple(map(type, state.values())) not in _STATE_SHAPES:
        return False
    picked, stage, step, last = obj["picked"], state["state"], state["step"], state["last_review"]
    return (
        1 <= obj["v"] <= LOG_VERSION and 1 <= obj["rating"] <= 4 and 0 <= obj["ms"] <= MAX_MS
        and obj["id"] != "" and obj["deck"] != "" and obj["card"] != ""
        and obj["kind"] not in MARK_KINDS
        and (type(picked) is not list or all(type(item) is str for item in picked))
        and stage in _STATES and (step is None and stage != 3 or step is not None and step >= 0)
        and 0 < state["stability"] < _INF and -_INF < state["difficulty"] < _INF
        and state["reps"] >= 0 and state["lapses"] >= 0
        and _is_canonical(obj["time"]) and _is_canonical(state["due"])
        and (last is None or last == obj["time"] or _is_canonical(last))
    )


def all_need_nothing(records: list[Any]) -> bool:
    """Whether reviews checked once already (their bytes vouched for by this machine's
    snapshot, `store.snapshot.vouched`) may be used as they are by the figures of `stats`:
    each an object with a state and its time in the canonical form (as `canonical` tells
    it). Their state's times are put in that form where the figures keep them
    (`model.figures.Figures.settle`). False sends them to the full check.

    Told a field at a time over them all, in C: a first `stats` asks it of every review."""
    if not all(map(is_, map(type, records), repeat(dict))):
        return False
    if not all(map(contains, records, repeat("state"))):
        return False
    times: list[Any] = list(map(dict.get, records, repeat("time")))
    return (
        all(map(is_, map(type, times), repeat(str)))
        and all(map(eq, map(len, times), repeat(32)))
        and all(map(eq, map(_MARKS, times), repeat(("-", "-", "T", "."))))
        and all(map(eq, map(_ZONE, times), repeat("+00:00")))
    )


_MARKS, _ZONE = itemgetter(4, 7, 10, 19), itemgetter(slice(26, None))  # of a canonical time


def check_record(obj: object) -> str | None:
    """What is wrong with one parsed log record, or None if it is a valid review.

    The one check of every reader (this machine's log, other machines' logs, import and
    merge): a record that passes holds every field a reader relies on, in range, and its
    times in the one canonical UTC form (put there in place), so that comparing their texts
    compares the instants."""
    if type(obj) is dict and _plain(obj):
        return None
    return check_fully(obj)


def check_fully(obj: object) -> str | None:
    """`check_record` without its shortcut for what this version writes (`_plain`)."""
    if type(obj) is not dict:
        return "not a review record (expected a JSON object)"
    version = obj.get("v")
    if type(version) is not int or version < 1:
        return 'field "v" (the log format version) is missing or not a positive whole number'
    if version > LOG_VERSION:
        return (
            f"written by a newer awsquiz (log format version {version}; "
            f"this version reads up to {LOG_VERSION})"
        )
    for name in ("id", "deck", "card", "time"):
        value = obj.get(name)
        if type(value) is not str or not value:
            return f'field "{name}" is missing or not text'
    raw_time = obj["time"]
    problem = _time(obj, "time", "time")
    if problem is not None:
        return problem
    kind = obj.get("kind")
    if type(kind) is str and kind in MARK_KINDS:  # a list or the like is told of below
        return check_mark(obj)
    problem = _answer_problem(obj, "rating", "right", "picked")
    if problem is not None:
        return problem
    if "ms" in obj and not (_is_num(obj["ms"]) and 0 <= obj["ms"] <= MAX_MS):
        return 'field "ms" should be a number of milliseconds (the response time), 0 or more'
    if "kind" in obj and type(obj["kind"]) is not str:
        return 'field "kind" should be text'
    return _check_state(obj.get("state"), (raw_time, obj["time"]))


def _answer_problem(
    obj: dict[str, Any], rating: str, right: str, picked: str, label: str = ""
) -> str | None:
    """What is wrong with an answer's rating, rightness and picked choices, named as the
    fields `rating`, `right` and `picked` of `obj` (shown after `label`)."""
    value = obj.get(rating)
    if type(value) is not int or not 1 <= value <= 4:
        return f'field "{label}{rating}" should be 1, 2, 3 or 4'
    if right not in obj or obj[right] not in (True, False, None):
        return f'field "{label}{right}" should be true, false or null'
    choices = obj.get(picked)
    if (
        choices is not None
        and type(choices) is not str
        and (type(choices) is not list or any(type(item) is not str for item in choices))
    ):
        return f'field "{label}{picked}" should be text, a list of texts, or null'
    return None


def check_mark(obj: dict[str, Any]) -> str | None:
    """What is wrong with a mark (undo, suspend, unsuspend) whose common fields (version, id,
    deck, card, time) were checked, or None."""
    if obj["v"] < MARK_VERSION:
        return f'a "{obj["kind"]}" record needs log format version {MARK_VERSION} or later'
    if obj["kind"] != "undo":
        return None
    undoes = obj.get("undoes")
    if type(undoes) is not str or not undoes:
        return 'field "undoes" (the id of the review undone) is missing or not text'
    restores = obj.get("restores", 0)
    if restores is None:
        return None
    if type(restores) is not dict:
        return 'field "restores" should be the card\'s progress before the review, or null'
    for name in ("last_id", "last_time", "first_time"):
        if type(restores.get(name)) is not str:
            return f'field "restores.{name}" is missing or not text'
    for name in ("last_time", "first_time"):
        problem = _time(restores, name, f"restores.{name}")
        if problem is not None:
            return problem
    problem = _answer_problem(restores, "last_rating", "last_right", "last_picked", "restores.")
    if problem is not None:
        return problem
    problem = _check_state(restores.get("state"), (restores["last_time"], restores["last_time"]))
    return None if problem is None else problem.replace('"state', '"restores.state', 1)


def dumps_mark(mark: Mark) -> bytes:
    """A mark's log line, newline included, held to the same check as every record read."""
    record: dict[str, Any] = dict(mark.to_dict(MARK_VERSION))
    problem = check_record(record)
    if problem is not None:
        raise ValueError(problem)
    return _line(record)


def dumps_record(record: Review | Mark) -> bytes:
    """The log line of a review or a mark."""
    return dumps_mark(record) if isinstance(record, Mark) else dumps_review(record)


def checked(review: Review) -> tuple[Review, bytes]:
    """A review about to be written, held to the same check as every record read (times put
    in the canonical form), and its log line, newline included. ValueError saying what is
    wrong if it is not a valid record: nothing is ever written that a reader would refuse."""
    record = review.to_dict(REVIEW_VERSION)
    state_times = (record["state"]["due"], record["state"]["last_review"])
    problem = check_record(record)
    if problem is not None:
        raise ValueError(problem)
    if record["time"] is not review.time or state_times != (
        record["state"]["due"], record["state"]["last_review"]
    ):
        review = Review.from_dict(record)
    return review, _line(record)


def dumps_review(review: Review) -> bytes:
    """One log line, newline included (the standard library's JSON, as it always was)."""
    return checked(review)[1]


def encode(review: Review) -> bytes:
    """The log line of a review read from a log, which passed `check_record` then."""
    return _line(review.to_dict(REVIEW_VERSION))


def encode_record(record: ReviewDict) -> bytes:
    """The log line of a review or mark read from a log, which passed `check_record` then."""
    if record.get("kind") in MARK_KINDS:
        return _line(dict(record))
    return encode(Review.from_dict(record))


def _line(record: ReviewDict | dict[str, Any]) -> bytes:
    import json  # only when answers are saved, not on the way to the first card

    text = json.dumps(record, separators=(",", ":"))
    return text.encode("ascii") + b"\n"
