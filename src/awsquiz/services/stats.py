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

import os
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsquiz.decks.discovery import find_deck_files, select
from awsquiz.decks.library import load_selected_index
from awsquiz.decks.parse_ahead import parse_ahead
from awsquiz.services import learner
from awsquiz.services.stats_history import from_history
from awsquiz.services.where import Where
from awsquiz.session.stats_figures import DeckPart, Finals, SharedPart, covers, report_from_parts
from awsquiz.session.stats_report import CalibrationLine, StatsReport
from awsquiz.store import config as settings
from awsquiz.store import parts_cache
from awsquiz.store.exam_log import load_results
from awsquiz.store.logfiles import log_stamps

if TYPE_CHECKING:
    from awsquiz.model import DeckIndex
    from awsquiz.model.figures import Figures
    from awsquiz.scheduling import calibration as tallies
    from awsquiz.scheduling.scheduler import Scheduler
    from awsquiz.store import figures_cache
    from awsquiz.store.figures_halves import Halves


def gather(
    where: Where, selection: Sequence[str], now: datetime, tags: Sequence[str] = ()
) -> StatsReport:
    """Read the decks (all, or those selected; with `tags`, only their cards with one of
    those tags), the review logs' figures and the exam results."""
    folder = where.made_folder()
    offset = now.utcoffset() or timedelta(0)
    seconds = int(offset.total_seconds())
    found = find_deck_files(where.deck_dirs, selection)
    if offset.microseconds or found[1] or tags:
        return from_history(where, selection, now, tags)
    # A first run over a long log: its second half is read by a second process from now
    # on, while this one parses the decks (then on its own, not on every core).
    config = settings.load(folder)
    early = None
    if not parts_cache.has_figures(folder, seconds):
        from awsquiz.store import figures_cache

        early = figures_cache.start(folder, seconds, where.warn, learner.days(config).number)
    try:
        return _gathered(where, selection, now, folder, seconds, found, config, early)
    finally:
        if early is not None:
            early.cancel()  # when the figures came from elsewhere


def _gathered(
    where: Where, selection: Sequence[str], now: datetime, folder: Path, seconds: int,
    found: tuple[list[Path], int], config: settings.Config, early: Halves | None,
) -> StatsReport:
    ahead = parse_ahead(found[0]) if early is None else None
    try:
        kept = parts_cache.read_parts(folder, seconds)
        stamps = log_stamps(folder)
    finally:
        if ahead is not None:
            ahead.finish()
    if kept is not None and stamps is not None and kept.get("stamps") != stamps:
        from awsquiz.store import figures_cache  # the figures will grow: loaded anyway

        figures_cache.check_ahead(folder, kept.get("stamps"), stamps)
    universe = load_selected_index(found)
    shown = select(universe, selection) if selection else universe
    deck_stamps = {deck.path: _stamp(deck.path) for deck in universe}
    key = "\n".join(deck.path for deck in shown)
    scheduler = learner.scheduler(config, fuzz=False)
    days = _days_key(config)
    parts = _parts_if_current(kept, stamps, deck_stamps, shown, days)
    if parts is not None and key not in parts[2] and kept is not None:
        # A selection of decks: its weak tags and confused choices from the parts' details.
        kept = parts_cache.with_details(folder, seconds, kept)
        parts = _parts_if_current(kept, stamps, deck_stamps, shown, days)
    current = parts is not None
    cached: figures_cache.Cached | None = None
    written = kept if current else None  # the parts as kept now (None: read them back)
    if parts is None:
        made = _parts_made(where, folder, seconds, kept, universe, shown, deck_stamps, scheduler,
                           config, early)
        if made is None:
            return from_history(where, selection, now)
        parts, cached, written = made
    shared, deck_parts, kept_finals = parts
    if not covers(shared["newest_day"], now):
        return from_history(where, selection, now)
    exams = load_results(folder)
    scope = [deck.id for deck in shown] if selection else None
    try:
        finals: Finals | None = kept_finals.get(key)
        report = report_from_parts(shown, deck_parts, shared, exams, now, scope=scope,
                                   finals=finals, scheduler=scheduler)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        if kept is None:
            raise
        # Kept parts of another shape (they are a cache): made again.
        made = _parts_made(where, folder, seconds, None, universe, shown, deck_stamps, scheduler,
                           config)
        if made is None or not covers(made[0][0]["newest_day"], now):
            return from_history(where, selection, now)
        (again_shared, again_parts, _), cached, written = made
        report = report_from_parts(shown, again_parts, again_shared, exams, now, scope=scope,
                                   scheduler=scheduler)
        current = False
    covered = cached.stamps if cached is not None else stamps  # what the parts were made of
    lines = _kept_calibration(where, folder, seconds, covered, config, scope, written, cached,
                              unsaved=not current)
    if lines is None:
        return from_history(where, selection, now)
    return report._replace(
        calibration=lines,
        parameters="personal" if config.parameters else "default",
        day_start=config.day_start,
        desired_retention=config.retention,
    )


