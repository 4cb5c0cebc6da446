"""`awsquiz convert`: decks to and from Anki packages (.apkg) and CSV, by file type."""

from pathlib import Path
from typing import Annotated

import typer

from awsquiz.cli.app import DecksOpt, app, where


@app.command("convert")
def convert_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE... DEST",
            help="What to convert, then the file to write; DEST's type says what happens.",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite DEST if it exists.")] = False,
    decks: DecksOpt = None,
) -> None:
    """Convert decks to and from Anki packages and CSV, by DEST's file type.

    DEST .apkg: the SOURCE decks (ids or .yaml files) as an Anki package.
    DEST .csv or .tsv: the SOURCE decks' cards as rows.
    DEST .yaml: SOURCE Anki packages (.apkg) and card lists (.csv, .tsv) as a deck.

    [dim]Examples:[/dim] awsquiz convert encryption encryption.apkg ·
    awsquiz convert shared.apkg shared.yaml
    """
    from awsquiz.services.convert import convert
    from awsquiz.ui.convert import show_converted

    *sources, dest = paths
    show_converted(convert(where(decks, None), sources, Path(dest), force=force))
