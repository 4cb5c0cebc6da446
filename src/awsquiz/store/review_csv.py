"""Review histories from other programs: the review-log CSV of py-fsrs and the open FSRS
datasets, `card_id,review_rating,review_time[,review_duration]` (rating 1 to 4, ISO 8601 time
with an offset, duration in milliseconds).

The file is read a line at a time, twice: once to check every row (every bad one is
reported, file:line, before anything is imported), then to import them. Only when a card's
rows are not in time order are the rows held in memory, to be sorted.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from awsquiz.errors import AwsquizError
from awsquiz.model.times import MAX_YEAR, MIN_YEAR, canonical
from awsquiz.store.records import MAX_MS

HEADER = ("card_id", "review_rating", "review_time")
OPTIONAL = ("review_duration",)
SHOWN_PROBLEMS = 20
# A deck card id (decks.cards.CARD_ID), so the imported reviews can be a deck's cards.
_CARD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,199}")


class CsvRow(NamedTuple):
    """One review of the file: its time (ISO UTC, so rows sort in time order), card id,
    rating and duration."""

    time: str
    card: str
    rating: int
    ms: int


def is_review_csv(path: Path) -> bool:
    """Whether the file starts with the review-log CSV header."""
    try:
        with path.open("rb") as handle:
            start = handle.read(64)
    except OSError:
        return False
    return start.removeprefix(b"\xef\xbb\xbf").startswith(b"card_id,")


def check_rows(path: Path) -> bool:
    """Read every row; AwsquizError naming every bad line. Returns whether each card's rows
    are in time order (then `rows` can be replayed as they come)."""
    problems: list[str] = []
    latest: dict[str, str] = {}
    in_order = True
    for line, outcome in _outcomes(path, problems):
        if isinstance(outcome, str):
            problems.append(f"{path}:{line}: {outcome}")
        else:
            in_order = in_order and outcome.time >= latest.get(outcome.card, "")
            latest[outcome.card] = outcome.time
    if problems:
        raise _bad_file(path, problems)
    return in_order


def rows(path: Path) -> Iterator[CsvRow]:
    """The rows of a file `check_rows` passed, in file order."""
    problems: list[str] = []
    for line, outcome in _outcomes(path, problems):
        if isinstance(outcome, str):
            problems.append(f"{path}:{line}: {outcome}")
        else:
            yield outcome
    if problems:  # changed since it was checked
        raise _bad_file(path, problems)


def _outcomes(path: Path, problems: list[str]) -> Iterator[tuple[int, CsvRow | str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield from _parse(csv.reader(handle))
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    except csv.Error as exc:
        problems.append(f"{path}: not a CSV file: {exc}")
    except OSError as exc:
        raise AwsquizError(f"{path}: could not read the file: {exc.strerror or exc}") from None


def _parse(reader: Iterator[list[str]]) -> Iterator[tuple[int, CsvRow | str]]:
    header = next(reader, None)
    if header is None:
        yield 1, "empty file (expected the header card_id,review_rating,review_time)"
        return
    names = tuple(name.strip() for name in header)
    if names[:3] != HEADER or any(name not in OPTIONAL for name in names[3:]):
        yield 1, f"header {','.join(names)!r}: expected card_id,review_rating,review_time" \
            "[,review_duration]"
        return
    for fields in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not fields:
            continue
        if len(fields) != len(names):
            yield line, f"{len(fields)} fields, the header has {len(names)}"
            continue
        yield line, _row(dict(zip(names, fields, strict=True)))


def _row(fields: dict[str, str]) -> CsvRow | str:
    card = fields["card_id"].strip()
    if not _CARD_ID.fullmatch(card):
        return f"card_id {card!r}: letters, digits, '-', '_' or '.' (at most 200)"
    rating = fields["review_rating"].strip()
    if rating not in ("1", "2", "3", "4"):
        return f"review_rating {rating!r}: 1 Again, 2 Hard, 3 Good or 4 Easy"
    text = fields["review_time"].strip()
    time = canonical(text.replace("Z", "+00:00"))  # the one reading of a time, as for logs
    if time is None:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return f"review_time {text!r}: not an ISO 8601 time"
        if moment.utcoffset() is None:
            return f"review_time {text!r}: no UTC offset (for example {text}+00:00)"
        return f"review_time {text!r}: outside the years {MIN_YEAR} to {MAX_YEAR}"
    duration = fields.get("review_duration", "").strip()
    ms = 0
    if duration:
        try:
            value = float(duration)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0 or value > MAX_MS:
            return f"review_duration {duration!r}: milliseconds, a number of at least 0"
        ms = int(value)
    return CsvRow(time, card, int(rating), ms)


def _bad_file(path: Path, problems: list[str]) -> AwsquizError:
    shown = problems[:SHOWN_PROBLEMS]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"... and {len(problems) - SHOWN_PROBLEMS} more")
    count = len(problems)
    return AwsquizError(
        f"{path}: {count} bad row{'s' if count != 1 else ''}; nothing was imported\n"
        + "\n".join(shown),
        hint="each row needs card_id, review_rating 1-4 and review_time "
        "(ISO 8601 with an offset); fix the rows and import again",
    )
