"""The one user-facing error type; the CLI turns it into a message and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not loaded for --help, which never raises one
    from awsquiz.model import Problem

EXIT_FAILURE = 1  # a failure the user can fix: invalid deck, unreadable progress
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class AwsquizError(Exception):
    """A failure the user can act on. `problems` lists every deck problem found at once."""

    def __init__(
        self,
        message: str,
        *,
        hint: str = "",
        exit_code: int = EXIT_FAILURE,
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code
        self.problems = tuple(problems)


class DeckError(AwsquizError):
    """A deck file that cannot be read at all. Where it went wrong travels as fields (file,
    line, column: 0 when unknown), so a report never has to parse them back out of text."""

    def __init__(
        self, path: str, detail: str, *, line: int = 0, column: int = 0, hint: str = ""
    ) -> None:
        where = f"{path}:{line}:{column}" if line else path
        super().__init__(f"{where}: {detail}", hint=hint)
        self.path = path
        self.line = line
        self.column = column
        self.detail = detail
