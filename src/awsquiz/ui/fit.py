"""Tables that fit the screen: columns are left out, least needed first, rather than cut
short with an ellipsis or broken in the middle of a word."""

from __future__ import annotations

from collections.abc import Sequence


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
