"""An Anki package (.apkg) to deck entries: Basic, Basic-and-reversed and Cloze notes.

A package is a zip holding an SQLite collection: `collection.anki21b` (zstd-compressed, the
newer schema with its note types in tables), or `collection.anki21` / `collection.anki2`
(note types as JSON in the `col` table). The newest one present is read. Fields are HTML,
read as plain text (`decks.html_text`); notes of a type that cannot be mapped are counted
by reason, never dropped silently.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awsquiz.errors import AwsquizError

MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_LIMIT = 2 << 30  # a collection larger than this is refused before it fills the disk
_WEB_ADDRESS = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class NoteType:
    name: str
    cloze: bool
    fields: int
    templates: int


@dataclass(frozen=True)
class AnkiNote:
    """One note as stored: its id, type, fields (HTML), tags and the card ordinals it has."""

    id: int
    type: NoteType | None
    fields: list[str]
    tags: list[str]
    ords: frozenset[int]
    deck: str


@dataclass
class Package:
    """The notes of a package and its deck names."""

    notes: list[AnkiNote] = field(default_factory=list)
    decks: list[str] = field(default_factory=list)


def read_package(path: Path) -> Package:
    """The notes of an .apkg; an AwsquizError naming the file if it is not one."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise AwsquizError(f"{path}: not an Anki package (not a zip file: {exc})") from exc
    with archive, tempfile.TemporaryDirectory() as folder:
        names = set(archive.namelist())
        member = next((m for m in MEMBERS if m in names), None)
        if member is None:
            raise AwsquizError(
                f"{path}: not an Anki package (no {', '.join(MEMBERS)} in it)"
            )
        database = Path(folder) / "collection.sqlite"
        try:
            _extract(archive, member, database)
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            try:
                return _read(connection)
            finally:
                connection.close()
        except (sqlite3.Error, KeyError, ValueError, TypeError) as exc:
            raise AwsquizError(f"{path}: {member} cannot be read as a collection ({exc})") from exc


def _extract(archive: zipfile.ZipFile, member: str, target: Path) -> None:
    with archive.open(member) as source, open(target, "wb") as out:
        if member.endswith("b"):
            import zstandard  # the newer packages compress their collection

            reader: Any = zstandard.ZstdDecompressor().stream_reader(source)
        else:
            reader = source
        written = 0
        while chunk := reader.read(1 << 20):
            written += len(chunk)
            if written > _LIMIT:
                raise ValueError("the collection is larger than 2 GB")
            out.write(chunk)


def _read(db: sqlite3.Connection) -> Package:
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    if "notetypes" in tables and db.execute("select count(*) from notetypes").fetchone()[0]:
        types = _types_from_tables(db)
        decks = {int(i): str(n).replace("\x1f", "::") for i, n in
                 db.execute("select id, name from decks")}
    else:
        models, deck_json = db.execute("select models, decks from col").fetchone()
        types = {int(mid): _type_from_json(model) for mid, model in json.loads(models).items()}
        decks = {int(i): str(d["name"]) for i, d in json.loads(deck_json).items()}
    ords: dict[int, set[int]] = {}
    deck_of: dict[int, int] = {}
    for nid, ord_, did in db.execute("select nid, ord, did from cards order by ord"):
        ords.setdefault(nid, set()).add(ord_)
        deck_of.setdefault(nid, did)
    package = Package()
    for nid, mid, tags, flds in db.execute("select id, mid, tags, flds from notes order by id"):
        deck = decks.get(deck_of.get(nid, -1), "")
        package.notes.append(AnkiNote(
            nid, types.get(mid), str(flds).split("\x1f"), str(tags).split(),
            frozenset(ords.get(nid, ())), deck,
        ))
    package.decks = list(dict.fromkeys(n.deck for n in package.notes if n.deck))
    return package


def _type_from_json(model: dict[str, Any]) -> NoteType:
    return NoteType(str(model["name"]), model.get("type") == 1, len(model["flds"]),
                    len(model["tmpls"]))


def _types_from_tables(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields = dict(db.execute("select ntid, count(*) from fields group by ntid").fetchall())
    templates = dict(db.execute("select ntid, count(*) from templates group by ntid").fetchall())
    return {
        int(ntid): NoteType(str(name), _varint_field(bytes(config or b""), 1) == 1,
                            fields.get(ntid, 0), templates.get(ntid, 0))
        for ntid, name, config in db.execute("select id, name, config from notetypes")
    }


def _varint_field(blob: bytes, number: int) -> int:
    """A varint field of a protobuf message (the note type's `kind` is field 1), 0 if absent
    (proto3 leaves out a field at its default)."""
    at = 0
    while at < len(blob):
        key, at = _varint(blob, at)
        wire = key & 7
        if wire == 0:
            value, at = _varint(blob, at)
            if key >> 3 == number:
                return value
        elif wire == 2:
            length, at = _varint(blob, at)
            at += length
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
        else:
            break
    return 0


def _varint(blob: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(blob):
        byte = blob[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, at


def web_address(text: str) -> bool:
    return bool(_WEB_ADDRESS.match(text))
