"""Decks to an Anki package (.apkg), written with genanki: one Anki card per awsquiz card.

Basic cards become Basic notes (Basic-and-reversed with their reverse), cloze cards Cloze
notes (one note per cloze), choice and multi cards Basic notes with the numbered choices on
the front. Each deck is `awsquiz::<deck>`; a note's GUID is derived from the deck and card
id, so importing a newer conversion into Anki updates the notes instead of adding copies.
"""

from __future__ import annotations

import hashlib
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from awsquiz.decks.html_text import marked, to_html
from awsquiz.model import Card, CardType, Deck

DECK_PREFIX = "awsquiz::"


@dataclass(frozen=True)
class Exported:
    """A package's bytes and what went into it."""

    data: bytes
    decks: int
    notes: int
    cards: int


def note_guid(deck_id: str, note_id: str) -> str:
    """The GUID of the note of a card (or of a cloze, or of a card and its reverse)."""
    import genanki

    return str(genanki.guid_for("awsquiz", deck_id, note_id))


def anki_deck_id(deck_id: str) -> int:
    """A stable Anki deck id for an awsquiz deck (Anki keys decks by number)."""
    digest = hashlib.sha256(f"awsquiz-deck:{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def write_package(decks: Sequence[Deck], timestamp: float | None = None) -> Exported:
    import genanki

    anki_decks = []
    notes = cards = 0
    for deck in decks:
        anki_deck = genanki.Deck(anki_deck_id(deck.id), f"{DECK_PREFIX}{deck.id}")
        for note, made in _notes(deck):
            anki_deck.add_note(note)
            notes += 1
            cards += made
        anki_decks.append(anki_deck)
    out = io.BytesIO()
    genanki.Package(anki_decks).write_to_file(out, timestamp=timestamp)
    return Exported(out.getvalue(), len(anki_decks), notes, cards)


def _notes(deck: Deck) -> list[tuple[Any, int]]:
    """Each note of the deck with the number of awsquiz cards it stands for."""
    import genanki

    reversed_notes = {card.note for card in deck.cards if card.is_reverse}
    heads = {card.id for card in deck.cards if card.note == card.id}
    done: set[str] = set()
    result = []
    for card in deck.cards:
        tags = [tag.replace(" ", "_") for tag in card.tags]
        if card.type is CardType.CLOZE:
            if card.note in done:
                continue
            done.add(card.note)
            cloze = [c for c in deck.cards if c.type is CardType.CLOZE and c.note == card.note]
            fields = [to_html(card.text), _cloze_accept(cloze) + _extra(card, card.note)]
            note = genanki.Note(model=genanki.CLOZE_MODEL, fields=fields, tags=tags,
                                guid=note_guid(deck.id, card.note))
            result.append((note, len(cloze)))
        elif card.is_reverse and card.note in heads:
            continue  # the second card of its front's Basic-and-reversed note
        elif card.type is CardType.BASIC and card.id in reversed_notes:
            # The back is the reverse card's question: the answer alone shows (the accepted
            # variants, explanation, source and id are hidden, kept for converting back).
            hidden = "".join(marked("accept", a, tag="span", hidden=True) for a in card.accept)
            if card.explanation:
                hidden += marked("explanation", card.explanation, hidden=True)
            if card.source:
                hidden += marked("source", card.source, hidden=True)
            fields = [to_html(card.question), marked("answer", card.answers[0]) + hidden +
                      marked("id", card.id, hidden=True)]
            note = genanki.Note(model=genanki.BASIC_AND_REVERSED_CARD_MODEL, fields=fields,
                                tags=tags, guid=note_guid(deck.id, card.id))
            result.append((note, 2))
        else:
            fields = [_front(card), _back(card)]
            note = genanki.Note(model=genanki.BASIC_MODEL, fields=fields, tags=tags,
                                guid=note_guid(deck.id, card.id))
            result.append((note, 1))
    return result


def _front(card: Card) -> str:
    front = to_html(card.question)
    if card.choices:
        items = "".join(marked("choice", choice, tag="li") for choice in card.choices)
        front += f"<ol>{items}</ol>"
    return front


def _back(card: Card) -> str:
    back = "".join(marked("answer", answer) for answer in card.answers)
    if card.accept:
        also = ", ".join(marked("accept", a, tag="span") for a in card.accept)
        back += f'<div class="awsquiz-also">also accepted: {also}</div>'
    for choice, reason in card.why.items():
        back += marked("why", f"Why not {choice}: {reason}")
    return back + _extra(card, card.id)


def _cloze_accept(cards: list[Card]) -> str:
    """The typed variants each deletion accepts (Anki has none; awsquiz reads them back)."""
    parts = []
    for card in cards:
        number = card.id.rsplit("-", 1)[-1]
        parts += [f"{number}: " + marked(f"accept-{number}", a, tag="span") for a in card.accept]
    return f'<div class="awsquiz-also">also accepted: {", ".join(parts)}</div>' if parts else ""


def _extra(card: Card, note_id: str) -> str:
    """The explanation, the source as a link, and the awsquiz id (hidden)."""
    extra = "<hr>" if card.explanation or card.source else ""
    if card.explanation:
        extra += marked("explanation", card.explanation)
    if card.source:
        link = html.escape(card.source, quote=True)
        extra += f'<div class="awsquiz-source"><a href="{link}">{link}</a></div>'
    return extra + marked("id", note_id, hidden=True)
