"""`awsquiz undo`, `awsquiz suspend` and `awsquiz unsuspend`."""

from typing import Annotated, Optional

import typer

from awsquiz.cli.app import DecksOpt, ProgressOpt, app, where


def _complete_cards(incomplete: str) -> list[str]:
    from awsquiz.decks.library import card_keys_for_completion

    return card_keys_for_completion(incomplete)


CardArgs = Annotated[
    Optional[list[str]],  # noqa: UP045 - Typer reads the annotation at runtime
    typer.Argument(
        metavar="[DECK/ID]...",
        help="Cards as DECK/ID, or DECK/* for every card of a deck.",
        autocompletion=_complete_cards,
        show_default=False,
    ),
]
TagsOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--tag", metavar="T", help="Every card with this tag (repeatable).",
                 show_default=False),
]


@app.command("undo")
def undo_command(progress: ProgressOpt = None) -> None:
    """Take back the last answer given in a study or review session.

    The card goes back to the state it had before, as if the answer had never been given
    (the log keeps both, and the undo). Run it again to take back the answer before.
    Exam answers cannot be undone.
    """
    from awsquiz.services.control import run_undo
    from awsquiz.ui.marks import show_undone

    show_undone(run_undo(where(None, progress)))


@app.command("suspend")
def suspend_command(
    cards: CardArgs = None,
    tag: TagsOpt = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Keep cards out of every study, review and exam until they are unsuspended.

    [dim]Example:[/dim] awsquiz suspend encryption/kms-key-types root-user/*
    """
    from awsquiz.services.control import run_suspend
    from awsquiz.ui.marks import show_suspension

    show_suspension(run_suspend(where(decks, progress), cards or [], tag or [], on=True), True)


@app.command("unsuspend")
def unsuspend_command(
    cards: CardArgs = None,
    tag: TagsOpt = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Bring suspended cards back into sessions (with their progress as it was).

    [dim]Example:[/dim] awsquiz unsuspend --tag kms
    """
    from awsquiz.services.control import run_suspend
    from awsquiz.ui.marks import show_suspension

    show_suspension(run_suspend(where(decks, progress), cards or [], tag or [], on=False), False)
