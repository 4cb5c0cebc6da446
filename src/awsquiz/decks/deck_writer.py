"""Deck entries to the text of a deck file: readable YAML, long texts as literal blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from awsquiz.model import Card, CardType


class _Dumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks; lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def deck_text(
    deck_id: str, title: str, description: str, entries: Sequence[dict[str, Any]],
    comment: str = "",
) -> str:
    """The YAML of a deck file holding these card entries."""
    head: dict[str, Any] = {"deck": deck_id, "title": title}
    if description:
        head["description"] = description
    body = yaml.dump(
        {**head, "cards": list(entries)}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
        width=100, default_flow_style=False,
    )
    prefix = "".join(f"# {line}\n" for line in comment.splitlines())
    return prefix + body


def card_row(card: Card) -> dict[str, str]:
    """One card as a row of a card list (CSV): choices numbered under the question."""
    question = card.question
    if card.choices:
        question += "".join(f"\n{n}. {choice}" for n, choice in enumerate(card.choices, 1))
    answer = card.answer if card.type is not CardType.CLOZE else card.answers[0]
    return {
        "id": card.id,
        "question": question,
        "answer": answer,
        "tags": " ".join(tag.replace(" ", "_") for tag in card.tags),
        "explanation": card.explanation,
        "source": card.source,
    }
