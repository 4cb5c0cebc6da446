"""Plain data types shared by every layer: cards, decks, problems, reviews and card states.

One small module per concept; the names are gathered here for `from awsquiz.model import Card`.
"""

from awsquiz.model.card import Card, CardDict, CardType
from awsquiz.model.deck import Deck, DeckDict, DeckFacts, DeckIndex
from awsquiz.model.glance import Glance, glances
from awsquiz.model.mark import MARK_KINDS, Mark, MarkDict, MarkKind
from awsquiz.model.problem import LoadResult, Problem, Severity
from awsquiz.model.progress import CardProgress, ProgressDict
from awsquiz.model.rating import RATINGS, Rating
from awsquiz.model.review import Answered, Review, ReviewDict
from awsquiz.model.state import CardState, State, StateDict

__all__ = [
    "RATINGS", "Answered", "Card", "CardDict", "CardProgress", "CardState", "CardType", "Deck",
    "DeckDict", "DeckFacts", "DeckIndex", "Glance", "LoadResult", "MARK_KINDS", "Mark",
    "MarkDict", "MarkKind", "Problem", "ProgressDict", "Rating",
    "Review", "ReviewDict", "Severity", "State", "StateDict", "glances",
]
