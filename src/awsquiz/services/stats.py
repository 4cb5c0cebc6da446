"""`awsquiz stats`: the decks, the figures of the review logs and the exam results, read for
the report.

The report is put together from parts (`session.stats_figures`) kept beside the figures of the
logs (`store.figures_cache`): while neither a log nor a deck file changed, the parts are read
as they are and only the clock is applied, so a warm `stats` costs what `decks` costs at any
history length. When something changed, the figures grow by what the logs gained and only the
parts of the decks whose cards were answered (or whose file changed) are made again. What the
figures cannot stand for (a card key under two decks, a clock before the newest review's day,
an offset of fractions of a second, decks named by path) is read from the whole history.
"""

from __future__ import annotations

import operator
import os
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from awsquiz.decks.discovery import find_deck_files, select
from awsquiz.decks.library import load_selected_index
from awsquiz.decks.parse_ahead import parse_ahead
from awsquiz.model import MARK_KINDS, Answered, DeckIndex
from awsquiz.services import learner
from awsquiz.services.where import Where
from awsquiz.session.stats_figures import DeckPart, Finals, SharedPart, covers, report_from_parts
from awsquiz.session.stats_report import CalibrationLine, StatsReport
from awsquiz.store import config as settings
from awsquiz.store import figures_cache, parts_cache
from awsquiz.store.exam_log import load_results
from awsquiz.store.logfiles import log_stamps


def gather(
    where: Where, selection: Sequence[str], now: datetime, tags: Sequence[str] = ()
) -> StatsReport:
    """Read the decks (all, or those selected; with `tags`, only their cards with one of
    those tags), the review logs' figures and the exam results."""
    folder = where.store(load=False).folder  # made if missing; refused if it is a file
    offset = now.utcoffset() or timedelta(0)
    seconds = int(offset.total_seconds())
    found = find_deck_files(where.deck_dirs, selection)
    if offset.microseconds or found[1] or tags:
        return _from_history(where, selection, now, tags)
    ahead = parse_ahead(found[0])
    try:
        kept = parts_cache.read_parts(folder, seconds)
        stamps = log_stamps(folder)
    finally:
        ahead.finish()
    universe = load_selected_index(found)
    shown = select(universe, selection) if selection else universe
    deck_stamps = {deck.path: _stamp(deck.path) for deck in universe}
    key = "\n".join(deck.path for deck in shown)
    parts = _parts_if_current(kept, stamps, deck_stamps, shown)
    current = parts is not None
    if parts is None:
        parts = _parts_made(where, folder, seconds, kept, universe, shown, deck_stamps)
        if parts is None:
            return _from_history(where, selection, now)
    shared, deck_parts, kept_finals = parts
    if not covers(shared["newest_day"], now):
        return _from_history(where, selection, now)
    exams = load_results(folder)
    scope = [deck.id for deck in shown] if selection else None
    config = settings.load(folder)
    scheduler = learner.scheduler(config, fuzz=False)
    try:
        finals: Finals | None = kept_finals.get(key)
        report = report_from_parts(shown, deck_parts, shared, exams, now, scope=scope,
                                   finals=finals, scheduler=scheduler)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        if kept is None:
            raise
        # Kept parts of another shape (they are a cache): made again.
        made = _parts_made(where, folder, seconds, None, universe, shown, deck_stamps)
        if made is None or not covers(made[0]["newest_day"], now):
            return _from_history(where, selection, now)
        report = report_from_parts(shown, made[1], made[0], exams, now, scope=scope,
                                   scheduler=scheduler)
    return replace(
        report,
        calibration=_kept_calibration(folder, seconds, config, scope,
                                      kept if current else None),
        parameters="personal" if config.parameters else "default",
        day_start=config.day_start,
        desired_retention=config.retention,
    )


def _kept_calibration(
    folder: Path, seconds: int, config: settings.Config, scope: Sequence[str] | None,
    kept: dict[str, Any] | None,
) -> list[CalibrationLine]:
    """The calibration, kept with the parts while no log changed (it replays every card's
    answers, so it is worked out again, from the logs a megabyte at a time, when one did)."""
    import time as clock

    zone = learner.days(config).zone
    config_zone: object = zone
    if zone is None:
        config_zone = ["system", list(clock.tzname), clock.timezone, clock.altzone]
    key = fastjson_key([config.parameters, config.day_start, str(config_zone),
                        sorted(scope) if scope is not None else None])
    if kept is None:  # the parts were made just now: read back as written
        kept = parts_cache.read_parts(folder, seconds)
    stamps = log_stamps(folder)
    lines = None
    if kept is not None and kept.get("stamps") == stamps:
        lines = kept.get("calibration", {}).get(key)
    if lines is None:
        found = _streamed_calibration(_answers(folder, scope), config)
        if found is None:
            from awsquiz.store.store import Store

            found = calibration(Store.at(folder).history(), config, scope)
        lines = [[c.predicted, c.actual, c.reviews] for c in found]
        if kept is not None and kept.get("stamps") == stamps:
            parts_cache.write_parts(folder, seconds, {
                **kept, "calibration": {**kept.get("calibration", {}), key: lines},
            })
    return [CalibrationLine(*line) for line in lines]


