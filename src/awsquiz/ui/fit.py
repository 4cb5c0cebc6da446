"""Tables that fit the screen: columns are left out, least needed first, rather than cut
short with an ellipsis or broken in the middle of a word."""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text


def fit_columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    gap: int,
    drop: Sequence[str],
) -> list[int]:
    """The indices of the columns to show: every column at its widest cell, `gap` spaces
    between them, leaving out the columns named in `drop`, in that order, until the table
    fits in `width` (or nothing more may be left out)."""
    widths = [
        max([len(header), *(len(row[index]) for row in rows)])
        for index, header in enumerate(headers)
    ]
    kept = list(range(len(headers)))
    to_drop = [headers.index(name) for name in drop if name in headers]

    def total() -> int:
        return sum(widths[i] for i in kept) + gap * (len(kept) - 1)

    while total() > width and to_drop:
        kept.remove(to_drop.pop(0))
    return kept


def aligned(
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    gap: int,
    right: Container[int],
    styles: Sequence[str] = (),
    bold: Container[int] = (),
    header: bool = False,
) -> Text | None:
    """Rows of cells in columns as Rich's Table draws them when they fit (box=None, no edge
    padding): `gap` spaces between columns, the `right` ones justified right, column `i` in
    `styles[i]`, the rows in `bold` bold, and with `header` the first row bold alone. One
    Text, made without the Table's measuring and rendering of every cell one by one. None if
    the rows are wider than `width`: the Table then folds or crops cells, so use it."""
    from rich.cells import cell_len
    from rich.text import Text

    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if sum(widths) + gap * (len(widths) - 1) > width:
        return None
    text = Text()
    space = " " * gap
    for number, row in enumerate(rows):
        if number:
            text.append("\n")
        weight = "bold" if number in bold or (header and number == 0) else ""
        for index, cell in enumerate(row):
            if index:
                text.append(space)
            pad = " " * (widths[index] - cell_len(cell))
            style = "" if header and number == 0 else styles[index] if index < len(styles) else ""
            text.append(pad + cell if index in right else cell + pad,
                        style=f"{weight} {style}".strip())
    return text
