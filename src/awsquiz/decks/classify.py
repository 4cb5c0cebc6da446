"""The classify shorthand: one choice card per item, all with the same categories."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from awsquiz.decks.advice import long_answer, undated_volatile
from awsquiz.decks.nodes import (
    Checker,
    child,
    has_errors,
    optional_text,
    plain_text,
    read_common,
    read_notes,
    slugify,
)
from awsquiz.model import Card, CardType
from awsquiz.model.answer_text import choice_problems
from awsquiz.model.build import construct

CLASSIFY_KEYS = (
    "id", "question", "categories", "items", "why", "explanation", "source", "verified", "tags",
)


def read_classify(
    node: Any, deck_id: str, deck_tags: list[str], checker: Checker
) -> Iterator[tuple[Card, Any]]:
    """The classify shorthand: one choice card per item, all with the same categories."""
    errors_before = len(checker.problems)
    fields = checker.mapping(node, "a classify block", CLASSIFY_KEYS)
    if fields is None:
        return
    prefix = optional_text(fields, "id", checker)
    template = optional_text(fields, "question", checker)
    name = prefix or "classify"
    if not template:
        checker.error(node, "missing 'question' (use {item} where the item goes)", name)
    elif "{item}" not in template:
        checker.error(fields["question"][1], "the question needs {item} where the item goes", name)
    categories = None
    if "categories" not in fields:
        checker.error(node, "missing 'categories'", name)
    else:
        categories = checker.text_list(fields["categories"][1], "'categories'", name)
        if categories is not None and len(categories) < 2:
            checker.error(fields["categories"][1], "needs at least 2 categories", name)
        for index, message in choice_problems(categories or [], many=False):
            checker.error(child(fields["categories"][1], index),
                          message.replace("choice", "category", 1), name)
    explanation, source, verified, tags = read_common(fields, name, checker)
    why = _read_why(fields, categories, checker, name)
    if prefix is None:
        checker.warn(node, "classify block has no 'id'; its cards' ids come from the items")
    if not explanation:
        checker.warn(node, "classify block has no 'explanation'", name)
    if not source:
        checker.warn(node, "classify block has no 'source'", name)
    items = None
    if "items" in fields:
        items = checker.mapping(fields["items"][1], "'items'", None, name)
    if "items" not in fields:
        checker.error(node, "missing 'items' (item: category)", name)
    if has_errors(checker, errors_before) or not template or categories is None:
        return
    # The block's cards are siblings: one new item a day, so one does not give another away.
    note = prefix or f"classify-{node.start_mark.line + 1}"
    for item, (key_node, value_node) in (items or {}).items():
        card_id = f"{prefix}-{slugify(item)}" if prefix else slugify(item)
        category = plain_text(value_node)
        if category is None:
            category = checker.text(value_node, f"the category of '{item}'", card_id)
        if category is None:
            continue
        if category not in categories:
            close = difflib.get_close_matches(category, categories, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            checker.error(value_node, f"'{category}' is not one of the categories{hint}", card_id)
            continue
        if long := long_answer([category], categories):
            checker.warn(key_node, long, card_id)
        if undated := undated_volatile(deck_tags + tags, [template, explanation]):
            checker.warn(key_node, undated, card_id)
        card = construct(Card, {  # every field, in order, as Card(...) would set them
            "deck": deck_id,
            "id": card_id,
            "type": CardType.CHOICE,
            "question": template.replace("{item}", item),
            "answers": (category,),
            "choices": tuple(categories),
            "accept": (),
            "why": {k: v for k, v in why.items() if k != category},
            "explanation": explanation,
            "source": source,
            "verified": verified,
            "tags": tuple(dict.fromkeys(deck_tags + tags)),
            "line": key_node.start_mark.line + 1,
            "id_derived": False,
            "note": note,
            "text": "",
        })
        yield card, key_node



def _read_why(
    fields: dict[str, tuple[Any, Any]],
    categories: list[str] | None,
    checker: Checker,
    name: str,
) -> dict[str, str]:
    """The block's notes on why each category is wrong for an item: keyed by category."""
    why_node = fields.get("why")
    if why_node is None:
        return {}

    def problem(key: str) -> str | None:
        if categories is not None and key not in categories:
            return f"why '{key}': not one of the categories"
        return None

    return read_notes(why_node[1], checker, name, problem)
