"""A `type: cloze` entry of a deck file: its `text` in Anki's syntax to one card per `cN`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from awsquiz.decks.advice import undated_volatile
from awsquiz.decks.cloze import ClozeProblem, cloze_cards, parse_cloze
from awsquiz.decks.nodes import (
    MAP,
    Checker,
    has_errors,
    optional_text,
    raw_text,
    read_common,
    slugify,
    warn_missing,
)
from awsquiz.model import Card, CardType
from awsquiz.model.build import construct

_NOT_FOR_CLOZE = {
    "question": "a cloze card asks its 'text', not a 'question'",
    "answer": "a cloze card's answers are its deletions ({{c1::...}}); remove 'answer'",
    "choices": "'choices' needs 'type: choice' or 'type: multi'",
    "why": "'why' explains wrong choices; the card has none",
    "reverse": "'reverse' applies only to basic cards",
}


def read_cloze(
    node: Any,
    fields: dict[str, tuple[Any, Any]],
    deck_id: str,
    deck_tags: list[str],
    checker: Checker,
    derived: bool,
    errors_before: int,
) -> list[Card]:
    """One card per distinct deletion number, ids `<id>-c1`, `<id>-c2`, ..."""
    name = raw_text(node, "id") or slugify(raw_text(node, "text") or "card")
    for key, message in _NOT_FOR_CLOZE.items():
        if key in fields:
            checker.error(fields[key][0], message, name)
    text = optional_text(fields, "text", checker, name)
    cards = []
    if "text" not in fields or (text is not None and not text.strip()):
        checker.error(node, "missing 'text' (a cloze: 'AWS secures {{c1::the cloud}}')", name)
    elif text is not None:
        segments, problems = parse_cloze(text)
        for problem in problems:
            checker.error(_where(fields["text"][1], text, problem), problem.message, name)
        cards = cloze_cards(segments)
    accept = _read_accept(fields, {f"c{card.number}" for card in cards}, checker, name)
    explanation, source, verified, tags = read_common(fields, name, checker)
    warn_missing(node, checker, name, derived=derived, explanation=explanation, source=source)
    if has_errors(checker, errors_before) or not text:
        return []
    if undated := undated_volatile(tags + deck_tags, [text, explanation]):
        checker.warn(node, undated, name)
    all_tags = tuple(dict.fromkeys(deck_tags + tags))
    return [
        construct(Card, {  # every field, in order, as Card(...) would set them
            "deck": deck_id,
            "id": f"{name}-c{card.number}",
            "type": CardType.CLOZE,
            "question": card.question,
            "answers": (card.answer,),
            "choices": (),
            "accept": tuple(accept.get(f"c{card.number}", ())),
            "why": {},
            "explanation": explanation,
            "source": source,
            "verified": verified,
            "tags": all_tags,
            "line": node.start_mark.line + 1,
            "id_derived": derived,
            "note": name,
            "text": text,
        })
        for card in cards
    ]


def _read_accept(
    fields: dict[str, tuple[Any, Any]], numbers: set[str], checker: Checker, name: str
) -> dict[str, list[str]]:
    """`accept`: a list for every deletion, or `c1: [...]` per deletion."""
    if "accept" not in fields:
        return {}
    node = fields["accept"][1]
    if node.tag != MAP:
        variants = checker.text_list(node, "'accept'", name) or []
        return {number: variants for number in numbers}
    result: dict[str, list[str]] = {}
    per_deletion = checker.mapping(node, "'accept'", None, name) or {}
    for key, (key_node, value_node) in per_deletion.items():
        if numbers and key not in numbers:
            known = ", ".join(sorted(numbers))
            checker.error(key_node, f"accept '{key}': the text has no such deletion ({known})",
                          name)
            continue
        result[key] = checker.text_list(value_node, f"accept '{key}'", name) or []
    return result


def _where(node: Any, text: str, problem: ClozeProblem) -> Any:
    """Where in the file a problem at an offset of the text is: exact for a one-line value
    and for a literal block (`|`); otherwise the start of the value."""
    mark = node.start_mark
    before = text[: problem.offset]
    line, column = mark.line, mark.column
    if node.style == "|":
        line += 1 + before.count("\n")
        column = mark.column  # the block's indentation is not known here; the line is
    elif "\n" not in before and node.end_mark.line == mark.line:
        column += problem.offset + (1 if node.style in ("'", '"') else 0)
    return SimpleNamespace(start_mark=SimpleNamespace(line=line, column=column))
