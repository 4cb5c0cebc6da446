"""The four FSRS ratings."""

from __future__ import annotations

from enum import IntEnum


class Rating(IntEnum):
    """The four FSRS ratings; auto-graded answers use AGAIN (wrong) and GOOD (right)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


RATINGS = {rating.value: rating for rating in Rating}  # a KeyError for anything else
