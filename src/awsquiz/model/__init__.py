"""Plain data types shared by every layer: cards, decks, problems, reviews and card states.

One small module per concept; the names are gathered here for `from awsquiz.model import Card`.
Each module is loaded when one of its names is first asked for (a module `__getattr__`), so a
command loads only the model modules it uses: defining these classes is a good part of what
starting a command costs.
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsquiz.model.card import Card, CardDict, CardType
    from awsquiz.model.deck import Deck, DeckDict, DeckFacts, DeckIndex
    from awsquiz.model.glance import Glance, glances
    from awsquiz.model.mark import MARK_KINDS, Mark, MarkDict, MarkKind
    from awsquiz.model.problem import LoadResult, Problem, Severity
    from awsquiz.model.progress import CardProgress, ProgressDict
    from awsquiz.model.rating import RATINGS, Rating
    from awsquiz.model.review import Answered, Review, ReviewDict
    from awsquiz.model.state import CardState, State, StateDict

# Each name gathered here, and the module of this package that defines it.
_HOME = {
    "Card": "card", "CardDict": "card", "CardType": "card",
    "Deck": "deck", "DeckDict": "deck", "DeckFacts": "deck", "DeckIndex": "deck",
    "Glance": "glance", "glances": "glance",
    "MARK_KINDS": "mark", "Mark": "mark", "MarkDict": "mark", "MarkKind": "mark",
    "LoadResult": "problem", "Problem": "problem", "Severity": "problem",
    "CardProgress": "progress", "ProgressDict": "progress",
    "RATINGS": "rating", "Rating": "rating",
    "Answered": "review", "Review": "review", "ReviewDict": "review",
    "CardState": "state", "State": "state", "StateDict": "state",
}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # asked for once: later lookups find it directly
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "RATINGS", "Answered", "Card", "CardDict", "CardProgress", "CardState", "CardType", "Deck",
    "DeckDict", "DeckFacts", "DeckIndex", "Glance", "LoadResult", "MARK_KINDS", "Mark",
    "MarkDict", "MarkKind", "Problem", "ProgressDict", "Rating",
    "Review", "ReviewDict", "Severity", "State", "StateDict", "glances",
]
