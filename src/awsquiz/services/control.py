"""`awsquiz undo`, `awsquiz suspend` and `awsquiz unsuspend`: the learner's marks on their
progress, outside a session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from awsquiz.errors import EXIT_USAGE, AwsquizError
from awsquiz.model import Card
from awsquiz.services.loop import save_snapshot
from awsquiz.services.marks import Undone, set_suspended, undo_last
from awsquiz.services.where import Where
from awsquiz.system import paths


def run_undo(where: Where, now: datetime | None = None) -> Undone:
    """Take back the newest answer of any study or review session (exam answers stand)."""
    store = where.store()
    store.ensure_writable()
    undone = undo_last(store, now or paths.now())
    save_snapshot(store, where.warn)
    return undone


@dataclass(frozen=True)
class Suspension:
    """What `suspend` or `unsuspend` did: the cards changed, and those already so."""

    changed: list[str]
    unchanged: list[str]


def select_cards(cards: Sequence[Card], targets: Sequence[str], tags: Sequence[str]) -> list[str]:
    """The keys of the cards named by `targets` (`deck/id`, or `deck/*` for a whole deck) and
    of the cards with any of `tags` (case-insensitive). Every unknown name is reported at
    once."""
    by_deck: dict[str, list[str]] = {}
    for card in cards:
        by_deck.setdefault(card.deck, []).append(card.key)
    known = {card.key for card in cards}
    chosen: list[str] = []
    unknown: list[str] = []
    for target in targets:
        deck, slash, card_id = target.partition("/")
        if slash and card_id == "*" and deck in by_deck:
            chosen += by_deck[deck]
        elif target in known:
            chosen.append(target)
        else:
            unknown.append(target)
    if unknown:
        raise AwsquizError(
            f"no such card: {', '.join(unknown)}",
            hint="name cards as DECK/ID (awsquiz cards --json lists them), or DECK/* for a "
            "whole deck",
        )
    if tags:
        wanted = {tag.lower() for tag in tags}
        chosen += [card.key for card in cards if wanted & {t.lower() for t in card.tags}]
        if not chosen:
            raise AwsquizError(
                f"no card is tagged {', '.join(tags)}",
                hint="awsquiz cards --tags lists the tags",
            )
    if not chosen:
        raise AwsquizError(
            "no card named", hint="give DECK/ID..., DECK/* or --tag T", exit_code=EXIT_USAGE
        )
    return list(dict.fromkeys(chosen))


def run_suspend(
    where: Where, targets: Sequence[str], tags: Sequence[str], *, on: bool,
    now: datetime | None = None,
) -> Suspension:
    """Suspend (`on`) or unsuspend the cards named; saved as marks in this machine's log."""
    keys = select_cards(where.library().cards(), targets, tags)
    store = where.store()
    store.ensure_writable()
    changed = set_suspended(store, keys, now or paths.now(), on=on)
    if changed:
        save_snapshot(store, where.warn)
    done = set(changed)
    return Suspension(changed, [key for key in keys if key not in done])
