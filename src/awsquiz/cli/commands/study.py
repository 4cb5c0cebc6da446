"""`awsquiz study`: a spaced-repetition session."""

from typing import Annotated, Optional

import typer

from awsquiz.cli.app import DeckArgs, DecksOpt, ProgressOpt, SeedOpt, TagOpt, app, where
from awsquiz.cli.startup import collect_from_first_answer


@app.command("study")
def study_command(
    deck: DeckArgs = None,
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--limit", metavar="N", min=1, help="At most N cards this session."),
    ] = None,
    new: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--new",
            metavar="N",
            min=0,
            help="Up to N new cards now, on top of today's (default: what is left of the "
            "daily number, new_per_day in config.json, 10 unless set).",
            show_default=False,
        ),
    ] = None,
    all_cards: Annotated[
        bool, typer.Option("--all", help="Also study cards that are not due yet.")
    ] = False,
    seed: SeedOpt = None,
    tag: TagOpt = None,
    retention: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--retention",
            metavar="R",
            help="Desired retention, 0.70 to 0.99 (default 0.9); kept for next time.",
        ),
    ] = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Study what is due, most at risk first, then new cards in teaching order.

    Answer with a choice's number or text; for typed cards type the answer, or press Enter
    to see it and rate yourself 1-4. [bold]q[/bold], Ctrl-D or Ctrl-C ends the session; every
    answer is saved the moment you give it.

    [dim]Example:[/dim] awsquiz study encryption --new 5
    """
    from awsquiz.services.study import run_study
    from awsquiz.ui.session import RichTerminal

    run_study(
        where(decks, progress),
        deck or [],
        collect_from_first_answer(RichTerminal()),
        new=new,
        limit=limit,
        include_all=all_cards,
        seed=seed,
        tags=tag or [],
        retention=retention,
    )
