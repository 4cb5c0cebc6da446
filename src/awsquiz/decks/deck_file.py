"""One deck file to a Deck: its text read safely, composed, checked, every problem at once.

The YAML is composed into nodes by libyaml's safe loader and turned into cards node by node,
so that every problem can name its line and column, and so that no tag ever constructs
anything but plain strings, lists and mappings.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from yaml import ScalarNode

from awsquiz.decks.cards import read_card
from awsquiz.decks.classify import read_classify
from awsquiz.decks.nodes import (
    FLOAT,
    INT,
    Checker,
    is_null,
    items,
    kind_of,
    optional_list,
    optional_text,
    raw_text,
)
from awsquiz.decks.text import read_deck_text
from awsquiz.decks.yaml_safety import check_shape, compose
from awsquiz.errors import DeckError
from awsquiz.model import Card, Deck, LoadResult, Problem

DECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DECK_KEYS = ("deck", "order", "title", "description", "tags", "cards", "classify")


def load_deck_file(path: Path | str) -> LoadResult:
    """Parse and validate one deck file, reporting every problem in it at once."""
    path = Path(path)
    shown = str(path)
    try:
        text = read_deck_text(path)
        if "\x00" in text:
            at = text.index("\x00")
            raise DeckError(
                shown,
                "the file contains a NUL byte; not a text file",
                line=text.count("\n", 0, at) + 1,
                column=at - (text.rfind("\n", 0, at) + 1) + 1,
            )
        root = compose(text, shown)
    except DeckError as exc:
        return LoadResult(shown, None, [Problem(shown, exc.line, exc.column, exc.detail)])
    checker = Checker(shown)
    if root is None or is_null(root):
        if not text.strip():
            checker.error(None, "the file is empty; a deck needs 'cards' or 'classify'")
        else:  # only comments, directives or a null: point at where the deck should be
            where = root.start_mark if root is not None else None
            checker.problems.append(Problem(
                shown,
                where.line + 1 if where else 1,
                where.column + 1 if where else 1,
                "the file holds no deck, only comments or an empty document; "
                "a deck needs 'cards' or 'classify'",
            ))
        return LoadResult(shown, None, checker.problems)
    refused = check_shape(root, text)
    if refused is not None:
        checker.error(refused.node, refused.message)
        return LoadResult(shown, None, checker.problems)
    deck = _read_deck(root, path, checker)
    problems = sorted(checker.problems, key=lambda p: (p.line, p.column))
    result = LoadResult(shown, deck, problems)
    if result.errors:
        result.deck = None
    return result


def _read_deck(root: Any, path: Path, checker: Checker) -> Deck | None:
    fields = checker.mapping(root, "a deck file", DECK_KEYS)
    if fields is None:
        return None
    deck_id = path.stem
    if "deck" in fields:
        deck_id = checker.text(fields["deck"][1], "'deck'") or deck_id
        id_node = fields["deck"][1]
    else:
        id_node = root
    if not DECK_ID.match(deck_id):
        checker.error(
            id_node,
            f"deck id '{deck_id}' must be lowercase letters, digits and '-'"
            + ("" if "deck" in fields else " (it comes from the file name; set 'deck:')"),
        )
    title = optional_text(fields, "title", checker) or deck_id
    description = optional_text(fields, "description", checker) or ""
    deck_tags = optional_list(fields, "tags", checker) or []
    order = _read_order(fields["order"][1], checker) if "order" in fields else None

    cards: list[Card] = []
    seen: dict[str, Any] = {}
    if "cards" not in fields and "classify" not in fields:
        checker.error(root, "the deck has no 'cards' (or 'classify') list")
    if "cards" in fields:
        for item in items(fields["cards"][1], "'cards'", checker):
            made = read_card(item, deck_id, deck_tags, checker)
            for card in made:
                _add_card(card, item, cards, seen, checker)
            if made:
                continue
            if (raw_id := raw_text(item, "id")) is not None:
                if raw_id in seen:
                    first = seen[raw_id].start_mark.line + 1
                    checker.error(item, f"duplicate card id (first used on line {first})", raw_id)
                seen.setdefault(raw_id, item)
    if "classify" in fields:
        for item in items(fields["classify"][1], "'classify'", checker):
            for card, node in read_classify(item, deck_id, deck_tags, checker):
                _add_card(card, node, cards, seen, checker)
    if not cards and not checker.problems:
        checker.error(root, "the deck has no cards")
    return Deck(
        deck_id, title, description, str(path), tuple(cards), tuple(deck_tags), order=order
    )


def _read_order(node: Any, checker: Checker) -> float | None:
    """The deck's place in the teaching order: a number, lower first."""
    if is_null(node):
        return None
    if node.__class__ is ScalarNode and node.tag in (INT, FLOAT):
        try:
            value = float(str(node.value).replace("_", ""))
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
    checker.error(
        node,
        f"'order' must be a number (decks with lower numbers are studied first), "
        f"not {kind_of(node)}",
    )
    return None


def _add_card(
    card: Card, node: Any, cards: list[Card], seen: dict[str, Any], checker: Checker
) -> None:
    if card.id in seen:
        if card.id_derived:
            base, n = card.id, 2
            while f"{base}-{n}" in seen:
                n += 1
            card = _replace_id(card, f"{base}-{n}")
        else:
            first = seen[card.id].start_mark.line + 1
            checker.error(node, f"duplicate card id (first used on line {first})", card.id)
            return
    seen[card.id] = node
    cards.append(card)


def _replace_id(card: Card, new_id: str) -> Card:
    from dataclasses import replace

    # A card that heads its note (a reversed card's front) keeps heading it.
    note = new_id if card.note == card.id else card.note
    return replace(card, id=new_id, note=note)

