"""The Typer application, its options and the one place errors become messages and exit codes.

Annotations are evaluated as the modules load (no `from __future__ import annotations`):
Typer reads them on every run, and strings would be compiled and evaluated each time.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from awsquiz.errors import EXIT_INTERRUPTED, EXIT_USAGE, AwsquizError

if TYPE_CHECKING:
    from awsquiz.services.where import Where


class Group(TyperGroup):
    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: Any = None, *, standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's usage errors in awsquiz's own style (`error:` and a hint on stderr, exit
        2), not in a box beside the plain errors of everything else."""
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
        except _click_exception() as error:
            _show_usage_error(error)
            sys.exit(getattr(error, "exit_code", EXIT_USAGE))
        except typer.Abort:
            typer.echo("\ninterrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)

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


def _click_exception() -> type[Exception]:
    import importlib

    import typer.core

    click = getattr(typer.core, "_click", None) or importlib.import_module("click")
    error: type[Exception] = click.exceptions.ClickException
    return error


def _show_usage_error(error: Exception) -> None:
    from awsquiz.ui import print_error

    message = getattr(error, "format_message", lambda: str(error))()
    if not message.strip():
        return  # no arguments where some are needed: the help was shown instead
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", "awsquiz")
    print_error(AwsquizError(message, hint=f"see: {command} --help"))


def _show_version(value: bool) -> None:
    if value:
        from awsquiz import __version__

        typer.echo(f"awsquiz {__version__}")
        raise typer.Exit()


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
TagOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--tag",
        metavar="T",
        help="Only cards with this tag, a card's or its deck's (repeatable; any case).",
        show_default=False,
    ),
]
SeedOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--seed", metavar="N", help="Make the order of cards and choices repeatable."),
]


def where(decks: list[Path] | None, progress: Path | None) -> "Where":
    from awsquiz.services.where import Where
    from awsquiz.ui import warn

    return Where(deck_dirs=tuple(decks or ()), progress=progress, warn=warn)


@app.callback()
def overview(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Flashcards and mock exams for AWS security and compliance, in your terminal.

    Run with no command for an overview of your decks and what to do next.
    """
    if ctx.invoked_subcommand is not None:
        return
    from awsquiz.services.listing import today
    from awsquiz.system import paths
    from awsquiz.ui.tables import show_overview

    now = paths.now()
    show_overview(today(where(None, None), now), now)
