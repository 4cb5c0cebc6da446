"""The parse cache: each deck file's cards as JSON in the user cache folder, and its index
entry (ids and keys only), keyed by the file's path and checked against its size, modification
and change times, inode and content hash, so YAML is parsed only when a file changes. Entries
are sealed with a checksum; a stale or damaged one is rebuilt silently."""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any

from awsquiz import model
from awsquiz.model import DeckIndex
from awsquiz.system import fastjson, paths
from awsquiz.system.files import sealed, unsealed, write_cache

if TYPE_CHECKING:
    from awsquiz.model import Deck, DeckFacts, LoadResult, Problem

# The model's other types are named `model.X` where used: loaded then (`awsquiz.model`), so a
# warm start that reads index entries only never defines cards, decks or problems.

# 3: authoring advice (long keyed answers, undated volatile facts); 4: entries stamped with
# the change time and inode too, and sealed; 5: decks carry their teaching order; 6: cards'
# notes and cloze texts, and the index's sibling groups; 7: a file's content known by its
# length and CRC-32
CACHE_VERSION = 7


def _stamp(stat: os.stat_result) -> list[int]:
    """What changes whenever the file's content does, whatever its size and modification
    time say (a program can set those back, not the change time)."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def entry_file(path: Path) -> Path:
    return paths.cache_dir() / "decks" / f"{paths.cache_name(path)}.json"


def load_pair(path: Path) -> tuple[Deck | None, list[Problem]]:
    result = load_cached(path)
    return result.deck, result.problems


def _index_file(path: Path) -> Path:
    return entry_file(path).with_suffix(".index.json")


def load_index(path: Path) -> tuple[DeckIndex | None, list[Problem]]:
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
            and entry.get("stamp") == _stamp(stat)
        ):
            try:
                return _index_from(entry)
            except (KeyError, TypeError, ValueError):
                pass  # a damaged entry: go through the parse cache
    result = load_cached(path)
    deck = result.deck
    index = None if deck is None else DeckIndex.of(deck)
    if stat is not None and S_ISREG(stat.st_mode):
        # Stamped with the size and time seen before reading: if the file changed meanwhile,
        # the next run sees a newer time and reads it again.
        write_cache(_index_file(path), sealed(fastjson.dumps({
            "version": _cache_version(),
            "path": str(path),
            "stamp": _stamp(stat),
            "deck": None if deck is None or index is None else {
                "id": deck.id,
                "title": deck.title,
                "path": deck.path,
                "order": deck.order,
                # One text, a key a line: read back with one split, not a string per key
                # (deck and card ids never hold a newline).
                "keys": "\n".join(card.key for card in deck.cards),
                # A group a line, its keys separated by tabs.
                "siblings": "\n".join("\t".join(group) for group in index.siblings),
            },
            "problems": [p.to_dict() for p in result.problems],
        })))
    return index, result.problems


def _index_from(entry: dict[str, Any]) -> tuple[DeckIndex | None, list[Problem]]:
    problems = [model.Problem.from_dict(p) for p in entry["problems"]]
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
    order = raw.get("order")
    if order is not None and type(order) not in (int, float):
        raise TypeError("not an index entry")
    groups = raw["siblings"]
    if type(groups) is not str:
        raise TypeError("not an index entry")
    siblings = tuple(tuple(line.split("\t")) for line in groups.split("\n")) if groups else ()
    return DeckIndex(deck_id, raw["title"], raw["path"], keys, order, siblings), problems


def load_facts(index: DeckIndex) -> DeckFacts | None:
    """The facts `awsquiz stats` needs of an indexed deck (`DeckFacts`), from their own cache
    entry while the file is unchanged: no card is built. None if the deck no longer loads."""
    path = Path(index.path)
    facts_file = entry_file(path).with_suffix(".facts.json")
    try:
        stat = path.stat()
    except OSError:
        return None
    entry = _read_entry(facts_file)
    if (
        entry is not None
        and entry.get("path") == str(path)
        and entry.get("size") == stat.st_size
        and entry.get("mtime_ns") == stat.st_mtime_ns
    ):
        try:
            keys = entry["keys"]
            return model.DeckFacts(entry["id"], entry["title"],
                                   tuple(keys.split("\n")) if keys else (), entry["tags"],
                                   entry["choices"])
        except (KeyError, TypeError, AttributeError):
            pass  # a damaged entry: made again
    deck, _ = load_pair(path)
    if deck is None:
        return None
    facts = model.DeckFacts.of(deck)
    if S_ISREG(stat.st_mode):
        write_cache(facts_file, sealed(fastjson.dumps({
            "version": _cache_version(), "path": str(path), "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns, "id": facts.id, "title": facts.title,
            "keys": "\n".join(facts.keys), "tags": facts.tags, "choices": facts.choices,
        })))
    return facts


def load_cached(path: Path) -> LoadResult:
    try:
        stat = path.stat()
    except OSError as exc:
        problem = model.Problem(str(path), 0, 0, str(exc.strerror))
        return model.LoadResult(str(path), None, [problem])
    if not S_ISREG(stat.st_mode):
        return _parse(path)  # a folder, pipe or device: refused there, never read here
    cache_file = entry_file(path)
    entry = _read_entry(cache_file)
    digest = None
    if entry is not None and entry.get("path") == str(path):
        if entry.get("stamp") == _stamp(stat):
            return _result_from(entry)
        digest = _digest(path)
        if digest is not None and digest == entry.get("content"):
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
    from awsquiz.decks.deck_file import load_deck_file  # the parser: only when no entry will do

    return load_deck_file(path)


def _digest(path: Path) -> str | None:
    """What tells a file touched without a change: its length and CRC-32, as the review logs'
    snapshot knows theirs (zlib is loaded already; hashlib is slow to import)."""
    import zlib

    try:
        data = path.read_bytes()
    except OSError:
        return None
    return f"{len(data)}:{zlib.crc32(data):08x}"


def _read_entry(cache_file: Path) -> dict[str, Any] | None:
    try:
        body = unsealed(cache_file.read_bytes())
        entry = fastjson.loads(body) if body is not None else None
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
        deck = model.Deck.from_dict(entry["deck"]) if entry["deck"] else None
        problems = [model.Problem.from_dict(p) for p in entry["problems"]]
    except (KeyError, TypeError, ValueError):
        # A damaged entry: parse the file again.
        return _parse(Path(entry.get("path", "")))
    return model.LoadResult(entry["path"], deck, problems)


def _write_entry(
    cache_file: Path, path: Path, stat: os.stat_result, digest: str, body: dict[str, Any]
) -> None:
    entry = {
        "version": _cache_version(),
        "path": str(path),
        "stamp": _stamp(stat),
        "content": digest,
        "deck": body["deck"],
        "problems": body["problems"],
    }
    write_cache(cache_file, sealed(fastjson.dumps(entry)))

