"""Building frozen dataclasses from data that is already checked, without their __init__.

A frozen dataclass's __init__ sets each field through object.__setattr__, several times slower
than filling the instance's __dict__; start-up builds thousands of cards and card states from
caches, so their from_dict methods (and the deck reader) use `construct`. It is the only place
that builds a dataclass this way.
"""

from __future__ import annotations

from typing import Any, TypeVar

_T = TypeVar("_T")


def construct(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of `cls` holding `fields`: every field, already of its type."""
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj
