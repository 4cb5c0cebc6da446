"""A synthetic library and review history for the speed benchmarks.

    python benchmarks/generate.py OUT --decks 20 --cards 500 --reviews 100000

writes OUT/decks/bench-NN.yaml (every card type: basic with `accept`, choice with `why`,
multi, and a classify block; valid per `awsquiz check`) and OUT/progress/ with a review log
of R answers written through the project's own store (`Store.append_many`, in batches),
each carrying the state `awsquiz.scheduler.Scheduler` computes for it.

The history is one learner studying every day for a year before NOW: cards are introduced
over the year, each answer goes to a card already introduced, and ratings are mostly Good.
Everything is seeded, so the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = "2026-11-28T09:00:00+00:00"
MACHINE = "bench"
SPAN_DAYS = 365
BATCH = 5_000
SOURCE = "https://docs.aws.amazon.com/whitepapers/latest/aws-overview/security-services.html"

# How a deck's cards are split across the types; classify items take the rest.
MIX = (("basic", 0.3), ("choice", 0.3), ("multi", 0.2))
CATEGORIES = ("Inherited", "Shared", "Customer-specific")
WORDS = (
    "encryption", "key", "policy", "bucket", "region", "zone", "audit", "control", "log",
    "trail", "identity", "role", "principal", "account", "network", "subnet", "gateway",
    "firewall", "certificate", "secret", "rotation", "backup", "replica", "snapshot",
    "compliance", "artifact", "report", "boundary", "permission", "session", "token",
)


@dataclass(frozen=True)
class CardRef:
    deck: str
    id: str
    type: str
    choices: tuple[str, ...]
    answer: tuple[str, ...]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def deck_text(index: int, cards: int, seed: int = 0) -> tuple[str, list[CardRef]]:
    """One deck file's YAML and the cards it defines."""
    rng = random.Random(seed * 1_000_003 + index)
    deck = f"bench-{index:02d}"
    lines = [
        f"deck: {deck}",
        f"title: {_q(f'Benchmark deck {index}')}",
        f"description: {_q('Synthetic cards for the speed benchmarks. ' + _phrase(rng, 12))}",
        "tags: [bench]",
        "cards:",
    ]
    refs: list[CardRef] = []
    counts = [int(cards * share) for _, share in MIX]
    classify = max(0, cards - sum(counts))
    serial = 0
    for (kind, _), count in zip(MIX, counts, strict=True):
        for _ in range(count):
            serial += 1
            card_id = f"{kind}-{serial:05d}"
            topic = _phrase(rng, 6)
            lines.append(f"  - id: {card_id}")
            if kind != "basic":
                lines.append(f"    type: {kind}")
            lines.append(f"    question: {_q(f'Card {serial} of {deck}: which {topic}?')}")
            if kind == "basic":
                answer = f"{_phrase(rng, 3)} {serial}"
                lines.append(f"    answer: {_q(answer)}")
                lines.append(f"    accept: [{_q(answer.upper())}, {_q('the ' + answer)}]")
                refs.append(CardRef(deck, card_id, kind, (), (answer,)))
            else:
                choices = [f"{_phrase(rng, 3)} {serial}-{n}" for n in range(4)]
                lines.append(f"    choices: [{', '.join(_q(c) for c in choices)}]")
                if kind == "choice":
                    lines.append(f"    answer: {_q(choices[0])}")
                    lines.append("    why:")
                    for wrong in choices[1:]:
                        lines.append(f"      {_q(wrong)}: {_q('Not so: ' + _phrase(rng, 10))}")
                    refs.append(CardRef(deck, card_id, kind, tuple(choices), (choices[0],)))
                else:
                    lines.append(f"    answer: [{_q(choices[0])}, {_q(choices[2])}]")
                    refs.append(
                        CardRef(deck, card_id, kind, tuple(choices), (choices[0], choices[2]))
                    )
            lines.append(f"    explanation: {_q(_phrase(rng, 30))}")
            lines.append(f"    source: {SOURCE}")
            lines.append("    verified: 2026-11-28")
            lines.append(f"    tags: [{rng.choice(WORDS)}, {kind}]")
    if classify:
        lines += [
            "classify:",
            "  - id: kinds",
            "    question: \"Which kind of control is this: {item}?\"",
            f"    categories: [{', '.join(CATEGORIES)}]",
            f"    explanation: {_q(_phrase(rng, 20))}",
            f"    source: {SOURCE}",
            "    verified: 2026-11-28",
            "    tags: [classify]",
            "    why:",
            f"      Inherited: {_q(_phrase(rng, 8))}",
            "    items:",
        ]
        for item in range(classify):
            serial += 1
            text = f"Item {serial} {_phrase(rng, 4)}"
            category = CATEGORIES[item % len(CATEGORIES)]
            lines.append(f"      {_q(text)}: {category}")
            card_id = "kinds-" + _slug(text)
            refs.append(CardRef(deck, card_id, "choice", CATEGORIES, (category,)))
    return "\n".join(lines) + "\n", refs


