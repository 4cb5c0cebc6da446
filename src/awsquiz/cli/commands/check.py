"""`awsquiz check`: validate deck files for authors."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from awsquiz.cli.app import DecksOpt, app, where


@app.command("check")
def check_command(
    path: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            metavar="[PATH]...",
            help="Deck files or folders (default: every deck folder).",
            show_default=False,
        ),
    ] = None,
    stale: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--stale",
            metavar="DAYS",
            min=0,
            help="Also list the cards whose facts were not verified in the last DAYS days.",
            show_default=False,
        ),
    ] = None,
    decks: DecksOpt = None,
) -> None:
    """Validate deck files for authors: every problem with file:line:col. Exit 1 on errors.

    Warnings point out what makes a card unfair or dated: a keyed answer much longer than
    its distractors, a `volatile` fact that does not say "as of" when. Stale cards are
    listed, never an error.

    [dim]Example:[/dim] awsquiz check decks/ --stale 180
    """
    from awsquiz.services.listing import check
    from awsquiz.ui.tables import show_check

    report = check(where(decks, None), path or [], stale_days=stale)
    show_check(report)
    if report.errors:
        raise typer.Exit(1)
