"""What `awsquiz undo`, `suspend` and `unsuspend` did, in a line or two."""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsquiz.ui import console, inert
from awsquiz.ui.text import ago

if TYPE_CHECKING:
    from awsquiz.services.control import Suspension
    from awsquiz.services.marks import Undone


def show_undone(undone: Undone) -> None:
    from awsquiz.model.times import from_iso
    from awsquiz.system import paths

    review = undone.review
    verdict = {True: "right", False: "wrong", None: "self-rated"}[review.right]
    when = ago(review.time, paths.now())
    state = "it is new again" if undone.restored is None else "it is back as it was before"
    out = console()
    out.print(
        f"undone: your {verdict} answer to {inert(review.deck)}/{inert(review.card)}, "
        f"{when} ({from_iso(review.time):%Y-%m-%d %H:%M} UTC, a {review.kind} session); "
        f"{state}",
        markup=False, highlight=False,
    )


_SHOWN = 8  # keys listed by name; a whole deck is summed up after these


def _keys(keys: list[str]) -> str:
    named = ", ".join(inert(key) for key in keys[:_SHOWN])
    return named + (f" and {len(keys) - _SHOWN} more" if len(keys) > _SHOWN else "")


def show_suspension(result: Suspension, on: bool) -> None:
    out = console()
    verb = "suspended" if on else "unsuspended"
    if result.changed:
        count = len(result.changed)
        out.print(f"{verb} {count} card{'s' if count != 1 else ''}: {_keys(result.changed)}",
                  markup=False, highlight=False)
    if result.unchanged:
        already = "already suspended" if on else "not suspended"
        out.print(f"{already}: {_keys(result.unchanged)}", markup=False, highlight=False)
    if on and result.changed:
        out.print("no session shows them until: awsquiz unsuspend DECK/ID", markup=False,
                  highlight=False, style="dim")
