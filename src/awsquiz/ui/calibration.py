"""The `stats` section on how well FSRS predicts the learner: predicted against actual
recall, the parameters in use, the day start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsquiz.session.stats_report import StatsReport

if TYPE_CHECKING:
    from awsquiz.ui.page import Screen


def calibration_lines(report: StatsReport) -> list[str]:
    parameters = ("personal (fitted by `awsquiz optimize`)" if report.parameters == "personal"
                  else "the defaults (`awsquiz optimize` fits yours)")
    lines = [f"parameters {parameters}; a day starts at {report.day_start}:00"]
    if not report.calibration:
        lines.append("no review yet a day or more after the card's previous one")
        return lines
    lines.append("predicted  actual  reviews")
    for line in report.calibration:
        lines.append(
            f"{line.predicted:>8.0%}  {line.actual:>6.0%}  {line.reviews:>7,}"
        )
    return lines


def show_calibration(report: StatsReport, term: Screen) -> None:
    from rich.text import Text

    term.print()
    term.print(Text("Predicted recall against actual (reviews a day or more apart)", style="bold"))
    for line in calibration_lines(report):
        term.print(Text(line))
