"""`awsquiz review`: drill the missed cards."""

from typing import Annotated, Optional

import typer

from awsquiz.cli.app import DeckArgs, DecksOpt, ProgressOpt, SeedOpt, TagOpt, app, where
from awsquiz.cli.startup import collect_from_first_answer


@app.command("review")
def review_command(
    deck: DeckArgs = None,
    since: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--since",
            metavar="AGE",
            help="Only cards missed within this time: 30m, 12h, 7d, 2w.",
            show_default=False,
        ),
    ] = None,
    list_only: Annotated[
        bool, typer.Option("--list", help="List the missed cards instead of drilling them.")
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="With --list: print JSON for scripts.")
    ] = False,
    seed: SeedOpt = None,
    tag: TagOpt = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Drill the cards you missed (last answer wrong), in rounds until each is answered right.

    A card answered wrong comes back in the next round. Every answer counts as a review, so
    the schedule learns from it. A card missed 8 times is marked as a [bold]leech[/bold].
    [bold]q[/bold], Ctrl-D or Ctrl-C ends the drill; every answer is saved as you give it.

    [dim]Example:[/dim] awsquiz review --since 7d --list
    """
    from awsquiz.services.review import list_missed, run_review
    from awsquiz.session.rounds import parse_since
    from awsquiz.system import paths

    window = parse_since(since)
    places = where(decks, progress)
    if list_only or json_output:
        from awsquiz.ui.review import show_missed

        now = paths.now()
        rows = list_missed(places, deck or [], now, window, tag or [])
        show_missed(rows, now, since=window, json_output=json_output)
        return
    from awsquiz.ui.review import ReviewTerminal

    terminal = collect_from_first_answer(ReviewTerminal())
    run_review(places, deck or [], terminal, since=window, seed=seed, tags=tag or [])
