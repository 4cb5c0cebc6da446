"""A deck: a file's cards with its id and title; and its index entry, without the cards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypedDict, TypeVar

if TYPE_CHECKING:
    from awsquiz.model.card import Card, CardDict


class DeckDict(TypedDict):
    id: str
    title: str
    description: str
    tags: list[str]
    path: str
    cards: list[CardDict]
    order: float | None


class _Ordered(Protocol):
    @property
    def order(self) -> float | None: ...


D = TypeVar("D", bound=_Ordered)


@dataclass(frozen=True)
class Deck:
    """A deck file's cards, with its id, title and where it came from."""

    id: str
    title: str
    description: str
    path: str
    cards: tuple[Card, ...]
    tags: tuple[str, ...] = ()
    order: float | None = None  # the teaching order: lower numbers are introduced first

    def to_dict(self) -> DeckDict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "tags": list(self.tags),
            "path": self.path,
            "cards": [card.to_dict() for card in self.cards],
            "order": self.order,
        }

    @staticmethod
    def from_dict(data: DeckDict) -> Deck:
        from awsquiz.model.card import Card  # loaded with the first deck: an index has no cards

        return Deck(
            id=data["id"],
            title=data["title"],
            description=data["description"],
            tags=tuple(data["tags"]),
            path=data["path"],
            cards=tuple(Card.from_dict(card) for card in data["cards"]),
            order=data.get("order"),
        )



@dataclass(frozen=True)
class DeckFacts:
    """What `awsquiz stats` needs of a deck besides its index entry: each card's tags, and
    the choices and answers of every card with choices (by key)."""

    id: str
    title: str
    keys: Sequence[str]
    tags: Sequence[Sequence[str]]  # per card, in the order of `keys`
    choices: Mapping[str, Sequence[Sequence[str]]]  # key -> (choices, answers)

    @staticmethod
    def of(deck: Deck) -> DeckFacts:
        return DeckFacts(
            deck.id, deck.title, tuple(card.key for card in deck.cards),
            tuple(card.tags for card in deck.cards),
            {card.key: (card.choices, card.answers) for card in deck.cards if card.choices},
        )


@dataclass(frozen=True)
class DeckIndex:
    """What listing a deck and planning a session need of it: no card but its key."""

    id: str
    title: str
    path: str
    keys: tuple[str, ...]  # "deck/card" of every card, in deck order
    order: float | None = None
    # The keys of each group of siblings (the cards of one cloze, a card and its reverse,
    # a classify block's cards): the session shows one new card of a group a day.
    siblings: tuple[tuple[str, ...], ...] = ()

    @staticmethod
    def of(deck: Deck) -> DeckIndex:
        keys = tuple(card.key for card in deck.cards)
        return DeckIndex(
            deck.id, deck.title, deck.path, keys, deck.order, sibling_groups(deck.cards)
        )


def teaching_order(decks: Sequence[D]) -> list[D]:
    """Decks in the order their new cards are introduced: by `order`, lowest first; decks
    without one come after, as they were found (a stable sort)."""
    return sorted(decks, key=lambda d: (d.order is None, d.order or 0.0))


def sibling_groups(cards: Sequence[Card]) -> tuple[tuple[str, ...], ...]:
    """The keys of the cards of each note that made two cards or more, in deck order."""
    groups: dict[str, list[str]] = {}
    for card in cards:
        if card.note:
            groups.setdefault(card.note, []).append(card.key)
    return tuple(tuple(keys) for keys in groups.values() if len(keys) > 1)
