"""Figures made in two parts joined (`join`): a first `stats` reads the first half of a long
log here and the second half in another process (`store.figures_cache`), each half's figures
made apart, then joined into what one process reading it all would have made."""

from __future__ import annotations

from typing import Any

from awsquiz.model.figures import (
    AFTER,
    ANSWERS,
    IN_REVIEW,
    KEPT,
    LAST_DAY,
    LAST_ID,
    LAST_TIME,
    PICKS,
    RETAINED,
    REVIEW_STATE,
    Figures,
)
from awsquiz.model.windows import RETENTION_DAYS


def join(first: Figures, later: Figures) -> None:
    """Add to `first` the figures `later` of the reviews after its own (made with `heads`),
    as if each of those reviews had been added to `first` in turn."""
    if later.broken or first.broken:
        first.broken = True
        return
    horizon = max(first.newest_day, later.newest_day) - (RETENTION_DAYS - 1)
    owner = {key: deck for deck, group in first.cards.items() for key in group}
    heads = later.heads or {}
    for deck, group in later.cards.items():
        mine = first.cards.get(deck)
        if mine is None:
            mine = first.cards[deck] = {}
            first.days[deck] = {}
        days = first.days[deck]
        for day, totals in later.days[deck].items():
            kept = days.get(day)
            days[day] = list(totals) if kept is None else [a + b for a, b in zip(
                kept, totals, strict=True)]
        for key, row in group.items():
            old = mine.get(key)
            if old is None:
                if owner.get(key, deck) != deck:
                    first.broken = True  # a card key under two decks
                    return
                mine[key] = row
                continue
            day, kept_it, time, review_id = heads[key]
            if (time, review_id) <= (old[LAST_TIME], old[LAST_ID]):
                first.broken = True  # out of order across the parts: sorted instead
                return
            if old[AFTER] == REVIEW_STATE:  # its first review here was one in review
                totals = days[day]
                totals[IN_REVIEW] += 1
                totals[RETAINED] += kept_it
                row[ANSWERS] += 1
                row[KEPT] += kept_it
                if day >= horizon:
                    tally = later.recent.setdefault(day, {}).setdefault(key, [0, 0])
                    tally[0] += 1
                    tally[1] += kept_it
            row[ANSWERS] += old[ANSWERS]
            row[KEPT] += old[KEPT]
            row[LAST_DAY] = max(row[LAST_DAY], old[LAST_DAY])
            row[PICKS] = _merged_picks(old[PICKS], row[PICKS])
            mine[key] = row
    for day, tallies in later.recent.items():
        if day < horizon:
            continue
        recent = first.recent.setdefault(day, {})
        for key, (answers, kept_count) in tallies.items():
            known = recent.get(key)
            recent[key] = [answers, kept_count] if known is None else [
                known[0] + answers, known[1] + kept_count]
    first.newest_day = max(first.newest_day, later.newest_day)
    for old_day in [d for d in first.recent if d < horizon]:
        del first.recent[old_day]
    first.touched |= later.touched
    for key, values in later.steps.items():
        steps = first.steps.get(key)
        if steps is None:
            first.steps[key] = values
        else:
            steps.extend(values)
    first._owner = None  # noqa: SLF001 - made again when next needed
    first._day_lists = None  # noqa: SLF001


def _merged_picks(first: dict[str, Any] | None, then: dict[str, Any] | None) -> Any:
    """Wrong choices tallied before and after: each keeps the time and id it was first seen."""
    if first is None or then is None:
        return first if then is None else then
    merged = {choice: list(seen) for choice, seen in first.items()}
    for choice, seen in then.items():
        if choice in merged:
            merged[choice][0] += seen[0]
        else:
            merged[choice] = seen
    return merged
