"""One review-log record: what a valid one holds, and how one is written.

A record that passes `check_record` is one every reader can rely on."""

from __future__ import annotations

import math
from datetime import datetime

from awsquiz.model import Review

LOG_VERSION = 1
RECORD_START = '{"v":'


def _is_int(value: object) -> bool:
    return type(value) is int


def _is_num(value: object) -> bool:
    """A whole or finite number (the json module reads NaN and Infinity too)."""
    return type(value) is int or (type(value) is float and math.isfinite(value))


def _check_state(state: object) -> str | None:
    if type(state) is not dict:
        return 'field "state" should be an object with the card\'s scheduler state'
    if not _is_int(state.get("state")):
        return 'field "state.state" should be a whole number'
    step = state.get("step")
    if step is not None and not _is_int(step):
        return 'field "state.step" should be a whole number or null'
    for name in ("stability", "difficulty"):
        value = state.get(name)
        if value is not None and not _is_num(value):
            return f'field "state.{name}" should be a number or null'
    if type(state.get("due")) is not str:
        return 'field "state.due" should be a time (text)'
    last = state.get("last_review")
    if last is not None and type(last) is not str:
        return 'field "state.last_review" should be a time (text) or null'
    for name in ("reps", "lapses"):
        if name in state and not _is_int(state[name]):
            return f'field "state.{name}" should be a whole number'
    return None


def check_record(obj: object) -> str | None:
    """What is wrong with one parsed log record, or None if it is a valid review."""
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
    try:
        datetime.fromisoformat(obj["time"])
    except ValueError:
        return f'field "time" is not an ISO 8601 time: {obj["time"]!r}'
    rating = obj.get("rating")
    if type(rating) is not int or not 1 <= rating <= 4:
        return 'field "rating" should be 1, 2, 3 or 4'
    if "right" not in obj or obj["right"] not in (True, False, None):
        return 'field "right" should be true, false or null'
    picked = obj.get("picked")
    if (
        picked is not None
        and type(picked) is not str
        and (type(picked) is not list or any(type(item) is not str for item in picked))
    ):
        return 'field "picked" should be text, a list of texts, or null'
    if "ms" in obj and not _is_num(obj["ms"]):
        return 'field "ms" should be a number'
    if "kind" in obj and type(obj["kind"]) is not str:
        return 'field "kind" should be text'
    return _check_state(obj.get("state"))



def dumps_review(review: Review) -> bytes:
    """One log line, newline included (the standard library's JSON, as it always was)."""
    import json  # only when answers are saved, not on the way to the first card

    text = json.dumps(review.to_dict(LOG_VERSION), separators=(",", ":"))
    return text.encode("ascii") + b"\n"
