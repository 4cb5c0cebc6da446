"""Anki notes to the entries of a deck file's `cards` list (plain mappings, in key order).

Basic notes become basic cards, Basic-and-reversed ones (a note with a second card) basic
cards with `reverse: true`, Cloze notes cloze cards. A note awsquiz exported keeps its parts:
the choices, the right answers, the accepted variants, why a choice is wrong, the explanation,
the source and the card id. Every other note is skipped with its reason, counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from awsquiz.decks.anki_import import AnkiNote, web_address
from awsquiz.decks.cards import CARD_ID
from awsquiz.decks.cloze import cloze_numbers, parse_cloze
from awsquiz.decks.html_text import html_to_text, read_field

Entry = dict[str, Any]
_WHY = re.compile(r"^Why not (.+?): (.+)$", re.DOTALL)


@dataclass
class Mapped:
    """The entries made from a package's notes, and the notes skipped, by reason."""

    entries: list[Entry] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)  # reason: note ids
    cards: int = 0  # the awsquiz cards the entries make


def map_notes(notes: Iterable[AnkiNote], used: set[str] | None = None) -> Mapped:
    """Each note as a card entry, its card ids kept unique across `used` (updated)."""
    used = set() if used is None else used
    mapped = Mapped()
    for note in notes:
        entry = note_entry(note)
        if isinstance(entry, str):
            mapped.skipped.setdefault(entry, []).append(note.id)
            continue
        ids = _unique_ids(entry, note.id, used)
        used.update(ids)
        mapped.cards += len(ids)
        mapped.entries.append(entry)
    return mapped


def note_entry(note: AnkiNote) -> Entry | str:
    """The note as a card entry, or why it cannot be one."""
    kind = note.type
    if kind is None:
        return "its note type is not in the package"
    if kind.cloze:
        return _cloze(note)
    if kind.fields < 2 or len(note.fields) < 2:
        return f"note type '{kind.name}' has one field (a question and an answer are needed)"
    if kind.templates > 2 or not note.ords <= {0, 1}:
        return f"note type '{kind.name}' makes {kind.templates} cards a note"
    front, front_parts = read_field(note.fields[0])
    back, back_parts = read_field(note.fields[1])
    answers = back_parts.get("answer") or ([back] if back else [])
    if not front:
        return "the front is empty (an image or sound only?)"
    if not answers:
        return "the back is empty (an image or sound only?)"
    entry: Entry = {"id": _id(note, back_parts)}
    choices = front_parts.get("choice", [])
    if choices and _choices_fit(choices, answers):
        entry["type"] = "choice" if len(answers) == 1 else "multi"
        entry["question"] = front
        entry["choices"] = choices
        entry["answer"] = answers[0] if len(answers) == 1 else answers
        why = _why(back_parts.get("why", []), choices, answers)
    else:
        numbered = "".join(f"\n{n}. {choice}" for n, choice in enumerate(choices, 1))
        entry["question"] = front + numbered
        entry["answer"] = ", ".join(answers)
        why = {}
        if back_parts.get("accept"):
            entry["accept"] = back_parts["accept"]
        if 1 in note.ords:
            entry["reverse"] = True
    if why:
        entry["why"] = why
    extra = [html_to_text(f) for f in note.fields[2:]]
    _finish(entry, note, back_parts, extra)
    return entry


def _cloze(note: AnkiNote) -> Entry | str:
    text, _ = read_field(note.fields[0])
    if "image-occlusion:" in text:  # Anki's image occlusion notes are cloze notes of shapes
        return "an image occlusion note (its deletions are areas of an image)"
    extra, parts = read_field(note.fields[1]) if len(note.fields) > 1 else ("", {})
    _, problems = parse_cloze(text)
    if problems:
        return f"a cloze awsquiz cannot read: {problems[0].message}"
    entry: Entry = {"id": _id(note, parts), "type": "cloze", "text": text}
    accept = {kind.removeprefix("accept-"): texts for kind, texts in parts.items()
              if kind.startswith("accept-c")}
    if accept:
        entry["accept"] = accept
    _finish(entry, note, parts, [extra, *(html_to_text(f) for f in note.fields[2:])])
    return entry


def _finish(entry: Entry, note: AnkiNote, parts: dict[str, list[str]], extra: list[str]) -> None:
    """The explanation, source and tags, in the order a deck file gives them."""
    explanation = "\n\n".join(parts.get("explanation", []) + [e for e in extra if e])
    sources = parts.get("source", [])
    if sources and not web_address(sources[0]):
        explanation = "\n\n".join(x for x in (explanation, f"Source: {sources[0]}") if x)
        sources = []
    if explanation:
        entry["explanation"] = explanation
    if sources:
        entry["source"] = sources[0]
    if note.tags:
        entry["tags"] = list(dict.fromkeys(note.tags))


def _id(note: AnkiNote, parts: dict[str, list[str]]) -> str:
    ids = parts.get("id", [])
    return ids[0] if ids and CARD_ID.match(ids[0]) else f"anki-{note.id}"


def _unique_ids(entry: Entry, note_id: int, used: set[str]) -> list[str]:
    """The entry's card ids; its id is changed where one of them is taken already."""
    def ids(base: str) -> list[str]:
        if entry.get("type") == "cloze":
            return [f"{base}-c{n}" for n in cloze_numbers(entry["text"])]
        return [base, f"{base}-reverse"] if entry.get("reverse") else [base]

    base, n = entry["id"], 1
    while any(i in used for i in ids(base)):
        n += 1
        base = f"anki-{note_id}" if n == 2 else f"anki-{note_id}-{n}"
    entry["id"] = base
    return ids(base)


def _choices_fit(choices: list[str], answers: list[str]) -> bool:
    """Choices and answers that make a valid choice or multi card."""
    if len(choices) < 2 or len(set(c.casefold() for c in choices)) != len(choices):
        return False
    if not set(answers) <= set(choices) or len(set(answers)) != len(answers):
        return False
    return len(answers) == 1 or len(answers) < len(choices)


def _why(lines: list[str], choices: list[str], answers: list[str]) -> dict[str, str]:
    why = {}
    for line in lines:
        match = _WHY.match(line)
        if match and match.group(1) in choices and match.group(1) not in answers:
            why[match.group(1)] = match.group(2)
    return why
