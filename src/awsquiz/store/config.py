"""The learner's settings, kept in config.json beside their progress."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.scheduling.scheduler import DEFAULT_RETENTION
from awsquiz.system import fastjson
from awsquiz.system.files import atomic_write

FILE = "config.json"


@dataclass(frozen=True)
class Config:
    """The learner's settings, kept in config.json in the progress folder."""

    retention: float = DEFAULT_RETENTION


def check_retention(value: float) -> float:
    if not 0.7 <= value <= 0.99:
        raise AwsquizError(
            f"--retention {value}: desired retention must be between 0.70 and 0.99",
            hint="0.9 (the default) means you expect to recall 90% of cards when they are due",
            exit_code=EXIT_USAGE,
        )
    return value


def load(folder: Path) -> Config:
    """The saved settings; a missing or damaged file means the defaults."""
    try:
        data = fastjson.loads((folder / FILE).read_bytes())
        return Config(retention=check_retention(float(data["retention"])))
    except (OSError, ValueError, KeyError, TypeError, AwsquizError):
        return Config()


def save(folder: Path, config: Config) -> None:
    import json

    path = folder / FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, (json.dumps(asdict(config), indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise AwsquizError(f"{path}: could not save the settings: {exc.strerror}") from None