def fastjson_key(value: Any) -> str:
    from awsquiz.system import fastjson

    return fastjson.dumps(value).decode()


def _answers(folder: Path, scope: Sequence[str] | None) -> Iterator[Answered]:  # noqa: C901
    """The reviews in scope as `calibration` reads them, a megabyte of log at a time: the
    logs merged in (time, id) order, a copy of the review just given left out (the figures,
    read first, hold each card's reviews in order and every id once), each card's first
    review's (time, id) kept in `_FIRSTS` so that the cards go in the order of a sorted
    history. A torn line was told of already, as the figures were read."""
    import heapq

    from awsquiz.store.logfiles import ignore, log_files
    from awsquiz.store.reading import record_chunks

    decks = set(scope) if scope is not None else None

    def records(path: Path) -> Iterator[Any]:
        for chunk in record_chunks(path, ignore):
            yield from chunk.records

    streams = [records(path) for path in log_files(folder)]
    merged = streams[0] if len(streams) == 1 else heapq.merge(
        *streams, key=lambda r: (r["time"], r["id"]))
    _FIRSTS.clear()
    _STREAM["ordered"] = True
    newest: dict[str, tuple[str, str]] = {}
    hashes = _STREAM["hashes"] = array("Q")
    last = ("", "")
    for r in merged:
        if r.get("kind") in MARK_KINDS:
            if r["kind"] == "undo":
                _STREAM["ordered"] = False  # a review cancelled: the sorted history instead
            continue
        moment = (r["time"], r["id"])
        if moment == last:
            continue
        last = moment
        hashes.append(figures_cache.id_hash(r["id"]))
        if decks is not None and r["deck"] not in decks:
            continue
        key = r["deck"] + "/" + r["card"]
        _FIRSTS.setdefault(key, moment)
        if newest.get(key, ("", "")) >= moment:
            _STREAM["ordered"] = False  # a card's reviews out of order: sorted instead
        newest[key] = moment
        yield Answered(r["time"], r["id"], r["deck"], key, r["rating"], None, None, 0, 0)


_FIRSTS: dict[str, tuple[str, str]] = {}
_STREAM: dict[str, Any] = {}


def _stream_was_sorted() -> bool:
    """Whether the last `_answers` gave each card's reviews in order, every id once."""
    ordered = sorted(_STREAM.pop("hashes", ()))
    return bool(_STREAM.get("ordered")) and not any(
        map(operator.eq, ordered, islice(ordered, 1, None)))


def _streamed_calibration(
    answers: Iterator[Answered], config: settings.Config
) -> list[CalibrationLine] | None:
    """`calibration` over `answers` (see `_answers`): the same cards in the same order; None
    if a card's reviews came out of order or an id twice (the history is sorted instead)."""
    from awsquiz.scheduling import fitting

    cards = fitting.card_days(answers, learner.days(config))
    if not _stream_was_sorted():
        return None
    if not cards:
        return []
    ordered = [cards[key] for key in sorted(cards, key=_FIRSTS.__getitem__)]
    parameters = config.parameters or fitting.default_parameters()
    return [
        CalibrationLine(line.predicted, line.actual, line.reviews)
        for line in fitting.calibration(ordered, parameters)
    ]


def _stamp(path: str) -> list[int]:
    try:
        stat = os.stat(path)
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


def _parts_if_current(
    kept: dict[str, Any] | None, stamps: Any, deck_stamps: dict[str, list[int]],
    shown: Sequence[DeckIndex],
) -> tuple[SharedPart, list[DeckPart], dict[str, Finals]] | None:
    """The kept parts, if no log and no deck file changed since they were made."""
    try:
        return _current(kept, stamps, deck_stamps, shown)
    except (KeyError, TypeError, AttributeError):
        return None  # kept parts of another shape: made again


def _current(
    kept: dict[str, Any] | None, stamps: Any, deck_stamps: dict[str, list[int]],
    shown: Sequence[DeckIndex],
) -> tuple[SharedPart, list[DeckPart], dict[str, Finals]] | None:
    if kept is None or stamps is None or kept.get("stamps") != stamps:
        return None
    if kept.get("universe") != deck_stamps:
        return None
    decks = kept["decks"]
    parts = []
    for deck in shown:
        entry = decks.get(deck.path)
        if entry is None or entry["stamp"] != deck_stamps[deck.path]:
            return None
        parts.append(entry["part"])
    return kept["shared"], parts, kept.get("finals") or {}


