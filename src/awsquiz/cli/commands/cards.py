"""`awsquiz cards`: list cards, or every field of every card as JSON."""

from typing import Annotated, Optional

import typer

from awsquiz.cli.app import DeckArgs, DecksOpt, JsonOpt, ProgressOpt, app, where


@app.command("cards")
def cards_command(
    deck: DeckArgs = None,
    tag: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--tag", "-t", metavar="T", help="Only cards with this tag (repeatable; any case)."
        ),
    ] = None,
    search: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--search", "-s", metavar="TEXT",
            help="Only cards whose question, answer, choices or explanation hold every word "
            "of TEXT (any case).",
            show_default=False,
        ),
    ] = None,
    tags: Annotated[
        bool, typer.Option("--tags", help="List the tags and how many cards have each.")
    ] = False,
    suspended: Annotated[
        bool, typer.Option("--suspended", help="Only the suspended cards.")
    ] = False,
    json_output: JsonOpt = False,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """List cards; --json gives every field of every card.

    [dim]Example:[/dim] awsquiz cards encryption --tag kms · awsquiz cards --search envelope
    """
    from awsquiz.ui.tables import print_json, show_cards

    if tags:
        from awsquiz.services.listing import list_tags
        from awsquiz.ui.tables import show_tags

        counts = list_tags(where(decks, progress), deck or [])
        if json_output:
            print_json(counts)
        else:
            show_tags(counts)
        return
    from awsquiz.services.listing import list_cards

    cards = list_cards(
        where(decks, progress), deck or [], tag or [], search=search, suspended=suspended
    )
    if json_output:
        print_json([card.to_dict() for card in cards])
    else:
        show_cards(cards)
