"""`awsquiz convert SOURCE... DEST`: decks to and from Anki packages and CSV, by file type.

- DEST .apkg: the SOURCE decks (ids or YAML paths) as an Anki package.
- DEST .csv / .tsv: the SOURCE decks' cards as rows.
- DEST .yaml / .yml: the SOURCE Anki packages and CSV / TSV files as one deck file, checked
  as `awsquiz check` would before it is written.

DEST is written whole or not at all, and an existing DEST only with `force`.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.services.where import Where
from awsquiz.system.files import atomic_write

DECK_FILES = (".yaml", ".yml")
CARD_LISTS = (".csv", ".tsv")


@dataclass
class Converted:
    """What a conversion wrote."""

    dest: str
    decks: int = 0
    notes: int = 0  # Anki notes (or CSV rows) written or read
    cards: int = 0  # awsquiz cards
    anki_cards: int = 0  # the cards of the Anki package written
    skipped: dict[str, list[int]] = field(default_factory=dict)  # reason: note ids
    to_anki: bool = False
    deck_id: str = ""


def convert(where: Where, sources: Sequence[str], dest: Path, *, force: bool = False) -> Converted:
    if not sources:
        raise AwsquizError("name a SOURCE and a DEST: awsquiz convert SOURCE... DEST",
                           exit_code=EXIT_USAGE)
    if dest.exists() and not force:
        raise AwsquizError(f"{dest} exists already; nothing was written",
                           hint="add --force to overwrite it")
    if dest.is_dir():
        raise AwsquizError(f"{dest} is a folder; name a file to write")
    kind = dest.suffix.lower()
    if kind == ".apkg":
        return _to_anki(where, sources, dest, force)
    if kind in CARD_LISTS:
        return _to_card_list(where, sources, dest, force)
    if kind in DECK_FILES:
        return _to_deck_file(sources, dest, force)
    raise AwsquizError(
        f"{dest}: write which kind of file? DEST ends in .apkg (Anki), .yaml (a deck) or "
        ".csv / .tsv (a card list)", exit_code=EXIT_USAGE,
    )


def _to_anki(where: Where, sources: Sequence[str], dest: Path, force: bool) -> Converted:
    from awsquiz.decks.anki_export import write_package

    _refuse_imports(sources, ".apkg")
    decks = where.library(sources).decks
    exported = write_package(decks)
    _write(dest, exported.data, force)
    return Converted(str(dest), exported.decks, exported.notes,
                     sum(len(d.cards) for d in decks), exported.cards, to_anki=True)


def _to_card_list(where: Where, sources: Sequence[str], dest: Path, force: bool) -> Converted:
    from awsquiz.decks.csv_import import COLUMNS
    from awsquiz.decks.deck_writer import card_row

    _refuse_imports(sources, dest.suffix)
    decks = where.library(sources).decks
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, delimiter="\t" if dest.suffix.lower() == ".tsv"
                            else ",", lineterminator="\n")
    writer.writeheader()
    rows = 0
    for deck in decks:
        for card in deck.cards:
            row = card_row(card)
            if len(decks) > 1:  # ids are unique within a deck only
                row["id"] = f"{deck.id}.{card.id}"
            writer.writerow(row)
            rows += 1
    _write(dest, out.getvalue().encode("utf-8"), force)
    return Converted(str(dest), len(decks), rows, rows)


def _refuse_imports(sources: Sequence[str], dest_kind: str) -> None:
    for source in sources:
        if Path(source).suffix.lower() in (".apkg", *CARD_LISTS):
            raise AwsquizError(
                f"{source}: to write a {dest_kind} file, SOURCE is a deck (an id or a .yaml "
                "file); convert it to a .yaml deck first", exit_code=EXIT_USAGE,
            )


def _to_deck_file(sources: Sequence[str], dest: Path, force: bool) -> Converted:
    from awsquiz.decks.anki_import import read_package
    from awsquiz.decks.csv_import import read_csv
    from awsquiz.decks.nodes import slugify
    from awsquiz.decks.note_entries import map_notes

    entries: list[dict[str, Any]] = []
    result = Converted(str(dest), decks=1)
    used: set[str] = set()
    titles: list[str] = []
    for source in sources:
        path = Path(source)
        kind = path.suffix.lower()
        if not path.is_file():
            raise AwsquizError(f"{source}: no such file (SOURCE is an .apkg, .csv or .tsv "
                               "file to make a deck of)")
        if kind == ".apkg":
            package = read_package(path)
            mapped = map_notes(package.notes, used)
            entries += mapped.entries
            result.notes += len(package.notes)
            result.cards += mapped.cards
            for reason, ids in mapped.skipped.items():
                result.skipped.setdefault(reason, []).extend(ids)
            titles += [name.removeprefix("awsquiz::") for name in package.decks]
        elif kind in CARD_LISTS:
            rows = read_csv(path)
            for row in rows:
                row["id"] = _fresh(row["id"], used)
            entries += rows
            result.notes += len(rows)
            result.cards += len(rows)
        else:
            raise AwsquizError(
                f"{source}: to write a deck file, SOURCE is an .apkg, .csv or .tsv file",
                exit_code=EXIT_USAGE,
            )
    if not entries:
        raise AwsquizError("no note could be made a card; nothing was written",
                           hint=_skipped_hint(result))
    result.deck_id = slugify(dest.stem)
    title = ", ".join(dict.fromkeys(titles)) or dest.stem
    _write_deck(dest, result.deck_id, title, entries, sources, force)
    return result


def _fresh(card_id: str, used: set[str]) -> str:
    base, n = card_id, 2
    while card_id in used:
        card_id = f"{base}-{n}"
        n += 1
    used.add(card_id)
    return card_id


def _write_deck(
    dest: Path, deck_id: str, title: str, entries: list[dict[str, Any]],
    sources: Sequence[str], force: bool,
) -> None:
    """Write the deck file only once `check` would accept it."""
    from awsquiz.decks.deck_file import load_deck_file
    from awsquiz.decks.deck_writer import deck_text

    names = ", ".join(Path(s).name for s in sources)
    text = deck_text(deck_id, title, "", entries, comment=f"converted from {names}")
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / dest.name
        trial.write_bytes(data)
        loaded = load_deck_file(trial)
    if loaded.errors:  # a mapping awsquiz got wrong: say what, write nothing
        raise AwsquizError(
            f"the deck made from {names} does not pass check; nothing was written",
            problems=[p for p in loaded.errors],
        )
    _write(dest, data, force)


def _write(dest: Path, data: bytes, force: bool) -> None:
    try:
        atomic_write(dest, data, overwrite=force)
    except FileExistsError as exc:
        raise AwsquizError(f"{dest} exists already; nothing was written",
                           hint="add --force to overwrite it") from exc
    except OSError as exc:
        raise AwsquizError(f"{dest}: cannot write ({exc.strerror})") from exc


def _skipped_hint(result: Converted) -> str:
    return "; ".join(f"{len(ids)} skipped: {reason}" for reason, ids in result.skipped.items())
