"""`awsquiz optimize`: personal FSRS parameters and a recommended desired retention."""

from typing import Annotated

import typer

from awsquiz.cli.app import JsonOpt, ProgressOpt, app, where


@app.command("optimize")
def optimize_command(
    json_output: JsonOpt = False,
    retention: Annotated[
        bool,
        typer.Option("--retention", help="Also make the recommended retention yours."),
    ] = False,
    progress: ProgressOpt = None,
) -> None:
    """Fit FSRS parameters to your own history; adopt them only if they predict better.

    The fit is checked first: fitted on the oldest 80% of your reviews, it must beat the
    default parameters (lower log loss and RMSE) on the newest 20%; then it is fitted on
    everything and kept in config.json. It needs about 1,000 reviews made a day or more after
    the card's previous one. It also recommends the desired retention with the least review
    time per card remembered, with your own answer times; --retention adopts it.

    [dim]Example:[/dim] awsquiz optimize --json
    """
    from awsquiz.services.optimize import optimize
    from awsquiz.ui.optimize import show_optimize, working
    from awsquiz.ui.tables import print_json

    with working() as step:
        report = optimize(where(None, progress).store(), set_retention=retention, step=step)
    if json_output:
        print_json(report.to_dict())
    else:
        show_optimize(report)
