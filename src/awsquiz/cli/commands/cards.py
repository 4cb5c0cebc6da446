"""`awsquiz cards`: list cards, or every field of every card as JSON."""

from typing import Annotated, Optional

import typer

from awsquiz.cli.app import DeckArgs, DecksOpt, JsonOpt, app, where


@app.command("cards")
def cards_command(
    deck: DeckArgs = None,
    tag: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--tag", "-t", metavar="T", help="Only cards with this tag (repeatable)."),
    ] = None,
    json_output: JsonOpt = False,
    decks: DecksOpt = None,
) -> None:
    """List cards; --json gives every field of every card.

    [dim]Example:[/dim] awsquiz cards encryption --tag kms
    """
    from awsquiz.services.listing import list_cards
    from awsquiz.ui.tables import print_json, show_cards

    cards = list_cards(where(decks, None), deck or [], tag or [])
    if json_output:
        print_json([card.to_dict() for card in cards])
    else:
        show_cards(cards)
