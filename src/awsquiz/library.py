"""All decks the learner has: bundled, AWSQUIZ_DECKS and --decks folders, and deck paths.

Parsed decks are cached as JSON in the user cache folder, keyed by the file's real path and
checked against its size, modification time and content hash, so YAML is parsed only when a
file changes. A stale or corrupt cache entry is rebuilt silently.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

from awsquiz import paths
from awsquiz.decks import LoadResult, files_in, load_deck_file
from awsquiz.errors import AwsquizError
from awsquiz.model import Card, Deck, Problem, Severity

CACHE_VERSION = 1


@dataclass
class Library:
    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def cards(self) -> list[Card]:
        return [card for deck in self.decks for card in deck.cards]

    def raise_errors(self) -> None:
        """Stop with every error at once, pointing the author at `awsquiz check`."""
        if self.errors:
            count = len(self.errors)
            raise AwsquizError(
                f"{count} problem{'s' if count > 1 else ''} in the deck files",
                problems=self.errors,
                hint="run 'awsquiz check' for details; fix the deck files and try again",
            )


def load_files(files: Iterable[Path], *, preferred: int = 0) -> Library:
    """Load deck files (through the cache) and check deck ids are unique across them.

    The first `preferred` files were named on the command line: a folder deck with the same
    id as one of them is left out quietly, so a learner can study an edited copy of a deck.
    """
    library = Library()
    owners: dict[str, str] = {}
    named_ids: set[str] = set()
    for index, path in enumerate(files):
        result = _load_cached(path)
        deck = result.deck
        if deck is not None and deck.id in named_ids:
            continue
        library.problems += result.problems
        if deck is None:
            continue
        if deck.id in owners:
            library.problems.append(
                Problem(
                    str(path), 1, 1,
                    f"deck id '{deck.id}' is already used by {owners[deck.id]}; "
                    "deck ids must be unique (set 'deck:' to another id)",
                )
            )
            continue
        owners[deck.id] = str(path)
        if index < preferred:
            named_ids.add(deck.id)
        library.decks.append(deck)
    return library


def load_library(
    extra_dirs: Sequence[Path] = (), selection: Sequence[str] = (), *, strict: bool = True
) -> Library:
    """The decks to work on: every deck, or those named by id or path in `selection`."""
    for folder in extra_dirs:
        if not folder.is_dir():
            raise AwsquizError(f"--decks {folder}: no such folder")
    named = [Path(s) for s in selection if _looks_like_path(s)]
    folders = [d for d in paths.deck_dirs(list(extra_dirs)) if d.is_dir()]
    named_count = len(files_in(named))
    library = load_files(files_in([*named, *folders]), preferred=named_count)
    if strict:
        library.raise_errors()
    if selection:
        library.decks = select(library, selection)
    return library


def _looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or os.sep in name or Path(name).exists()


def select(library: Library, names: Sequence[str]) -> list[Deck]:
    """Decks by id or path, in the order given; unknown ids get a did-you-mean."""
    chosen: list[Deck] = []
    ids = [d.id for d in library.decks]
    for name in names:
        if _looks_like_path(name):
            real = os.path.realpath(name)
            inside = real.rstrip(os.sep) + os.sep
            matches = [
                d for d in library.decks
                if os.path.realpath(d.path) == real or os.path.realpath(d.path).startswith(inside)
            ]
        else:
            matches = [d for d in library.decks if d.id == name]
        if not matches:
            close = difflib.get_close_matches(name, ids, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise AwsquizError(
                f"no deck '{name}'",
                hint=f"{hint}'awsquiz decks' lists them: {', '.join(ids) or 'none'}",
            )
        chosen += [d for d in matches if d not in chosen]
    return chosen


def deck_ids_for_completion(incomplete: str) -> list[str]:
    """Deck ids for shell completion; never fails (a broken deck just completes nothing)."""
    try:
        library = load_library(strict=False)
    except AwsquizError:
        return []
    return [d.id for d in library.decks if d.id.startswith(incomplete)]


# The parse cache ----------------------------------------------------------------------------


def _cache_file(path: Path) -> Path:
    key = hashlib.sha1(os.fsencode(os.path.realpath(path))).hexdigest()[:24]
    return paths.cache_dir() / "decks" / f"{key}.json"


def _load_cached(path: Path) -> LoadResult:
    try:
        stat = path.stat()
    except OSError as exc:
        return LoadResult(str(path), None, [Problem(str(path), 0, 0, str(exc.strerror))])
    if not S_ISREG(stat.st_mode):
        return load_deck_file(path)  # a folder, pipe or device: refused there, never read here
    cache_file = _cache_file(path)
    entry = _read_entry(cache_file)
    if entry is not None and entry.get("path") == str(path):
        if entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns:
            return _result_from(entry)
        digest = _digest(path)
        if digest is not None and digest == entry.get("sha256"):
            _write_entry(cache_file, path, stat, digest, entry)
            return _result_from(entry)
    result = load_deck_file(path)
    digest = _digest(path)
    if digest is not None:
        _write_entry(cache_file, path, stat, digest, _entry_of(result))
    return result


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read_entry(cache_file: Path) -> dict[str, Any] | None:
    try:
        entry = json.loads(cache_file.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("version") != _cache_version():
        return None
    return entry


def _cache_version() -> str:
    from awsquiz import __version__

    return f"{CACHE_VERSION}:{__version__}"


def _entry_of(result: LoadResult) -> dict[str, Any]:
    return {
        "deck": result.deck.to_dict() if result.deck else None,
        "problems": [p.to_dict() for p in result.problems],
    }


def _result_from(entry: dict[str, Any]) -> LoadResult:
    try:
        deck = Deck.from_dict(entry["deck"]) if entry["deck"] else None
        problems = [Problem.from_dict(p) for p in entry["problems"]]
    except (KeyError, TypeError, ValueError):
        # A damaged entry: parse the file again.
        return load_deck_file(Path(entry.get("path", "")))
    return LoadResult(entry["path"], deck, problems)


def _write_entry(
    cache_file: Path, path: Path, stat: os.stat_result, digest: str, body: dict[str, Any]
) -> None:
    entry = {
        "version": _cache_version(),
        "path": str(path),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256": digest,
        "deck": body["deck"],
        "problems": body["problems"],
    }
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, cache_file)
    except OSError:
        pass  # the cache only saves time; a read-only cache folder is fine
