"""The part of a `Session` that study and review share (exams are timed and flag)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from awsquiz.session.turn import Answer, Summary, Turn


class Untimed:
    """What study and review sessions share: no flagging, no deadline, every answer taken,
    and a summary that records being stopped and the cards suspended on the way."""

    allow_flag = False
    allow_undo = True
    feedback = True
    summary: Summary

    def accepts(self, turn: Turn, answer: Answer, now: datetime) -> bool:
        return True

    def flag(self, turn: Turn) -> None:
        raise AssertionError("only an exam flags")

    def quit(self, now: datetime, *, interrupted: bool) -> None:
        self.summary.interrupted = interrupted

    def time_up(self, now: datetime) -> None:
        self.quit(now, interrupted=False)  # untimed: never happens

    def suspended(self, key: str) -> None:
        """Note that `key` was suspended during the session (its queue drops it)."""
        if key not in self.summary.suspended:
            self.summary.suspended.append(key)
