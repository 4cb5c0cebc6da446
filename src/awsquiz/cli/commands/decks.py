"""`awsquiz decks`: list decks with their cards and the learner's progress."""



from awsquiz.cli.app import DecksOpt, JsonOpt, ProgressOpt, app, where


@app.command("decks")
def decks_command(
    json_output: JsonOpt = False, decks: DecksOpt = None, progress: ProgressOpt = None
) -> None:
    """List decks with their cards and your progress: new, learning, due, mastered.

    [dim]Example:[/dim] awsquiz decks --decks ~/my-decks
    """
    from awsquiz.services.listing import list_decks
    from awsquiz.system import paths
    from awsquiz.ui.tables import print_json, show_decks

    now = paths.now()
    rows = list_decks(where(decks, progress), now)
    if json_output:
        print_json([row.to_dict() for row in rows])
    else:
        show_decks(rows, now)
