"""What `awsquiz convert` wrote: notes, cards, and the notes skipped with why."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from awsquiz.ui import inert

if TYPE_CHECKING:
    from awsquiz.services.convert import Converted

_SHOWN_IDS = 5


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def show_converted(result: Converted, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    dest = inert(result.dest)
    if result.to_anki:
        print(f"wrote {dest}: {_plural(result.decks, 'deck')}, {_plural(result.notes, 'note')}, "
              f"{_plural(result.anki_cards, 'Anki card')} for "
              f"{_plural(result.cards, 'awsquiz card')}", file=out)
        print("import it in Anki (File > Import); importing a newer conversion updates the "
              "same notes", file=out)
        return
    if not result.deck_id:
        print(f"wrote {dest}: {_plural(result.cards, 'card')} of "
              f"{_plural(result.decks, 'deck')}", file=out)
        return
    skipped = sum(len(ids) for ids in result.skipped.values())
    print(f"wrote {dest}: deck '{inert(result.deck_id)}', {_plural(result.cards, 'card')} from "
          f"{_plural(result.notes, 'note')}, {skipped} skipped", file=out)
    for reason, ids in result.skipped.items():
        shown = ", ".join(str(i) for i in ids[:_SHOWN_IDS])
        more = f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else ""
        notes = "note" if len(ids) == 1 else "notes"
        print(f"  skipped {len(ids)}, {notes} {shown}{more}: {inert(reason)}", file=out)
    print(f"check it with: awsquiz check {dest}", file=out)
