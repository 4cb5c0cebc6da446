"""The terminal layer: the only code that imports Rich or reads the learner's keyboard.

Card text always reaches the screen through `inert()`, as Rich `Text`, never as markup: a
deck's `[bold]` or escape sequence is shown as the characters it is.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from awsquiz.errors import AwsquizError

# C0 and C1 controls (but newline and tab), DEL, and the invisible characters that reorder,
# hide or break text: bidirectional marks and overrides (U+061C too), zero-width and joiner
# characters, soft hyphen, fillers that print as nothing (Hangul, Khmer, Mongolian), line
# and paragraph separators, variation selectors, interlinear annotations, invisible musical
# formatting and tag characters, BOM; and the lone surrogates that stand for the
# undecodable bytes of a file name, which cannot be printed.
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e0fff\ud800-\udfff]"
)


def inert(text: str) -> str:
    """Text with every control or hidden character shown as a visible escape (\\x1b)."""
    return CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def console(file: TextIO | None = None) -> Console:
    from rich.console import Console

    return Console(file=file, highlight=False, markup=False, emoji=False, soft_wrap=False)


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns aligned with spaces, for output that is piped or read by another program."""
    cells = [[inert(str(c)) for c in headers]] + [[inert(str(c)) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def print_error(error: AwsquizError, stream: TextIO | None = None) -> None:
    """The one place an error reaches the learner: plain text on stderr, every problem listed."""
    out = stream or sys.stderr
    for problem in error.problems:
        print(inert(str(problem)), file=out)
    print(f"error: {inert(error.message)}", file=out)
    if error.hint:
        print(f"  {inert(error.hint)}", file=out)


def say(*lines: str) -> None:
    """Lines for the learner on stdout, each shown inert, a newline in one included: file
    names and folders come from outside, and an escape sequence or a line break in one must
    neither reach the terminal nor pass for another line of output."""
    for line in lines:
        print(inert(line).replace("\n", "\\n"), file=sys.stdout)


def warn(message: str) -> None:
    print(f"warning: {inert(message)}", file=sys.stderr)
