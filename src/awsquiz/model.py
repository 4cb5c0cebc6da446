"""Plain data types shared by every layer: decks, cards, reviews and card states."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any, TypedDict, TypeVar

_T = TypeVar("_T")


def _trusted(cls: type[_T], fields: dict[str, Any]) -> _T:
    """A frozen dataclass built from every field, already typed, without calling __init__.

    A frozen __init__ sets each field through object.__setattr__, five times slower; this
    path is for from_dict on cached data (thousands of cards and reviews at start-up).
    """
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


class CardType(str, Enum):
    BASIC = "basic"
    CHOICE = "choice"
    MULTI = "multi"

    @property
    def auto_graded(self) -> bool:
        return self is not CardType.BASIC


class Rating(IntEnum):
    """The four FSRS ratings; auto-graded answers use AGAIN (wrong) and GOOD (right)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


_RATINGS = {rating.value: rating for rating in Rating}  # a KeyError for anything else


class CardDict(TypedDict):
    deck: str
    id: str
    type: str
    question: str
    choices: list[str]
    answer: str | list[str]
    accept: list[str]
    why: dict[str, str]
    explanation: str
    source: str
    verified: str | None
    tags: list[str]
    line: int
    id_derived: bool


@dataclass(frozen=True)
class Card:
    """One flashcard: its question, answers and choices, and what explains it."""

    deck: str
    id: str
    type: CardType
    question: str
    answers: tuple[str, ...]
    choices: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    why: dict[str, str] = field(default_factory=dict)
    explanation: str = ""
    source: str = ""
    verified: str | None = None
    tags: tuple[str, ...] = ()
    line: int = 0
    id_derived: bool = False

    @property
    def key(self) -> str:
        """Progress is keyed by deck and card id."""
        return f"{self.deck}/{self.id}"

    @property
    def answer(self) -> str:
        """The answer as one line of text (multi answers joined)."""
        return ", ".join(self.answers)

    def to_dict(self) -> CardDict:
        return {
            "deck": self.deck,
            "id": self.id,
            "type": self.type.value,
            "question": self.question,
            "choices": list(self.choices),
            "answer": list(self.answers) if self.type is CardType.MULTI else self.answers[0],
            "accept": list(self.accept),
            "why": dict(self.why),
            "explanation": self.explanation,
            "source": self.source,
            "verified": self.verified,
            "tags": list(self.tags),
            "line": self.line,
            "id_derived": self.id_derived,
        }

    @staticmethod
    def from_dict(data: CardDict) -> Card:
        answer = data["answer"]
        return _trusted(
            Card,
            {
                "deck": data["deck"],
                "id": data["id"],
                "type": CardType(data["type"]),
                "question": data["question"],
                "answers": tuple(answer) if isinstance(answer, list) else (answer,),
                "choices": tuple(data["choices"]),
                "accept": tuple(data["accept"]),
                "why": dict(data["why"]),
                "explanation": data["explanation"],
                "source": data["source"],
                "verified": data["verified"],
                "tags": tuple(data["tags"]),
                "line": data["line"],
                "id_derived": data["id_derived"],
            },
        )


class DeckDict(TypedDict):
    id: str
    title: str
    description: str
    tags: list[str]
    path: str
    cards: list[CardDict]


@dataclass(frozen=True)
class Deck:
    """A deck file's cards, with its id, title and where it came from."""

    id: str
    title: str
    description: str
    path: str
    cards: tuple[Card, ...]
    tags: tuple[str, ...] = ()

    def to_dict(self) -> DeckDict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "tags": list(self.tags),
            "path": self.path,
            "cards": [card.to_dict() for card in self.cards],
        }

    @staticmethod
    def from_dict(data: DeckDict) -> Deck:
        return Deck(
            id=data["id"],
            title=data["title"],
            description=data["description"],
            tags=tuple(data["tags"]),
            path=data["path"],
            cards=tuple(Card.from_dict(card) for card in data["cards"]),
        )


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck file, with where it is."""

    path: str
    line: int
    column: int
    message: str
    card: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        card = f" card '{self.card}':" if self.card else ""
        kind = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}:{card} {kind}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "card": self.card,
            "severity": self.severity.value,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Problem:
        return Problem(
            path=data["path"],
            line=data["line"],
            column=data["column"],
            message=data["message"],
            card=data["card"],
            severity=Severity(data["severity"]),
        )


@dataclass
class LoadResult:
    """A deck file's deck (None when it has errors) and every problem found in it."""

    path: str
    deck: Deck | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


class StateDict(TypedDict):
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str
    last_review: str | None
    reps: int
    lapses: int


@dataclass(frozen=True)
class CardState:
    """A card's scheduler state after its latest review (times are ISO 8601 UTC)."""

    state: int  # fsrs.State: 1 Learning, 2 Review, 3 Relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: str
    last_review: str | None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> StateDict:
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due,
            "last_review": self.last_review,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @staticmethod
    def from_dict(data: StateDict) -> CardState:
        return _trusted(
            CardState,
            {
                "state": int(data["state"]),
                "step": data["step"],
                "stability": data["stability"],
                "difficulty": data["difficulty"],
                "due": data["due"],
                "last_review": data["last_review"],
                "reps": int(data.get("reps", 0)),
                "lapses": int(data.get("lapses", 0)),
            },
        )


class ReviewDict(TypedDict):
    v: int
    id: str
    deck: str
    card: str
    time: str
    rating: int
    right: bool | None
    picked: list[str] | str | None
    ms: int
    kind: str
    state: StateDict


