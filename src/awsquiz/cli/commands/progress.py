"""`awsquiz progress`: where progress lives, merge, export and import."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from awsquiz.cli.app import Group, ProgressOpt, app, where
from awsquiz.ui import say

if TYPE_CHECKING:
    from awsquiz.services.progress import Moved

progress_app = typer.Typer(
    cls=Group,
    help="Where progress lives; merge another machine's progress; back up and restore.",
    no_args_is_help=True,
)
app.add_typer(progress_app, name="progress")


def moved(count: "Moved", new: str = "") -> str:
    """'3 new reviews and 1 exam result'."""
    from awsquiz.ui.text import plural

    text = plural(count.reviews, f"{new}review")
    if count.exams:
        text += f" and {plural(count.exams, 'exam result')}"
    return text


@progress_app.command("path")
def progress_path_command(
    log: Annotated[bool, typer.Option("--log", help="This machine's review log instead.")] = False,
    progress: ProgressOpt = None,
) -> None:
    """Print the progress folder, and only that, for scripts: cd "$(awsquiz progress path)".

    [dim]Example:[/dim] awsquiz progress path --log
    """
    from awsquiz.services.progress import path

    store = where(None, progress).store(load=False)
    say(str(path(store) if log else store.folder))


@progress_app.command("merge")
def progress_merge_command(
    other: Annotated[Path, typer.Argument(metavar="DIR", help="Another progress folder.")],
    progress: ProgressOpt = None,
) -> None:
    """Add every review of another progress folder that this one lacks (union by review id).

    Running it twice changes nothing; each card follows its newest review.

    [dim]Example:[/dim] awsquiz progress merge /mnt/laptop/awsquiz
    """
    from awsquiz.services.progress import merge

    added = merge(where(None, progress).store(), other)
    say(f"merged {moved(added, 'new ')} from {other}")


@progress_app.command("export")
def progress_export_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    progress: ProgressOpt = None,
) -> None:
    """Write every exam result and review to one JSON Lines file: a backup `import` restores.

    [dim]Example:[/dim] awsquiz progress export ~/awsquiz-backup.jsonl
    """
    from awsquiz.services.progress import export

    count = export(where(None, progress).store(), file, force=force)
    say(f"exported {moved(count)} to {file}")


@progress_app.command("import")
def progress_import_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A file made by `export`, or a review-log CSV.")
    ],
    deck: Annotated[
        str | None,
        typer.Option(
            "--deck", metavar="ID", help="The deck of a review-log CSV's cards (ID/card_id)."
        ),
    ] = None,
    progress: ProgressOpt = None,
) -> None:
    """Add the reviews of an exported file that this progress lacks (union by review id).

    A review-log CSV (header card_id,review_rating,review_time[,review_duration], as py-fsrs
    and the open FSRS datasets write it; rating 1-4, ISO 8601 time) is read too, with --deck
    ID: each row becomes a review of card ID/card_id. Importing a file twice adds nothing;
    a bad row stops the import (file:line) with nothing imported.

    [dim]Example:[/dim] awsquiz progress import ~/awsquiz-backup.jsonl
    """
    from awsquiz.services.progress import import_file

    added = import_file(where(None, progress).store(), file, deck)
    say(f"imported {moved(added, 'new ')} from {file}")
