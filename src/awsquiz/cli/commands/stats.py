"""`awsquiz stats`: where the learner stands."""



from awsquiz.cli.app import DeckArgs, DecksOpt, JsonOpt, ProgressOpt, TagOpt, app, where


@app.command("stats")
def stats_command(
    deck: DeckArgs = None,
    json_output: JsonOpt = False,
    tag: TagOpt = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Where you stand: cards by stage, retention, forecast, activity and weak spots.

    Per deck: new, learning, young, mature, missed and leech cards, true retention over 30
    days and predicted recall now; the cards due in the next 14 days; a 16-week heatmap of
    your reviews with your streak and time spent; the weakest tags; the most confused
    choices; orphaned progress; recent exams; predicted recall against actual recall
    (calibration), with the FSRS parameters in use and the hour your day starts. --json
    gives the same figures.

    [dim]Example:[/dim] awsquiz stats encryption --json
    """
    from awsquiz.services.stats import gather
    from awsquiz.system import paths
    from awsquiz.ui.stats import show_stats
    from awsquiz.ui.tables import print_json

    report = gather(where(decks, progress), deck or [], paths.now(), tag or [])
    if json_output:
        print_json(report.to_dict())
    else:
        show_stats(report)