@dataclass(frozen=True)
class Review:
    """One answer, as written to the review log."""

    id: str
    deck: str
    card: str
    time: str  # ISO 8601, UTC
    rating: Rating
    right: bool | None  # None: a self-rated basic card with no typed answer
    picked: tuple[str, ...] | str | None
    ms: int
    state: CardState
    kind: str = "study"  # study | review | exam

    @property
    def key(self) -> str:
        return f"{self.deck}/{self.card}"

    @property
    def missed(self) -> bool:
        return self.right is False or (self.right is None and self.rating is Rating.AGAIN)

    @property
    def after(self) -> int:
        """The card's fsrs state after this review (as `store.Answered` has it)."""
        return self.state.state

    def to_dict(self, version: int) -> ReviewDict:
        picked: list[str] | str | None = (
            list(self.picked) if isinstance(self.picked, tuple) else self.picked
        )
        return {
            "v": version,
            "id": self.id,
            "deck": self.deck,
            "card": self.card,
            "time": self.time,
            "rating": int(self.rating),
            "right": self.right,
            "picked": picked,
            "ms": self.ms,
            "kind": self.kind,
            "state": self.state.to_dict(),
        }

    @staticmethod
    def from_dict(data: ReviewDict) -> Review:
        picked = data.get("picked")
        return _trusted(
            Review,
            {
                "id": data["id"],
                "deck": data["deck"],
                "card": data["card"],
                "time": data["time"],
                "rating": _RATINGS[data["rating"]],
                "right": data["right"],
                "picked": tuple(picked) if isinstance(picked, list) else picked,
                "ms": int(data.get("ms", 0)),
                "kind": data.get("kind", "study"),
                "state": CardState.from_dict(data["state"]),
            },
        )


class ProgressDict(TypedDict):
    state: StateDict
    last_id: str
    last_time: str
    last_rating: int
    last_right: bool | None
    last_picked: list[str] | str | None
    first_time: str


@dataclass(frozen=True)
class CardProgress:
    """What the store knows of one card: its newest review and its first one.

    Built only from "newest" and "oldest" choices over reviews, so reading the same review
    twice (two synced logs holding it) changes nothing.
    """

    state: CardState
    last_id: str
    last_time: str
    last_rating: Rating
    last_right: bool | None
    last_picked: tuple[str, ...] | str | None
    first_time: str

    @property
    def missed(self) -> bool:
        return self.last_right is False or (
            self.last_right is None and self.last_rating is Rating.AGAIN
        )

    @staticmethod
    def first(review: Review, first_time: str | None = None) -> CardProgress:
        """Progress whose newest review is `review` (and, unless given, its first too)."""
        return CardProgress(
            state=review.state,
            last_id=review.id,
            last_time=review.time,
            last_rating=review.rating,
            last_right=review.right,
            last_picked=review.picked,
            first_time=first_time or review.time,
        )

    def updated(self, review: Review) -> CardProgress:
        """This progress with one more review folded in, whatever order reviews arrive in."""
        first_time = min(self.first_time, review.time)
        if (review.time, review.id) > (self.last_time, self.last_id):
            return CardProgress.first(review, first_time)
        if first_time != self.first_time:
            return CardProgress(
                self.state,
                self.last_id,
                self.last_time,
                self.last_rating,
                self.last_right,
                self.last_picked,
                first_time,
            )
        return self

    def to_dict(self) -> ProgressDict:
        picked = list(self.last_picked) if isinstance(self.last_picked, tuple) else self.last_picked
        return {
            "state": self.state.to_dict(),
            "last_id": self.last_id,
            "last_time": self.last_time,
            "last_rating": int(self.last_rating),
            "last_right": self.last_right,
            "last_picked": picked,
            "first_time": self.first_time,
        }

    def to_row(self) -> list[Any]:
        """A flat list of every field, for the snapshot: a third of the size of to_dict's
        nested objects, and twice as fast to read back."""
        state = self.state
        picked = list(self.last_picked) if isinstance(self.last_picked, tuple) else self.last_picked
        return [
            state.state, state.step, state.stability, state.difficulty, state.due,
            state.last_review, state.reps, state.lapses, self.last_id, self.last_time,
            int(self.last_rating), self.last_right, picked, self.first_time,
        ]

    @staticmethod
    def from_row(row: list[Any]) -> CardProgress:
        """The inverse of to_row; ValueError or TypeError if `row` is not one."""
        (
            state, step, stability, difficulty, due, last_review, reps, lapses,
            last_id, last_time, last_rating, last_right, picked, first_time,
        ) = row
        if not (type(due) is type(last_id) is type(last_time) is type(first_time) is str):
            raise TypeError("not a progress row")
        card_state = _trusted(CardState, {
            "state": int(state), "step": step, "stability": stability,
            "difficulty": difficulty, "due": due, "last_review": last_review,
            "reps": int(reps), "lapses": int(lapses),
        })
        return _trusted(CardProgress, {
            "state": card_state,
            "last_id": last_id,
            "last_time": last_time,
            "last_rating": _RATINGS[last_rating],
            "last_right": last_right,
            "last_picked": tuple(picked) if isinstance(picked, list) else picked,
            "first_time": first_time,
        })

    @staticmethod
    def from_dict(data: ProgressDict) -> CardProgress:
        picked = data["last_picked"]
        return _trusted(
            CardProgress,
            {
                "state": CardState.from_dict(data["state"]),
                "last_id": data["last_id"],
                "last_time": data["last_time"],
                "last_rating": _RATINGS[data["last_rating"]],
                "last_right": data["last_right"],
                "last_picked": tuple(picked) if isinstance(picked, list) else picked,
                "first_time": data["first_time"],
            },
        )
