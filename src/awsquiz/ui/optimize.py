"""`awsquiz optimize` on the screen: a progress bar while it works, then what it found."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from awsquiz.services.optimize import STEPS, OptimizeReport

SHOW_AFTER = 0.5  # seconds of work before the progress bar appears


@contextmanager
def working(out: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """A step reporter; once the work has taken `SHOW_AFTER` seconds, a progress bar on
    stderr (a terminal only) shows the steps."""
    from awsquiz.ui import is_terminal

    stream = out or sys.stderr
    if not is_terminal(stream):
        yield lambda _step: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(),
                   console=Console(file=stream), transient=True)
    task = bar.add_task("optimize", total=len(STEPS))
    lock = threading.Lock()
    shown = False

    def show() -> None:
        nonlocal shown
        with lock:
            bar.start()
            shown = True

    timer = threading.Timer(SHOW_AFTER, show)
    timer.daemon = True

    def step(name: str) -> None:
        bar.update(task, completed=STEPS.index(name), description=name)

    timer.start()
    try:
        yield step
    finally:
        timer.cancel()
        with lock:
            if shown:
                bar.stop()


def show_optimize(report: OptimizeReport, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    lines = [f"scored reviews   {report.reviews:,} (the card's previous review on an earlier day)"]
    if report.needed:
        lines.append(
            f"not enough yet: about {report.needed:,} more scored reviews are needed "
            "before a fit is tried; nothing changed"
        )
    if report.defaults and report.fitted:
        lines.append("on the newest 20%   log loss   RMSE(bins)")
        for name, scores in (("default", report.defaults), ("fitted", report.fitted)):
            lines.append(f"  {name:<15}  {scores.log_loss:8.4f}   {scores.rmse_bins:10.4f}")
        if report.adopted:
            lines.append("adopted: personal parameters, fitted on every review, "
                         "now schedule your cards")
        else:
            kept = "your personal parameters" if report.personal else "the default parameters"
            lines.append(f"not adopted: the fit does not beat the defaults; {kept} stay")
    if report.recommended is not None:
        note = ("; now yours" if report.retention_changed
                else "" if report.recommended == report.retention
                else "; `awsquiz optimize --retention` adopts it")
        lines.append(f"desired retention  {report.retention:.2f} in use, "
                     f"{report.recommended:.2f} recommended{note}")
    print("\n".join(lines), file=stream)
