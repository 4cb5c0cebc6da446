"""The command line: parse arguments, call one service, hand the result to the terminal layer.

Errors are turned into a message and an exit code in exactly one place, `_Group.invoke`.
Heavy modules are imported inside the commands, so each command loads only what it needs.
The annotations are evaluated as the module loads (no `from __future__ import annotations`):
Typer reads them on every run, and strings would be compiled and evaluated each time.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperGroup

from awsquiz.errors import EXIT_INTERRUPTED, AwsquizError

if TYPE_CHECKING:
    from awsquiz.service import Where


class _Group(TyperGroup):
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
    cls=_Group,
    help="Flashcards and mock exams for AWS security and compliance, in your terminal.",
    epilog="Start with [bold]awsquiz decks[/bold], then [bold]awsquiz study[/bold] every day.",
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    no_args_is_help=False,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_decks(incomplete: str) -> list[str]:
    from awsquiz.library import deck_ids_for_completion

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


def _where(decks: list[Path] | None, progress: Path | None) -> "Where":
    from awsquiz.service import Where
    from awsquiz.ui import warn

    return Where(deck_dirs=tuple(decks or ()), progress=progress, warn=warn)


@app.callback()
def overview(ctx: typer.Context) -> None:
    """Flashcards and mock exams for AWS security and compliance, in your terminal.

    Run with no command for an overview of your decks and what to do next.
    """
    if ctx.invoked_subcommand is not None:
        return
    from awsquiz import paths, service
    from awsquiz.ui.tables import show_overview

    now = paths.now()
    show_overview(service.list_decks(_where(None, None), now), now)


@app.command("decks")
def decks_command(
    json_output: JsonOpt = False, decks: DecksOpt = None, progress: ProgressOpt = None
) -> None:
    """List decks with their cards and your progress: new, learning, due, mastered.

    [dim]Example:[/dim] awsquiz decks --decks ~/my-decks
    """
    from awsquiz import paths, service
    from awsquiz.ui.tables import print_json, show_decks

    now = paths.now()
    rows = service.list_decks(_where(decks, progress), now)
    if json_output:
        print_json([row.to_dict() for row in rows])
    else:
        show_decks(rows, now)


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
    from awsquiz import service
    from awsquiz.ui.tables import print_json, show_cards

    cards = service.list_cards(_where(decks, None), deck or [], tag or [])
    if json_output:
        print_json([card.to_dict() for card in cards])
    else:
        show_cards(cards)


@app.command("check")
def check_command(
    path: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            metavar="[PATH]...",
            help="Deck files or folders (default: every deck folder).",
            show_default=False,
        ),
    ] = None,
    decks: DecksOpt = None,
) -> None:
    """Validate deck files for authors: every problem with file:line:col. Exit 1 on errors.

    [dim]Example:[/dim] awsquiz check decks/
    """
    from awsquiz import service
    from awsquiz.ui.tables import show_check

    report = service.check(_where(decks, None), path or [])
    show_check(report)
    if report.errors:
        raise typer.Exit(1)


SeedOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--seed", metavar="N", help="Make the order of cards and choices repeatable."),
]


@app.command("study")
def study_command(
    deck: DeckArgs = None,
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--limit", metavar="N", min=1, help="At most N cards this session."),
    ] = None,
    new: Annotated[
        int, typer.Option("--new", metavar="N", min=0, help="New cards a day (counting today's).")
    ] = 10,
    all_cards: Annotated[
        bool, typer.Option("--all", help="Also study cards that are not due yet.")
    ] = False,
    seed: SeedOpt = None,
    retention: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--retention",
            metavar="R",
            help="Desired retention, 0.70 to 0.99 (default 0.9); kept for next time.",
        ),
    ] = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Study what is due, most at risk first, then up to --new new cards.

    Answer with a choice's number or text; for typed cards type the answer, or press Enter
    to see it and rate yourself 1-4. [bold]q[/bold], Ctrl-D or Ctrl-C ends the session; every
    answer is saved the moment you give it.

    [dim]Example:[/dim] awsquiz study encryption --new 5
    """
    from awsquiz.study import run_study
    from awsquiz.ui.session import RichTerminal

    run_study(
        _where(decks, progress),
        deck or [],
        RichTerminal(),
        new_per_day=new,
        limit=limit,
        include_all=all_cards,
        seed=seed,
        retention=retention,
    )


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
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Drill the cards you missed (last answer wrong), in rounds until each is answered right.

    A card answered wrong comes back in the next round. Every answer counts as a review, so
    the schedule learns from it. A card missed 8 times is marked as a [bold]leech[/bold].
    [bold]q[/bold], Ctrl-D or Ctrl-C ends the drill; every answer is saved as you give it.

    [dim]Example:[/dim] awsquiz review --since 7d --list
    """
    from awsquiz import paths
    from awsquiz.review import list_missed, parse_since, run_review

    window = parse_since(since)
    where = _where(decks, progress)
    if list_only or json_output:
        from awsquiz.ui.review import show_missed

        now = paths.now()
        rows = list_missed(where, deck or [], now, window)
        show_missed(rows, now, since=window, json_output=json_output)
        return
    from awsquiz.ui.review import ReviewTerminal

    run_review(where, deck or [], ReviewTerminal(), since=window, seed=seed)


@app.command("exam")
def exam_command(
    deck: DeckArgs = None,
    questions: Annotated[
        int, typer.Option("--questions", "-n", metavar="N", help="How many questions.")
    ] = 20,
    minutes: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--minutes",
            metavar="M",
            help="Time limit in minutes (default: 90 seconds a question).",
            show_default=False,
        ),
    ] = None,
    pass_mark: Annotated[
        int, typer.Option("--pass", metavar="P", help="Pass mark, percent right.")
    ] = 70,
    seed: SeedOpt = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """A timed mock exam over choice and multi cards, balanced across the decks.

    No feedback until the end: then the score, PASS or FAIL, a breakdown by deck and tag,
    and every miss with its explanation. [bold]f[/bold] flags a question for later;
    [bold]q[/bold], Ctrl-D or Ctrl-C ends the exam. Misses feed [bold]awsquiz review[/bold].

    [dim]Example:[/dim] awsquiz exam encryption compliance --questions 30 --minutes 40
    """
    from awsquiz.exam import run_exam
    from awsquiz.ui.exam import ExamTerminal

    run_exam(
        _where(decks, progress),
        deck or [],
        ExamTerminal(),
        questions=questions,
        minutes=minutes,
        pass_mark=pass_mark,
        seed=seed,
    )


@app.command("stats")
def stats_command(
    deck: DeckArgs = None,
    json_output: JsonOpt = False,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """Where you stand: cards by stage, retention, forecast, activity and weak spots.

    Per deck: new, learning, young, mature, missed and leech cards, true retention over 30
    days and predicted recall now; the cards due in the next 14 days; a 16-week heatmap of
    your reviews with your streak and time spent; the weakest tags; the most confused
    choices; orphaned progress; recent exams. --json gives the same figures.

    [dim]Example:[/dim] awsquiz stats encryption --json
    """
    from awsquiz import paths
    from awsquiz.stats import gather
    from awsquiz.ui.stats import show_stats
    from awsquiz.ui.tables import print_json

    report = gather(_where(decks, progress), deck or [], paths.now())
    if json_output:
        print_json(report.to_dict())
    else:
        show_stats(report)


progress_app = typer.Typer(
    cls=_Group,
    help="Where progress lives; merge another machine's progress; back up and restore.",
    no_args_is_help=True,
)
app.add_typer(progress_app, name="progress")


@progress_app.command("path")
def progress_path_command(progress: ProgressOpt = None) -> None:
    """Print the progress folder and this machine's review log.

    [dim]Example:[/dim] awsquiz progress path
    """
    from awsquiz.progress import path

    store = _where(None, progress).store()
    typer.echo(f"folder  {store.folder}\nlog     {path(store)}")


@progress_app.command("merge")
def progress_merge_command(
    other: Annotated[Path, typer.Argument(metavar="DIR", help="Another progress folder.")],
    progress: ProgressOpt = None,
) -> None:
    """Add every review of another progress folder that this one lacks (union by review id).

    Running it twice changes nothing; each card follows its newest review.

    [dim]Example:[/dim] awsquiz progress merge /mnt/laptop/awsquiz
    """
    from awsquiz.progress import merge

    added = merge(_where(None, progress).store(), other)
    typer.echo(f"merged {added} new review{'s' if added != 1 else ''} from {other}")


@progress_app.command("export")
def progress_export_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    progress: ProgressOpt = None,
) -> None:
    """Write every review to one JSON Lines file: a backup that `import` restores.

    [dim]Example:[/dim] awsquiz progress export ~/awsquiz-backup.jsonl
    """
    from awsquiz.progress import export

    count = export(_where(None, progress).store(), file, force=force)
    typer.echo(f"exported {count} review{'s' if count != 1 else ''} to {file}")


@progress_app.command("import")
def progress_import_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file made by `export`.")],
    progress: ProgressOpt = None,
) -> None:
    """Add the reviews of an exported file that this progress lacks (union by review id).

    [dim]Example:[/dim] awsquiz progress import ~/awsquiz-backup.jsonl
    """
    from awsquiz.progress import import_file

    added = import_file(_where(None, progress).store(), file)
    typer.echo(f"imported {added} new review{'s' if added != 1 else ''} from {file}")


def _light_rich_help() -> None:
    """Let typer's Rich help load without rich.markdown and rich.traceback.

    typer.rich_utils imports both at its top, but help in "rich" markup mode uses neither
    (Markdown is only for "markdown" mode, Traceback only for pretty exceptions, which are
    off): markdown-it and the traceback machinery cost about 70 ms of a 330 ms --help. They
    are stood in for while typer.rich_utils loads, then taken out again, so that any later
    import of those modules gets the real ones.
    """
    import sys
    import types

    if "typer.rich_utils" in sys.modules:
        return
    stand_ins: dict[str, types.ModuleType] = {}
    for name, attribute in (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback")):
        if name not in sys.modules:
            module = types.ModuleType(name)
            setattr(module, attribute, type(attribute, (), {}))
            sys.modules[name] = stand_ins[name] = module
    try:
        import typer.rich_utils  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _only(name: str) -> typer.Typer:
    """The app with only the command `name` (if there is one by that name): Typer turns the
    signature of every registered command into Click parameters on each run (about 15 ms for
    all twelve), and a run names one command. Anything else (no command, a misspelt one,
    shell completion) keeps them all."""
    import copy

    commands = [info for info in app.registered_commands if info.name == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not (commands or groups):
        return app
    only = copy.copy(app)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


def main() -> None:
    import gc
    import sys

    # Starting a command makes tens of thousands of objects that live as long as it does
    # (modules, decks, each card's glance) and next to no cyclic garbage: the collector would
    # only walk them again and again, about 10 ms of a warm start. A session turns it back on
    # when the learner is first asked something (study.ask).
    gc.disable()
    if "--help" in sys.argv or "-h" in sys.argv:
        _light_rich_help()
    (_only(sys.argv[1]) if len(sys.argv) > 1 else app)()
