"""Output printed a page at a time: lines of Rich text given one after another are printed
as one text (measured, wrapped and written once) instead of line by line, with the same
characters on the screen. A long report such as `stats` prints sixty lines."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class Screen(Protocol):
    """Where a view prints: a Rich console, or a `Page` of one."""

    @property
    def width(self) -> int: ...

    def print(self, *objects: Any) -> None: ...


class Page:
    """A `Screen` that keeps lines of text until `show` (or the end of a `with` block) and
    prints anything else (a table) in its place, after the lines before it."""

    def __init__(self, term: Console) -> None:
        self.term = term
        self._lines: list[Text] = []

    @property
    def width(self) -> int:
        return self.term.width

    def print(self, *objects: Any) -> None:
        from rich.text import Text

        if not objects:
            self._lines.append(Text())
        elif len(objects) == 1 and isinstance(objects[0], Text):
            self._lines.append(objects[0])
        else:
            self.show()
            self.term.print(*objects)

    def show(self) -> None:
        from rich.text import Text

        if self._lines:
            lines, self._lines = self._lines, []
            self.term.print(Text("\n").join(lines))

    def __enter__(self) -> Page:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.show()
