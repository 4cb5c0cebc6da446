"""Reading a line that may not come in time: an exam's prompt ends at the deadline.

The file descriptor is read directly, with `select` waiting at most until the deadline, so
nothing is left half-read in a buffer and no thread is left blocked on the keyboard. A
terminal hands over whole lines (it edits the line itself until Enter); a pipe may hand
over many at once, and the rest are kept for the next read.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import time


class TimedLines:
    """Lines of one file descriptor, each waited for at most a given time."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._text = ""
        self._ended = False

    def read(self, timeout: float) -> str:
        """The next line with its newline; '' at the end of input. TimeoutError when no
        whole line came within `timeout` seconds."""
        until = time.monotonic() + timeout
        while "\n" not in self._text and not self._ended:
            left = until - time.monotonic()
            ready = select.select([self._fd], [], [], left)[0] if left > 0 else []
            if not ready:
                self._drop_half_typed()
                raise TimeoutError
            chunk = os.read(self._fd, 65536)
            if chunk:
                self._text += self._decoder.decode(chunk)
            else:
                self._text += self._decoder.decode(b"", final=True)
                self._ended = True
        if "\n" in self._text:
            line, self._text = self._text.split("\n", 1)
            return line + "\n"
        line, self._text = self._text, ""
        return line


    def _drop_half_typed(self) -> None:
        """A line half typed at a terminal when the time ran out is thrown away, so that the
        shell does not get it once the command is over."""
        if os.isatty(self._fd):
            import termios

            with contextlib.suppress(termios.error):
                termios.tcflush(self._fd, termios.TCIFLUSH)


def timed_lines(stream: object) -> TimedLines | None:
    """A `TimedLines` over a stream's file descriptor, or None where it has none to wait on
    (a test's in-memory input) or `select` cannot wait on it (Windows)."""
    if os.name != "posix":
        return None
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    return TimedLines(fd) if isinstance(fd, int) else None
