"""The learner's settings, kept in config.json beside their progress."""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.scheduling.days import DEFAULT_DAY_START, check_day_start
from awsquiz.scheduling.scheduler import (
    DEFAULT_RETENTION,
    LOWER_BOUNDS,
    PARAMETER_COUNT,
    UPPER_BOUNDS,
)
from awsquiz.system import fastjson
from awsquiz.system.files import atomic_write

FILE = "config.json"
DEFAULT_NEW_PER_DAY = 10
LEECH_SUSPEND = "suspend"  # a card missed 8 times is suspended (as Anki does by default)
LEECH_TAG = "tag"  # ... or only marked a leech, and kept in sessions
LEECH_ACTIONS = (LEECH_SUSPEND, LEECH_TAG)


@dataclass(frozen=True)
class Config:
    """The learner's settings, kept in config.json in the progress folder: desired retention,
    the hour a new day starts, how many new cards a day `study` introduces (when --new is not
    given), and the FSRS parameters `optimize` adopted (None: defaults)."""

    retention: float = DEFAULT_RETENTION
    day_start: int = DEFAULT_DAY_START
    parameters: tuple[float, ...] | None = None
    new_per_day: int = DEFAULT_NEW_PER_DAY
    leech_action: str = LEECH_SUSPEND  # one of LEECH_ACTIONS

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "retention": self.retention, "day_start": self.day_start,
            "new_per_day": self.new_per_day,
        }
        if self.parameters is not None:
            data["parameters"] = list(self.parameters)
        data["leech_action"] = self.leech_action
        return data


def check_retention(value: float) -> float:
    if not 0.7 <= value <= 0.99:
        raise AwsquizError(
            f"--retention {value}: desired retention must be between 0.70 and 0.99",
            hint="0.9 (the default) means you expect to recall 90% of cards when they are due",
            exit_code=EXIT_USAGE,
        )
    return value


def check_parameters(value: object) -> tuple[float, ...]:
    """FSRS-6 parameters: 21 numbers, each in the range the scheduler accepts; ValueError
    otherwise."""
    if not isinstance(value, list | tuple) or len(value) != PARAMETER_COUNT:
        raise ValueError(f"parameters: a list of {PARAMETER_COUNT} numbers")
    numbers = []
    for item, low, high in zip(value, LOWER_BOUNDS, UPPER_BOUNDS, strict=True):
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise ValueError(f"parameters: {item!r} is not a finite number")
        if not low <= item <= high:
            raise ValueError(f"parameters: {item!r} is not between {low} and {high}")
        numbers.append(float(item))
    return tuple(numbers)


def usable(parameters: tuple[float, ...]) -> bool:
    """Whether these parameters would be kept (as `check_parameters` checks them)."""
    try:
        check_parameters(parameters)
    except ValueError:
        return False
    return True


def load(folder: Path) -> Config:
    """The saved settings; a missing or damaged file, or a damaged setting, means the
    defaults (for that setting)."""
    try:
        data = fastjson.loads((folder / FILE).read_bytes())
    except (OSError, ValueError):
        return Config()
    if not isinstance(data, dict):
        return Config()
    defaults = Config()
    retention, day_start, parameters = defaults.retention, defaults.day_start, None
    with contextlib.suppress(ValueError, KeyError, TypeError, AwsquizError):
        retention = check_retention(float(data["retention"]))
    with contextlib.suppress(ValueError):
        day_start = check_day_start(data.get("day_start", day_start))
    with contextlib.suppress(ValueError):
        if data.get("parameters") is not None:
            parameters = check_parameters(data["parameters"])
    daily = data.get("new_per_day")
    new_per_day = daily if type(daily) is int and daily >= 0 else defaults.new_per_day
    action = data.get("leech_action")
    leech_action = action if action in LEECH_ACTIONS else defaults.leech_action
    return Config(
        retention=retention, day_start=day_start, parameters=parameters, new_per_day=new_per_day,
        leech_action=leech_action,
    )


def save(folder: Path, config: Config) -> None:
    import json

    path = folder / FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, (json.dumps(config.to_dict(), indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise AwsquizError(f"{path}: could not save the settings: {exc.strerror}") from None
