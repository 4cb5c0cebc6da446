"""Which cards a session or listing takes: not the suspended ones, and with `--tag`, only
those with one of the tags (a deck's tags are its cards' tags; case does not matter)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from awsquiz.errors import AwsquizError
from awsquiz.model import Card


def wanted(tags: Sequence[str]) -> frozenset[str]:
    """The tags asked for, in the case they are compared in."""
    return frozenset(tag.strip().lower() for tag in tags if tag.strip())


def has_tag(card: Card, tags: frozenset[str]) -> bool:
    """Whether `card` has one of `tags` (as `wanted` gives them); every card if none."""
    return not tags or any(tag.lower() in tags for tag in card.tags)


def narrow(cards: Iterable[Card], tags: Sequence[str], suspended: frozenset[str]) -> list[Card]:
    """The cards of `cards` a session takes: with one of `tags` (if any), not suspended.
    AwsquizError if tags were asked for and no card has one."""
    chosen = wanted(tags)
    all_cards = list(cards)
    tagged = [card for card in all_cards if has_tag(card, chosen)]
    if chosen and not tagged:
        raise no_such_tag(tags)
    return [card for card in tagged if card.key not in suspended]


def no_such_tag(tags: Sequence[str]) -> AwsquizError:
    shown = ", ".join(tags)
    return AwsquizError(
        f"no card in the chosen decks is tagged {shown}",
        hint="awsquiz cards --tags lists the tags and how many cards have each",
    )


def tag_counts(cards: Iterable[Card]) -> dict[str, int]:
    """How many cards have each tag (as written in the deck), most first, then by name."""
    counts: dict[str, int] = {}
    for card in cards:
        for tag in card.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def search_words(text: str) -> list[str]:
    """The words of a search, in the case they are compared in."""
    return text.lower().split()


def matches(card: Card, words: Sequence[str]) -> bool:
    """Whether every word of a search is in the card's question, answer, choices or
    explanation (any case)."""
    haystack = "\n".join(
        (card.question, *card.answers, *card.choices, card.explanation)
    ).lower()
    return all(word in haystack for word in words)
