"""Reading a deck file's text: a regular file, within the size limit, in UTF-8."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from awsquiz.errors import DeckError

MAX_FILE_BYTES = 20 * 1024 * 1024


def read_deck_text(path: Path) -> str:
    """The file's text, or DeckError saying which file and what is wrong with it."""
    try:
        # Non-blocking, so that a named pipe is refused below instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
                raise DeckError(str(path), f"cannot read the file: it is {kind}")
            size = info.st_size
            if size > MAX_FILE_BYTES:
                raise _too_big(path, size)
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # the file may grow while it is read
            if len(data) > MAX_FILE_BYTES:
                raise _too_big(path, len(data))
        finally:
            os.close(fd)
    except OSError as exc:
        raise DeckError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DeckError(
            str(path),
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            line=line,
            column=column,
            hint="save the deck as UTF-8",
        ) from None


def _too_big(path: Path, size: int) -> DeckError:
    return DeckError(
        str(path),
        f"the file is {size / 1e6:.1f} MB; deck files are limited to "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
        hint="split it into several decks",
    )