def _slug(text: str) -> str:
    from awsquiz.decks.nodes import slugify

    return slugify(text)


def make_library(folder: Path, decks: int, cards: int, seed: int = 0) -> list[CardRef]:
    """Write `decks` deck files of `cards` cards each into `folder`; return their cards."""
    folder.mkdir(parents=True, exist_ok=True)
    refs: list[CardRef] = []
    for index in range(1, decks + 1):
        text, deck_refs = deck_text(index, cards, seed)
        (folder / f"bench-{index:02d}.yaml").write_text(text, encoding="utf-8")
        refs += deck_refs
    return refs


def library_cards(decks: int, cards: int, seed: int = 0) -> list[CardRef]:
    """The cards `make_library` writes, without writing them."""
    return [ref for i in range(1, decks + 1) for ref in deck_text(i, cards, seed)[1]]


def _events(
    refs: list[CardRef], reviews: int, now: datetime, rng: random.Random
) -> Iterator[tuple[datetime, int]]:
    """(time, card index) of each answer, in time order over the year before `now`.

    About 70% of the cards are introduced (fewer if there are fewer answers than that);
    the k-th is first answered at the k-th share of the year, and every other answer goes
    to a card already introduced, recent ones more often.
    """
    studied = min(len(refs), max(1, int(len(refs) * 0.7)), reviews)
    order = rng.sample(range(len(refs)), studied)
    start = now - timedelta(days=SPAN_DAYS)
    step = (SPAN_DAYS * 86_400 - 3_600) / max(1, reviews)
    introduced = 0
    for n in range(reviews):
        moment = start + timedelta(seconds=n * step)
        due_intro = max(1, (n + 1) * studied // reviews)
        if introduced < due_intro:
            introduced += 1
            yield moment, order[introduced - 1]
            continue
        # Recent cards more often: the max of two uniform picks leans to the newest.
        pick = max(rng.randrange(introduced), rng.randrange(introduced))
        yield moment, order[pick]


def make_history(
    progress: Path,
    refs: list[CardRef],
    reviews: int,
    *,
    now: str = NOW,
    seed: int = 0,
    machine: str = MACHINE,
    snapshot: bool = True,
) -> Path:
    """Write `reviews` answers over `refs` into `progress` through `Store.append_many`."""
    from awsquiz.model import Rating, Review
    from awsquiz.model.times import iso
    from awsquiz.scheduling.scheduler import Scheduler
    from awsquiz.store.store import Store

    rng = random.Random(seed)
    store = Store.open(progress, machine=machine)
    scheduler = Scheduler(fuzz=False)
    states: dict[int, object] = {}
    moment_now = datetime.fromisoformat(now).astimezone(UTC)
    batch: list[Review] = []
    ratings = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
    weights = (0.12, 0.05, 0.78, 0.05)
    for n, (moment, index) in enumerate(_events(refs, reviews, moment_now, rng)):
        ref = refs[index]
        rating = rng.choices(ratings, weights)[0]
        right: bool | None
        if ref.type == "basic":
            # Typed right, or revealed and self-rated (right unless Again).
            right = rating is not Rating.AGAIN
            picked: tuple[str, ...] | str | None = ref.answer[0] if rating >= 3 else None
        else:
            right = rating in (Rating.GOOD, Rating.EASY)
            rating = Rating.GOOD if right else Rating.AGAIN
            wrong = [c for c in ref.choices if c not in ref.answer]
            picked = ref.answer if right else (wrong[0],)
        state = scheduler.review(states.get(index), rating, moment)  # type: ignore[arg-type]
        states[index] = state
        batch.append(
            Review(
                id=f"{n:08x}{rng.getrandbits(64):016x}",
                deck=ref.deck,
                card=ref.id,
                time=iso(moment),
                rating=rating,
                right=right,
                picked=picked,
                ms=rng.randrange(1_500, 25_000),
                state=state,  # type: ignore[arg-type]
            )
        )
        if len(batch) >= BATCH:
            store.append_many(batch)
            batch = []
    store.append_many(batch)
    if snapshot:
        store.save_snapshot()
    return store.log_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write decks/ and progress/ into")
    parser.add_argument("--decks", type=int, default=20)
    parser.add_argument("--cards", type=int, default=500, help="cards per deck")
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=("library", "history"),
                        help="write only the decks, or only the history (of the same cards)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.only == "history":
        refs = library_cards(args.decks, args.cards, args.seed)
    else:
        refs = make_library(args.out / "decks", args.decks, args.cards, args.seed)
    if args.only != "library":
        make_history(args.out / "progress", refs, args.reviews, seed=args.seed)
    print(
        f"{len(refs)} cards in {args.decks} decks and {args.reviews} reviews "
        f"written to {args.out} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