def _kept_calibration(
    where: Where, folder: Path, seconds: int, stamps: Any, config: settings.Config,
    scope: Sequence[str] | None, kept: dict[str, Any] | None,
    cached: figures_cache.Cached | None, unsaved: bool = False,
) -> list[CalibrationLine] | None:
    """The calibration: kept with the parts while no log changed, else from the tally of
    the figures (grown by the answers the logs gained, `scheduling.calibration`). None if
    the figures cannot stand for the history. `unsaved`: `kept` was just made, and is
    written here, with the calibration, once. `stamps`: the logs' stamps the figures are of."""
    key = _calibration_key(config)
    lines_key = fastjson_key([key, sorted(scope) if scope is not None else None])
    if kept is None:  # parts not kept this time: those on disk, if any
        kept = parts_cache.read_parts(folder, seconds)
    current = kept is not None and kept.get("stamps") == stamps
    lines = kept.get("calibration", {}).get(lines_key) if kept is not None and current else None
    if lines is None:
        token = cached.token if cached is not None else kept.get("token") if kept else None
        tally = _tally(where, folder, seconds, config, key, cached, token)
        if tally is None:
            return None
        lines = [list(line) for line in tally.lines(set(scope) if scope is not None else None)]
        if kept is not None and current:
            kept = {**kept, "calibration": {**kept.get("calibration", {}), lines_key: lines}}
            unsaved = True
    if unsaved and kept is not None and current:
        parts_cache.write_parts(folder, seconds, kept)
    return [CalibrationLine(*line) for line in lines]


def _calibration_key(config: settings.Config) -> str:
    """What the calibration depends on besides the answers: the parameters and the days."""
    return fastjson_key([config.parameters, _days_key(config)])


def _days_key(config: settings.Config) -> str:
    """What the learner's day numbers depend on: the day start and the time zone."""
    import time as clock

    zone = learner.days(config).zone
    config_zone: object = zone
    if zone is None:
        config_zone = ["system", list(clock.tzname), clock.timezone, clock.altzone]
    return fastjson_key([config.day_start, str(config_zone)])


def _tally(
    where: Where, folder: Path, seconds: int, config: settings.Config, key: str,
    cached: figures_cache.Cached | None, token: str | None,
) -> tallies.Tally | None:
    """The calibration tally of the figures `token` names: the kept one, grown by what the
    figures gained, or made from every answer; kept for next time. None if the figures
    cannot stand for the history."""
    from awsquiz.scheduling import calibration as tallies
    from awsquiz.scheduling import fitting

    doc = parts_cache.read_tally(folder, seconds)
    tally = None
    try:
        if doc is not None and type(doc.get("tallies")) is dict and key in doc["tallies"]:
            tally = tallies.Tally.from_doc(doc["tallies"][key])
    except (ValueError, KeyError, TypeError, AttributeError):
        tally = None
    kept_token = doc.get("token") if doc is not None else None
    parameters = config.parameters or fitting.default_parameters()
    if tally is not None and token is not None and kept_token == token:
        return tally  # no answer since
    if (cached is not None and cached.how == "grown" and tally is not None
            and kept_token == cached.before):
        tallies.grow(tally, _answers_of(cached.figures), parameters)
    else:
        from awsquiz.store import figures_cache

        every = (cached.figures if cached is not None and cached.how in ("built", "sorted")
                 else figures_cache.every_step(folder, seconds, where.warn,
                                               learner.days(config).number))
        if every is None:
            return None
        tally = tallies.build(_answers_of(every), parameters)
    if token is not None:
        parts_cache.write_tally(folder, seconds, {"token": token,
                                                  "tallies": {key: tally.to_doc()}})
    return tally


