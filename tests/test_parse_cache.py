"""The parse cache of deck files: used while a file is unchanged, rebuilt silently when the
file changes or an entry is damaged, and never the reason a listing is wrong."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from awsquiz.cli import app
from awsquiz.system.files import sealed, unsealed
from conftest import DECKS

runner = CliRunner()


def cards(folder: Path) -> dict[str, dict[str, object]]:
    result = runner.invoke(app, ["cards", "sample", "--decks", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    return {card["id"]: card for card in json.loads(result.output)}


def sample_row(folder: Path) -> list[str]:
    result = runner.invoke(app, ["decks", "--decks", str(folder)])
    assert result.exit_code == 0, result.output
    return next(line for line in result.output.splitlines() if line.startswith("sample ")).split()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(DECKS / "sample.yaml", decks / "sample.yaml")
    return decks


def cache_files(isolated: Path) -> list[Path]:
    return sorted((isolated.parent / "cache" / "decks").glob("sample.yaml-*.json"))


def test_an_edited_deck_file_is_read_again(folder: Path) -> None:
    assert "of-vs-in" in cards(folder)
    deck = folder / "sample.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("id: of-vs-in", "id: of-versus-in"), encoding="utf-8")
    os.utime(deck, ns=(1, 1))  # even with an older modification time
    listed = cards(folder)
    assert "of-versus-in" in listed and "of-vs-in" not in listed
    assert sample_row(folder)[-6] == "5"


def test_a_touched_deck_is_not_parsed_again_but_an_edit_of_the_same_length_is(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awsquiz.decks import cache

    assert "of-vs-in" in cards(folder)
    deck = folder / "sample.yaml"
    stat = deck.stat()
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, not changed
    parsed: list[Path] = []
    real = cache._parse
    monkeypatch.setattr(cache, "_parse", lambda path: parsed.append(path) or real(path))
    assert "of-vs-in" in cards(folder) and parsed == []
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("id: of-vs-in", "id: of-vs-on"), encoding="utf-8")
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    listed = cards(folder)
    assert "of-vs-on" in listed and "of-vs-in" not in listed and parsed == [deck]


def wrong_types(entry: dict[str, Any]) -> bytes:
    deck = entry["deck"]
    if "keys" in deck:  # an index entry: its keys a list, not one text
        return json.dumps({**entry, "deck": {**deck, "keys": deck["keys"].split()}}).encode()
    return json.dumps({**entry, "deck": {**deck, "cards": 7}}).encode()


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: b"{not json",
        lambda entry: b"",
        wrong_types,
        lambda entry: json.dumps({**entry, "problems": "none"}).encode(),
        lambda entry: json.dumps({**entry, "version": "0:old"}).encode(),
    ],
    ids=["truncated", "empty", "wrong types", "problems not a list", "older version"],
)
def test_a_damaged_cache_entry_is_rebuilt_silently(
    folder: Path, isolated: Path, damage: object
) -> None:
    before_cards, before_row = cards(folder), sample_row(folder)
    files = cache_files(isolated)
    assert len(files) == 2  # the parsed deck and its index entry
    for file in files:
        file.write_bytes(sealed(damage(json.loads(unsealed(file.read_bytes()) or b""))))  # type: ignore[operator]
    assert sample_row(folder) == before_row
    assert cards(folder) == before_cards
    for file in cache_files(isolated):
        # written afresh
        assert json.loads(unsealed(file.read_bytes()) or b"")["version"] != "0:old"


def test_stats_facts_are_read_from_their_entry_until_the_file_changes(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `stats` needs of a deck whose cards were answered comes from its own entry: the
    deck is not built again while its file is unchanged."""
    from awsquiz.decks import cache

    path = folder / "sample.yaml"
    index, _ = cache.load_index(path)
    assert index is not None
    first = cache.load_facts(index)
    assert first is not None and first.keys

    def no_parse(path: Path) -> Any:
        raise AssertionError(f"{path} was loaded again")

    monkeypatch.setattr(cache, "load_pair", no_parse)
    again = cache.load_facts(index)
    assert again is not None
    def plain(facts: Any) -> str:
        return json.dumps([facts.id, facts.title, facts.keys, facts.tags, facts.choices])

    assert plain(again) == plain(first)
    monkeypatch.undo()
    path.write_text(path.read_text().replace("tags: [", "tags: [edited, ", 1))
    edited = cache.load_facts(index)
    assert edited is not None and any("edited" in tags for tags in edited.tags)
