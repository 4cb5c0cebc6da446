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
    decks: DecksOpt = None,
) -> None:
    """Validate deck files for authors: every problem with file:line:col. Exit 1 on errors.

    [dim]Example:[/dim] awsquiz check decks/
    """
    from awsquiz.services.listing import check
    from awsquiz.ui.tables import show_check

    report = check(where(decks, None), path or [])
    show_check(report)
    if report.errors:
        raise typer.Exit(1)
