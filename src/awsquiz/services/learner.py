"""The learner's scheduler: their desired retention, FSRS parameters and calendar days, as
config.json and the clock give them."""

from __future__ import annotations

from pathlib import Path

from awsquiz.scheduling.days import LearnerDays
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.store import config as settings
from awsquiz.system import paths


def days(config: settings.Config) -> LearnerDays:
    """The learner's days: their day start, in AWSQUIZ_NOW's offset or the system's zone."""
    return LearnerDays(config.day_start, paths.learner_zone())


def scheduler(config: settings.Config, *, fuzz: bool = True) -> Scheduler:
    return Scheduler(
        config.retention, fuzz=fuzz, parameters=config.parameters, days=days(config)
    )


def scheduler_of(folder: Path, *, fuzz: bool = True) -> Scheduler:
    """The scheduler of the learner whose progress is in `folder`."""
    return scheduler(settings.load(folder), fuzz=fuzz)