def _parts_made(
    where: Where, folder: Path, seconds: int, kept: dict[str, Any] | None,
    universe: Sequence[DeckIndex], shown: Sequence[DeckIndex], deck_stamps: dict[str, list[int]],
) -> tuple[SharedPart, list[DeckPart], dict[str, Finals]] | None:
    """The parts from the figures (grown or built), reusing each kept deck part whose file
    is unchanged and none of whose cards was answered since, and the finals of every deck;
    kept for next time. None if the figures cannot stand for the history."""
    from awsquiz.decks.cache import load_facts
    from awsquiz.errors import AwsquizError
    from awsquiz.session.stats_parts import deck_part, finals, shared_part

    cached = figures_cache.load(folder, seconds, where.warn)
    figures = cached.figures
    if figures.broken:
        return None
    owner = {key: deck.id for deck in universe for key in deck.keys}
    rows: dict[str, list[Any]] = {}
    for group in figures.cards.values():
        rows.update(group)
    reusable = kept is not None and cached.before is not None and kept["token"] == cached.before
    old: dict[str, Any] = kept["decks"] if kept is not None and reusable else {}
    decks: dict[str, Any] = {}
    for deck in shown:
        entry = old.get(deck.path)
        if (
            entry is None
            or entry["stamp"] != deck_stamps[deck.path]
            or not figures.touched.isdisjoint(deck.keys)
        ):
            facts = load_facts(deck)
            if facts is None:
                raise AwsquizError(f"{deck.path}: the deck can no longer be read",
                                   hint="run 'awsquiz check' for details, then try again")
            entry = {"stamp": deck_stamps[deck.path], "part": deck_part(facts, rows)}
        decks[deck.path] = entry
    by_path = {deck.path: deck for deck in universe}
    for path, entry in old.items():  # decks not shown this time: kept while still current
        other = by_path.get(path)
        if (path not in decks and other is not None and entry["stamp"] == deck_stamps[path]
                and figures.touched.isdisjoint(other.keys)):
            decks[path] = entry
    shared = shared_part(figures, owner)
    shown_parts = [decks[deck.path]["part"] for deck in shown]
    # The weakest tags and most confused choices of every deck, for a plain `stats`.
    every = [decks[deck.path]["part"] for deck in universe if deck.path in decks]
    kept_finals = {} if len(every) < len(universe) else {
        "\n".join(deck.path for deck in universe): finals(every)
    }
    if cached.token is None:
        return shared, shown_parts, kept_finals
    parts_cache.write_parts(folder, seconds, {
        "stamps": cached.stamps, "token": cached.token, "universe": deck_stamps,
        "shared": shared, "decks": decks, "finals": kept_finals,
    })
    return shared, shown_parts, kept_finals


def _from_history(
    where: Where, selection: Sequence[str], now: datetime, tags: Sequence[str] = ()
) -> StatsReport:
    """The report from every review, read and sorted (see `gather`)."""
    from awsquiz.session.selection import narrow
    from awsquiz.session.stats import build_report

    library = where.library(selection)
    decks = library.decks
    known: set[str] = set()
    if selection or tags:
        known = {card.key for card in where.library(quiet=True).cards()}
    store = where.store()
    config = settings.load(store.folder)
    scope = [deck.id for deck in library.decks] if selection or tags else None
    history = store.history()
    if tags:
        kept = {card.key for card in narrow(library.cards(), tags, frozenset())}
        decks = [replace(d, cards=tuple(c for c in d.cards if c.key in kept)) for d in decks]
        decks = [deck for deck in decks if deck.cards]  # a deck without the tag: no row
        history = [review for review in history if review.key in kept]
    report = build_report(
        decks,
        store.progress,
        history,
        load_results(store.folder),
        now,
        known_keys=known,
        scope=scope,
        scheduler=learner.scheduler(config, fuzz=False),
    )
    return replace(
        report,
        calibration=calibration(history, config, scope),
        parameters="personal" if config.parameters else "default",
        day_start=config.day_start,
        desired_retention=config.retention,
    )


def calibration(
    history: Sequence[Answered], config: settings.Config, scope: Sequence[str] | None
) -> list[CalibrationLine]:
    """Predicted against actual recall over the history in scope, with the learner's
    parameters and days."""
    if not history:
        return []
    from awsquiz.scheduling import fitting

    decks = set(scope) if scope is not None else None
    in_scope = history if decks is None else [a for a in history if a.deck in decks]
    cards = fitting.card_days(in_scope, learner.days(config))
    parameters = config.parameters or fitting.default_parameters()
    return [
        CalibrationLine(line.predicted, line.actual, line.reviews)
        for line in fitting.calibration(cards.values(), parameters)
    ]