def _answers_of(figures: Figures) -> Iterator[tuple[str, str, Sequence[int]]]:
    """(deck, card key, answers as the learner's day * 8 + rating) of each card the figures
    noted answers of."""
    steps = figures.steps
    for deck, group in figures.cards.items():
        for key in group:
            answers = steps.get(key)
            if answers is not None:
                yield deck, key, answers


def fastjson_key(value: Any) -> str:
    from awsquiz.system import fastjson

    return fastjson.dumps(value).decode()


def _stamp(path: str) -> list[int]:
    try:
        stat = os.stat(path)
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


def _parts_if_current(
    kept: dict[str, Any] | None, stamps: Any, deck_stamps: dict[str, list[int]],
    shown: Sequence[DeckIndex], days: str,
) -> tuple[SharedPart, list[DeckPart], dict[str, Finals]] | None:
    """The kept parts, if no log and no deck file changed since they were made, and they
    were made with these learner days (`_days_key`)."""
    try:
        return _current(kept, stamps, deck_stamps, shown, days)
    except (KeyError, TypeError, AttributeError):
        return None  # kept parts of another shape: made again


def _current(
    kept: dict[str, Any] | None, stamps: Any, deck_stamps: dict[str, list[int]],
    shown: Sequence[DeckIndex], days: str,
) -> tuple[SharedPart, list[DeckPart], dict[str, Finals]] | None:
    if kept is None or stamps is None or kept.get("stamps") != stamps:
        return None
    if kept.get("days") != days:
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
    scheduler: Scheduler, config: settings.Config, early: Halves | None = None,
) -> tuple[tuple[SharedPart, list[DeckPart], dict[str, Finals]], figures_cache.Cached,
           dict[str, Any] | None] | None:
    """The parts from the figures (grown or built), reusing each kept deck part whose file
    is unchanged and none of whose cards was answered since (if made with the same learner's
    days), and the finals of every deck; kept for next time. None if the figures cannot
    stand for the history."""
    from awsquiz.decks.cache import load_facts
    from awsquiz.errors import AwsquizError
    from awsquiz.session.stats_parts import deck_part, finals, shared_part
    from awsquiz.store import figures_cache

    # With a second process reading half the log, each deck's facts are read first: they
    # are all needed, and this process would otherwise wait for that half doing nothing.
    ahead = {deck.path: load_facts(deck) for deck in shown} if early is not None else {}
    days = _days_key(config)
    cached = figures_cache.load(folder, seconds, where.warn, early, learner.days(config).number)
    figures = cached.figures
    if figures.broken:
        return None
    owner = {key: deck.id for deck in universe for key in deck.keys}
    rows: dict[str, list[Any]] = {}
    for group in figures.cards.values():
        rows.update(group)
    if (kept is not None and cached.before is not None and kept["token"] == cached.before
            and kept.get("days") == days):
        kept = parts_cache.with_details(folder, seconds, kept)
    else:
        kept = None
    old: dict[str, Any] = kept["decks"] if kept is not None else {}
    decks: dict[str, Any] = {}
    for deck in shown:
        entry = old.get(deck.path)
        if (
            entry is None
            or entry["stamp"] != deck_stamps[deck.path]
            or not figures.touched.isdisjoint(deck.keys)
        ):
            facts = ahead[deck.path] if deck.path in ahead else load_facts(deck)
            if facts is None:
                raise AwsquizError(f"{deck.path}: the deck can no longer be read",
                                   hint="run 'awsquiz check' for details, then try again")
            entry = {"stamp": deck_stamps[deck.path], "part": deck_part(facts, rows, scheduler)}
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
    doc = None  # written with the calibration (`_kept_calibration`)
    if cached.token is not None:
        doc = {"stamps": cached.stamps, "token": cached.token, "days": days,
               "universe": deck_stamps, "shared": shared, "decks": decks, "finals": kept_finals}
    return (shared, shown_parts, kept_finals), cached, doc
