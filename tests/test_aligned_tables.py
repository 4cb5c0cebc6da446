"""The stats screen's tables are drawn without Rich's Table when they fit (`ui.fit.aligned`):
the text on the screen is what the Table draws, for any cells, and the Table is still used
when they do not fit."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from awsquiz.ui.fit import aligned

CELL = st.text(st.sampled_from("ab-_9%,. 日本é"), min_size=1, max_size=12).map(str.strip).filter(
    bool)


def _screen(renderable: object, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, highlight=False, markup=False, emoji=False,
            soft_wrap=False).print(renderable)
    return out.getvalue()


@settings(max_examples=40, deadline=None)
@given(columns=st.integers(2, 6), data=st.data(), width=st.integers(20, 120))
def test_a_table_with_a_header_reads_as_the_rich_table(
    columns: int, data: st.DataObject, width: int
) -> None:
    rows = data.draw(st.lists(st.lists(CELL, min_size=columns, max_size=columns), min_size=2,
                              max_size=6))
    table = Table(box=None, pad_edge=False, padding=(0, 0, 0, 1), header_style="bold")
    table.add_column(rows[0][0], no_wrap=True, style="cyan")
    for header in rows[0][1:]:
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows[1:]:
        table.add_row(*map(Text, row))
    lines = aligned(rows, width, gap=1, right=range(1, columns), styles=["cyan"], header=True,
                    bold=[len(rows) - 1])
    if lines is not None:
        assert _screen(lines, width) == _screen(table, width)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=6),
       width=st.integers(20, 120))
def test_a_table_without_a_header_reads_as_the_rich_table(
    rows: list[list[str]], width: int
) -> None:
    from awsquiz.ui.stats import WEAK_TAG_STYLES, weak_tags_table

    lines = aligned(rows, width, gap=2, right=(1, 2), styles=WEAK_TAG_STYLES)
    if lines is not None:
        assert _screen(lines, width) == _screen(weak_tags_table(rows), width)


def test_rows_wider_than_the_screen_are_left_to_the_table() -> None:
    rows = [["deck", "cards"], ["a-very-long-deck-id", "10,000"]]
    assert aligned(rows, 26, gap=1, right=(1,)) is not None
    assert aligned(rows, 25, gap=1, right=(1,)) is None
