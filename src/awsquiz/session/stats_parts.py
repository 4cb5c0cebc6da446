"""The parts `session.stats_figures.report_from_parts` puts a report together from, made
from the figures of the history and the decks' facts (only when a log or a deck file changed;
a warm `stats` reads them back as they were kept)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from awsquiz.model import DeckFacts, DeckIndex
from awsquiz.model.figures import (
    AFTER,
    ANSWERS,
    DUE_DAY,
    KEPT,
    LAPSES,
    LAST_DAY,
    LAST_REVIEW,
    MISSED,
    PICKS,
    STABILITY,
    Figures,
)
from awsquiz.model.state import LEARNING_STATES, LEECH_LAPSES, MASTERED_DAYS
from awsquiz.scheduling.scheduler import Scheduler
from awsquiz.session.stats_figures import DeckPart, Finals, SharedPart, confusions, weak_tags
from awsquiz.session.stats_report import MIN_TAG_REVIEWS


def deck_part(facts: DeckFacts, rows: Mapping[str, list[Any]], scheduler: Scheduler) -> DeckPart:
    """A deck's part; its cards' days of last review are `scheduler`'s learner days."""
    new = learning = young = mature = missed = leeches = 0
    last_reviews: list[str | None] = []
    stabilities: list[float | None] = []
    due: Counter[int] = Counter()
    tags: dict[str, list[int]] = {}
    for key, card_tags in zip(facts.keys, facts.tags, strict=True):
        row = rows.get(key)
        if row is None:
            new += 1
            continue
        if row[AFTER] in LEARNING_STATES:
            learning += 1
        elif (row[STABILITY] or 0.0) >= MASTERED_DAYS:
            mature += 1
        else:
            young += 1
        missed += row[MISSED]
        leeches += row[LAPSES] >= LEECH_LAPSES
        last_reviews.append(row[LAST_REVIEW] if row[STABILITY] else None)
        stabilities.append(row[STABILITY])
        due[row[DUE_DAY]] += 1
        if row[ANSWERS]:
            for tag in card_tags:
                tally = tags.setdefault(tag, [0, 0])
                tally[0] += row[ANSWERS]
                tally[1] += row[KEPT]
    confused = []
    for key, (choices, answers) in facts.choices.items():
        row = rows.get(key)
        if row is None or not row[PICKS]:
            continue
        answer = ", ".join(answers)
        for choice, (times, first_time, first_id) in row[PICKS].items():
            if choice in choices and choice not in answers:
                confused.append([choice, answer, times, first_time, first_id, key])
    recall = [[day, stability] for day, stability
              in zip(scheduler.day_numbers(last_reviews), stabilities, strict=True)]
    return DeckPart(
        counts=[new, learning, young, mature, missed, leeches], recall=recall,
        due=sorted([day, n] for day, n in due.items()), tags=tags, confused=confused,
    )


def shared_part(figures: Figures, owner: Mapping[str, str]) -> SharedPart:
    """`owner`: the id of the deck that has each card key now (every deck found)."""
    since = figures.horizon
    orphans: Counter[str] = Counter()
    moved: list[list[Any]] = []
    for group_id, group in figures.cards.items():
        for key, row in group.items():
            deck_id = owner.get(key)
            if deck_id is None:
                orphans[key.split("/", 1)[0]] += 1
            if deck_id != group_id and row[LAST_DAY] >= since:
                tallies = [
                    [day, *by_key[key]] for day, by_key in sorted(figures.recent.items())
                    if key in by_key
                ]
                if tallies:
                    moved.append([group_id, deck_id, tallies])
    every: dict[int, list[int]] = {}
    for rows in figures.days.values():
        for day, (count, ms, in_review, retained) in rows.items():
            merged = every.get(day)
            if merged is None:
                every[day] = [count, ms, in_review, retained]
            else:
                merged[0] += count
                merged[1] += ms
                merged[2] += in_review
                merged[3] += retained
    return SharedPart(
        newest_day=figures.newest_day,
        days=figures.day_lists(),
        every=[[day, *totals] for day, totals in sorted(every.items())],
        cards={group_id: len(group) for group_id, group in figures.cards.items()},
        orphans=dict(orphans),
        moved=moved,
    )


def finals(parts: Sequence[DeckPart], min_tag_reviews: int = MIN_TAG_REVIEWS) -> Finals:
    """The weakest tags and the most confused choices of these decks' parts, kept with them
    for the decks a plain `stats` shows."""
    return Finals(
        weak_tags=[[t.tag, t.reviews, t.retention] for t in weak_tags(parts, min_tag_reviews)],
        confusions=[[c.picked, c.answer, c.times, c.cards] for c in confusions(parts)],
    )


def selection_key(decks: Sequence[DeckIndex]) -> str:
    return "\n".join(deck.path for deck in decks)
