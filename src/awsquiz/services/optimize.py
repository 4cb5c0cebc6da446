"""`awsquiz optimize`: personal FSRS parameters, checked before they are adopted, and a
recommended desired retention.

The fit is checked first: fitted on the oldest 80% of the scored reviews, scored with the
default parameters on the newest 20%. Only a fit that wins (lower log loss and RMSE(bins))
is adopted, refitted on the whole history and saved in config.json.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from awsquiz.scheduling import fitting
from awsquiz.scheduling.fitting import Scores
from awsquiz.services import learner
from awsquiz.store import config as settings
from awsquiz.store.store import Store

STEPS = ("reading the history", "fitting on the oldest 80%", "scoring on the newest 20%",
         "fitting on every review", "simulating retention")
Step = Callable[[str], None]


@dataclass(frozen=True)
class OptimizeReport:
    """What `optimize` found and did."""

    reviews: int  # scored reviews: the previous review of the card was on an earlier day
    needed: int  # more scored reviews needed before a fit is tried (0: enough)
    defaults: Scores | None  # on the newest 20%
    fitted: Scores | None
    adopted: bool
    parameters: tuple[float, ...]  # in use after the command
    personal: bool  # whether those are fitted, not the defaults
    retention: float
    recommended: float | None
    retention_changed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "needed": self.needed,
            "defaults": self.defaults.to_dict() if self.defaults else None,
            "fitted": self.fitted.to_dict() if self.fitted else None,
            "adopted": self.adopted,
            "parameters": [round(value, 4) for value in self.parameters],
            "retention": {"current": self.retention, "recommended": self.recommended},
        }


def optimize(
    store: Store, *, set_retention: bool = False, step: Step = lambda _: None
) -> OptimizeReport:
    """Fit, check, and adopt when it wins; recommend a retention (kept with set_retention)."""
    config = settings.load(store.folder)
    step(STEPS[0])
    history = store.history()
    cards = fitting.card_steps(history, learner.days(config))
    items = fitting.scored_items(cards)
    in_use = config.parameters or fitting.default_parameters()
    defaults = fitted = None
    adopted = False
    if len(items) >= fitting.MIN_SCORED:
        split = int(len(items) * (1 - fitting.HOLDOUT))
        step(STEPS[1])
        trial = fitting.fit(items[:split])
        step(STEPS[2])
        defaults = fitting.score(fitting.default_parameters(), items[split:])
        fitted = fitting.score(trial, items[split:])
        if fitted.beats(defaults):
            step(STEPS[3])
            whole = fitting.fit(items)
            if settings.usable(whole):
                in_use = whole
                config = replace(config, parameters=in_use)
                adopted = True
    recommended = None
    changed = False
    if history:
        from awsquiz.scheduling.retention import recommend

        step(STEPS[4])
        recommended = round(recommend(history, in_use), 2)
        if set_retention and recommended != config.retention:
            config = replace(config, retention=settings.check_retention(recommended))
            changed = True
    if adopted or changed:
        settings.save(store.folder, config)
    return OptimizeReport(
        reviews=len(items), needed=max(0, fitting.MIN_SCORED - len(items)),
        defaults=defaults, fitted=fitted, adopted=adopted, parameters=tuple(in_use),
        personal=config.parameters is not None, retention=config.retention,
        recommended=recommended, retention_changed=changed,
    )
