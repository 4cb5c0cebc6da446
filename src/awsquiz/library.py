"""All decks the learner has: bundled, AWSQUIZ_DECKS and --decks folders, and deck paths.

Parsed decks are cached as JSON in the user cache folder, keyed by the file's real path and
checked against its size, modification time and content hash, so YAML is parsed only when a
file changes. A stale or corrupt cache entry is rebuilt silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any, Protocol, TypeVar

from awsquiz import fastjson, paths
from awsquiz.errors import AwsquizError
from awsquiz.model import Card, Deck, LoadResult, Problem, Severity

CACHE_VERSION = 2
# Parse files in parallel only when there is this much YAML to parse (about 1,500 cards).
PARSE_AHEAD_BYTES = 1 << 20


@dataclass
class Library:
    """Loaded decks and every problem found in their files."""

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
    files = list(files)
    _parse_ahead(files)
    decks, problems = _unique(files, preferred, _load_pair)
    return Library(decks, problems)


def _parse_ahead(files: Sequence[Path]) -> None:
    parse_ahead(files).finish()


class ParseAhead:
    """Deck files being parsed in other processes (see `parse_ahead`)."""

    def __init__(self, pool: Any = None, futures: Sequence[Any] = ()) -> None:
        self._pool = pool
        self._futures = futures

    def finish(self) -> None:
        """Wait for the parsing to end; never fails (the ordinary path parses what is left)."""
        if self._pool is None:
            return
        try:
            for future in self._futures:
                future.result()
        except Exception:  # noqa: BLE001 - a broken pool, no processes left: parse later
            pass
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def parse_ahead(files: Sequence[Path]) -> ParseAhead:
    """Start parsing the deck files the cache has nothing recent for on every core at once,
    so that a first run (or a new machine) does not parse thousands of cards one file at a
    time; `finish()` waits for it.

    Each worker goes through the parse cache as usual and writes the file's entry; the files
    are then read from the cache in order, which is where every check and problem comes
    from, so the outcome is the same as without this. Only where processes can be forked
    (POSIX); anything going wrong here just leaves the work to the ordinary path.
    """
    # One core stays with this process, which reads the review logs meanwhile.
    workers = min((os.cpu_count() or 1) - 1, 8)
    if workers < 1 or len(files) < 2:
        return ParseAhead()
    sizes = {path: _probably_stale(path) for path in files}
    stale = [path for path, size in sizes.items() if size]
    if len(stale) < 2 or sum(sizes.values()) < PARSE_AHEAD_BYTES:
        return ParseAhead()  # starting processes would cost more than it saves
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork (Windows)
        return ParseAhead()
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(min(workers, len(stale)), mp_context=context)
        futures = [pool.submit(_parse_into_cache, path) for path in stale]
    except Exception:  # noqa: BLE001 - no processes to be had: parse later
        return ParseAhead()
    return ParseAhead(pool, futures)


def _probably_stale(path: Path) -> int:
    """The size of this regular file if the parse cache seems to hold nothing as recent as
    it, else 0."""
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):
            return 0  # refused in the ordinary path, never read ahead
    except OSError:
        return 0
    try:
        stale = _cache_file(path).stat().st_mtime_ns < stat.st_mtime_ns
    except OSError:
        stale = True
    return max(stat.st_size, 1) if stale else 0


def _parse_into_cache(path: Path) -> None:
    _load_cached(path)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def path(self) -> str: ...


_D = TypeVar("_D", bound=_HasId)


def _unique(
    files: Iterable[Path],
    preferred: int,
    load: Callable[[Path], tuple[_D | None, list[Problem]]],
) -> tuple[list[_D], list[Problem]]:
    """Each file's deck, through `load`, keeping deck ids unique (see `load_files`)."""
    decks: list[_D] = []
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    named_ids: set[str] = set()
    for index, path in enumerate(files):
        deck, found = load(path)
        if deck is not None and deck.id in named_ids:
            continue
        problems += found
        if deck is None:
            continue
        if deck.id in owners:
            problems.append(
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
        decks.append(deck)
    return decks, problems


@dataclass(frozen=True)
class DeckIndex:
    """What `awsquiz decks` needs of a deck: no card but its key."""

    id: str
    title: str
    path: str
    keys: tuple[str, ...]  # "deck/card" of every card, in deck order


def load_library(
    extra_dirs: Sequence[Path] = (), selection: Sequence[str] = (), *, strict: bool = True
) -> Library:
    """The decks to work on: every deck, or those named by id or path in `selection`."""
    files, named_count = find_deck_files(extra_dirs, selection)
    library = load_files(files, preferred=named_count)
    if strict:
        library.raise_errors()
    if selection:
        library.decks = select(library.decks, selection)
    return library


def load_selected_index(
    found: tuple[list[Path], int], selection: Sequence[str] = ()
) -> list[DeckIndex]:
    """The decks `load_library` would give, as index entries, of the files `find_deck_files`
    found: no card is built (a session builds only the decks of the cards it shows, with
    `deck_cards`). A first run's parsing is started beforehand with `parse_ahead`."""
    files, named_count = found
    decks, problems = _unique(files, named_count, _load_index)
    Library(problems=problems).raise_errors()
    return select(decks, selection) if selection else decks


def deck_cards(index: DeckIndex) -> dict[str, Card]:
    """The cards of one indexed deck by key, through the parse cache."""
    deck, problems = _load_pair(Path(index.path))
    if deck is None:  # the file broke since it was indexed
        Library(problems=problems).raise_errors()
        raise AwsquizError(f"{index.path}: the deck can no longer be read")
    return {card.key: card for card in deck.cards}


class CardShelf:
    """Cards by key for a session: each deck is built from the parse cache the first time
    one of its cards is shown, so a session over 10,000 cards starts without building them."""

    def __init__(self, decks: Sequence[DeckIndex]) -> None:
        self._deck_of = {key: deck for deck in decks for key in deck.keys}
        self._cards: dict[str, Card] = {}

    def __getitem__(self, key: str) -> Card:
        card = self._cards.get(key)
        if card is None:
            self._cards.update(deck_cards(self._deck_of[key]))
            card = self._cards[key]
        return card


def find_deck_files(
    extra_dirs: Sequence[Path], selection: Sequence[str] = ()
) -> tuple[list[Path], int]:
    """Deck files: those named in `selection` first (they win over a folder deck of the same
    id), then every deck folder's; and how many were named."""
    for folder in extra_dirs:
        if not folder.is_dir():
            raise AwsquizError(f"--decks {folder}: no such folder")
    named = [Path(s) for s in selection if _looks_like_path(s)]
    folders = [d for d in paths.deck_dirs(list(extra_dirs)) if d.is_dir()]
    return files_in([*named, *folders]), len(files_in(named))


YAML_SUFFIXES = (".yaml", ".yml")


def deck_files(folder: Path) -> list[Path]:
    """Every YAML file under a folder, sorted; symbolic links to folders are not followed."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / f for f in sorted(files) if f.endswith(YAML_SUFFIXES)]
    return found


def files_in(targets: Iterable[Path]) -> list[Path]:
    """Deck files named by targets: files as given, folders searched; unique by real path."""
    seen: set[str] = set()
    result: list[Path] = []
    for path in targets:
        if path.is_dir():
            candidates = deck_files(path)
        elif path.exists():
            candidates = [path]
        else:
            raise AwsquizError(f"{path}: no such file or folder")
        for candidate in candidates:
            real = paths.real_path(candidate)
            if real not in seen:
                seen.add(real)
                result.append(candidate)
    return result


def _looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or os.sep in name or Path(name).exists()


def select(decks: Sequence[_D], names: Sequence[str]) -> list[_D]:
    """Decks by id or path, in the order given; unknown ids get a did-you-mean."""
    chosen: list[_D] = []
    ids = [d.id for d in decks]
    for name in names:
        if _looks_like_path(name):
            real = os.path.realpath(name)
            inside = real.rstrip(os.sep) + os.sep
            matches = [
                d for d in decks
                if os.path.realpath(d.path) == real or os.path.realpath(d.path).startswith(inside)
            ]
        else:
            matches = [d for d in decks if d.id == name]
        if not matches:
            import difflib

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
    return paths.cache_dir() / "decks" / f"{paths.cache_name(path)}.json"


def _load_pair(path: Path) -> tuple[Deck | None, list[Problem]]:
    result = _load_cached(path)
    return result.deck, result.problems


def _index_file(path: Path) -> Path:
    return _cache_file(path).with_suffix(".index.json")


def _load_index(path: Path) -> tuple[DeckIndex | None, list[Problem]]:
    """A deck's index entry if the file has not changed since it was written; otherwise the
    deck through the parse cache (which writes a fresh index entry)."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is not None and S_ISREG(stat.st_mode):
        entry = _read_entry(_index_file(path))
        if (
            entry is not None
            and entry.get("path") == str(path)
            and entry.get("size") == stat.st_size
            and entry.get("mtime_ns") == stat.st_mtime_ns
        ):
            try:
                return _index_from(entry)
            except (KeyError, TypeError, ValueError):
                pass  # a damaged entry: go through the parse cache
    result = _load_cached(path)
    deck = result.deck
    if stat is not None and S_ISREG(stat.st_mode):
        # Stamped with the size and time seen before reading: if the file changed meanwhile,
        # the next run sees a newer time and reads it again.
        write_cache_json(_index_file(path), {
            "version": _cache_version(),
            "path": str(path),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "deck": None if deck is None else {
                "id": deck.id,
                "title": deck.title,
                "path": deck.path,
                # One text, a key a line: read back with one split, not a string per key
                # (deck and card ids never hold a newline).
                "keys": "\n".join(card.key for card in deck.cards),
            },
            "problems": [p.to_dict() for p in result.problems],
        })
    index = None if deck is None else DeckIndex(
        deck.id, deck.title, deck.path, tuple(card.key for card in deck.cards)
    )
    return index, result.problems


def _index_from(entry: dict[str, Any]) -> tuple[DeckIndex | None, list[Problem]]:
    problems = [Problem.from_dict(p) for p in entry["problems"]]
    raw = entry["deck"]
    if raw is None:
        return None, problems
    deck_id = raw["id"]
    if type(deck_id) is not str or type(raw["title"]) is not str:
        raise TypeError("not an index entry")
    text = raw["keys"]
    if type(text) is not str:
        raise TypeError("not an index entry")
    keys = tuple(text.split("\n")) if text else ()
    return DeckIndex(deck_id, raw["title"], raw["path"], keys), problems


def _load_cached(path: Path) -> LoadResult:
    try:
        stat = path.stat()
    except OSError as exc:
        return LoadResult(str(path), None, [Problem(str(path), 0, 0, str(exc.strerror))])
    if not S_ISREG(stat.st_mode):
        return _parse(path)  # a folder, pipe or device: refused there, never read here
    cache_file = _cache_file(path)
    entry = _read_entry(cache_file)
    digest = None
    if entry is not None and entry.get("path") == str(path):
        if entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns:
            return _result_from(entry)
        digest = _digest(path)
        if digest is not None and digest == entry.get("sha256"):
            _write_entry(cache_file, path, stat, digest, entry)
            return _result_from(entry)
    result = _parse(path)
    # Taken before parsing when there was an entry to compare with: if the file changes
    # after that, its newer time sends the next run here again.
    digest = digest or _digest(path)
    if digest is not None:
        _write_entry(cache_file, path, stat, digest, _entry_of(result))
    return result


def _parse(path: Path) -> LoadResult:
    from awsquiz.decks import load_deck_file  # the parser: only when no cache entry will do

    return load_deck_file(path)


def _digest(path: Path) -> str | None:
    import hashlib  # only when a file's size or time changed: it costs 3-5 ms to load

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read_entry(cache_file: Path) -> dict[str, Any] | None:
    try:
        entry = fastjson.loads(cache_file.read_bytes())
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
        return _parse(Path(entry.get("path", "")))
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
    write_cache_json(cache_file, entry)


def write_cache_json(target: Path, document: dict[str, Any]) -> None:
    """Write a cache file atomically; a cache that cannot be written only costs time."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(fastjson.dumps(document))
        os.replace(tmp, target)
    except OSError:
        pass  # the cache only saves time; a read-only cache folder is fine
