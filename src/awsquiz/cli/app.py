"""The Typer application, its options and the one place errors become messages and exit codes.

Annotations are evaluated as the modules load (no `from __future__ import annotations`):
Typer reads them on every run, and strings would be compiled and evaluated each time.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperGroup

from awsquiz.errors import EXIT_INTERRUPTED, AwsquizError

if TYPE_CHECKING:
    from awsquiz.services.where import Where


class Group(TyperGroup):
    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except AwsquizError as error:
            from awsquiz.ui import print_error

            print_error(error)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            # Every answer is saved as it is given; nothing is left to do but say so.
            typer.echo("\ninterrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        return None


app = typer.Typer(
    cls=Group,
    help="Flashcards and mock exams for AWS security and compliance, in your terminal.",
    epilog="Start with [bold]awsquiz decks[/bold], then [bold]awsquiz study[/bold] every day.",
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    no_args_is_help=False,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_decks(incomplete: str) -> list[str]:
    from awsquiz.decks.library import deck_ids_for_completion

    return deck_ids_for_completion(incomplete)


DecksOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - Typer reads the annotation at runtime
    typer.Option(
        "--decks",
        metavar="DIR",
        help="A folder of YAML decks to add (repeatable; also AWSQUIZ_DECKS).",
        show_default=False,
    ),
]
ProgressOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--progress",
        metavar="DIR",
        help="Where progress is kept (default: the user data folder; also AWSQUIZ_PROGRESS).",
        show_default=False,
    ),
]
DeckArgs = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(
        metavar="[DECK]...",
        help="Deck ids or paths to deck files (default: every deck).",
        autocompletion=_complete_decks,
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SeedOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--seed", metavar="N", help="Make the order of cards and choices repeatable."),
]


def where(decks: list[Path] | None, progress: Path | None) -> "Where":
    from awsquiz.services.where import Where
    from awsquiz.ui import warn

    return Where(deck_dirs=tuple(decks or ()), progress=progress, warn=warn)


@app.callback()
def overview(ctx: typer.Context) -> None:
    """Flashcards and mock exams for AWS security and compliance, in your terminal.

    Run with no command for an overview of your decks and what to do next.
    """
    if ctx.invoked_subcommand is not None:
        return
    from awsquiz.services.listing import list_decks
    from awsquiz.system import paths
    from awsquiz.ui.tables import show_overview

    now = paths.now()
    show_overview(list_decks(where(None, None), now), now)
