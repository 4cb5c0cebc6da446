"""A CSV or TSV file of cards to the entries of a deck file's `cards` list.

The first row names the columns: `question` and `answer`, and optionally `id`, `tags`
(separated by spaces or commas), `explanation` and `source`. Fields may be quoted, with
commas and line breaks inside. Every problem is reported at once, by file and line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from awsquiz.decks.anki_import import web_address
from awsquiz.decks.cards import CARD_ID
from awsquiz.decks.nodes import slugify
from awsquiz.errors import AwsquizError
from awsquiz.model import Problem

COLUMNS = ("id", "question", "answer", "tags", "explanation", "source")
REQUIRED = ("question", "answer")
_TAG_SEPARATORS = re.compile(r"[,\s]+")
_MAX_BYTES = 20 * 1024 * 1024


def read_csv(path: Path) -> list[dict[str, Any]]:
    """The card entries of a CSV (or, for a .tsv file, tab-separated) file."""
    shown = str(path)
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise AwsquizError(f"{shown}: larger than 20 MB; not a card list")
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's byte-order mark
    except UnicodeDecodeError as exc:
        raise AwsquizError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise AwsquizError(f"{shown}: {exc.strerror}") from exc
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as exc:
        raise AwsquizError(f"{shown}:1: {exc}") from exc
    for name in header:
        if name not in COLUMNS:
            problems.append(Problem(shown, 1, 1, f"unknown column '{name}'; the columns are: "
                                    f"{', '.join(COLUMNS)}"))
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        problems.append(Problem(shown, 1, 1, f"the header needs the column(s) "
                                f"{', '.join(missing)} (first row: question,answer,...)"))
    if problems:
        raise AwsquizError(f"{shown}: not a card list", problems=problems)
    entries = _rows(reader, header, shown, problems)
    if problems:
        count = len(problems)
        raise AwsquizError(
            f"{count} problem{'s' if count > 1 else ''} in {shown}", problems=problems
        )
    if not entries:
        raise AwsquizError(f"{shown}: no cards under the header")
    return entries


def _rows(
    reader: Any, header: list[str], shown: str, problems: list[Problem]
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            problems.append(Problem(shown, line, 1, str(exc)))
            break
        if row is None:
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(shown, start, 1, f"{len(row)} fields; the header has "
                                    f"{len(header)} (a comma in a field needs quotes)"))
            continue
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        entry = _entry(values, start, shown, problems, seen)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(
    values: dict[str, str], line: int, shown: str, problems: list[Problem], seen: dict[str, int]
) -> dict[str, Any] | None:
    question, answer = values.get("question", ""), values.get("answer", "")
    card_id = values.get("id") or slugify(question)
    for name, value in (("question", question), ("answer", answer)):
        if not value:
            problems.append(Problem(shown, line, 1, f"the {name} is empty", card_id))
    if values.get("id") and not CARD_ID.match(card_id):
        problems.append(Problem(shown, line, 1, "an id must be letters, digits, '-', '_' or "
                                "'.'", card_id))
    source = values.get("source", "")
    if source and not web_address(source):
        problems.append(Problem(shown, line, 1, f"source '{source}' is not a web address",
                                card_id))
    if card_id in seen:
        if values.get("id"):
            problems.append(Problem(shown, line, 1, f"id '{card_id}' is used on line "
                                    f"{seen[card_id]} too", card_id))
            return None
        base, n = card_id, 2
        while f"{base}-{n}" in seen:
            n += 1
        card_id = f"{base}-{n}"
    seen[card_id] = line
    if not question or not answer:
        return None
    entry: dict[str, Any] = {"id": card_id, "question": question, "answer": answer}
    if values.get("explanation"):
        entry["explanation"] = values["explanation"]
    if source:
        entry["source"] = source
    tags = [t for t in _TAG_SEPARATORS.split(values.get("tags", "")) if t]
    if tags:
        entry["tags"] = list(dict.fromkeys(tags))
    return entry
