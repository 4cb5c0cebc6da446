"""A real review history (tests/data/review-history) as an awsquiz review log.

The CSV holds 12,580 reviews of 1,205 cards by one learner (see its README.md).
Each card's ratings are replayed in time order through the scheduler (no fuzz), so every
review carries the state the card had after it, as a study session would have saved.
"""

from __future__ import annotations

import csv
from pathlib import Path

from awsquiz.model import Rating, Review
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.store.store import Store
from awsquiz.system.paths import from_iso, iso

CSV_NAME = "review_logs_josh_1711744352250_to_1728234780857.csv"
CSV_PATH = Path(__file__).resolve().parent / "data" / "review-history" / CSV_NAME
DECK = "history"
REVIEWS = 12_580
CARDS = 1_205
def history_reviews(path: Path = CSV_PATH, deck: str = DECK) -> list[Review]:
    """Every row of the CSV as a Review of `deck`, card = card_id, right = rating != 1."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            (from_iso(row["review_time"]), row["card_id"], int(row["review_rating"]),
             int(row["review_duration"]))
            for row in csv.DictReader(handle)
        ]
    rows.sort(key=lambda row: (row[0], row[1]))
    scheduler = Scheduler(fuzz=False)
    states = {}
    reviews = []
    for index, (moment, card, rating_value, ms) in enumerate(rows):
        rating = Rating(rating_value)
        state = scheduler.review(states.get(card), rating, moment)
        states[card] = state
        reviews.append(
            Review(
                id=f"history{index:06d}",
                deck=deck,
                card=card,
                time=iso(moment),
                rating=rating,
                right=rating is not Rating.AGAIN,
                picked=None,
                ms=ms,
                state=state,
            )
        )
    return reviews


def card_ids(reviews: list[Review]) -> list[str]:
    return sorted({review.card for review in reviews})


def write_history(folder: Path, deck: str = DECK) -> list[Review]:
    """Fill a progress folder with the history (one write); returns the reviews."""
    reviews = history_reviews(deck=deck)
    store = Store.open(folder, machine="history")
    store.append_many(reviews)
    store.save_snapshot()
    return reviews


def write_deck(folder: Path, ids: list[str], deck: str = DECK) -> Path:
    """A deck file with one basic card for each card id, so the history is not orphaned."""
    lines = [f"deck: {deck}", "title: Real review history", "tags: [history]", "cards:"]
    for card in ids:
        lines += [
            f"  - id: '{card}'",
            f"    question: Card {card}?",
            "    answer: 'yes'",
            "    explanation: A card of the real review history.",
            "    source: https://github.com/open-spaced-repetition/py-fsrs",
        ]
    path = folder / f"{deck}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # python tests/history.py PROGRESS_DIR [DECKS_DIR]
    import sys

    target = Path(sys.argv[1])
    written = write_history(target)
    if len(sys.argv) > 2:
        write_deck(Path(sys.argv[2]), card_ids(written))
    print(f"{len(written)} reviews of {len(card_ids(written))} cards in {target}")
