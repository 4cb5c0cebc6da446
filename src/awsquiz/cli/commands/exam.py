"""`awsquiz exam`: a timed mock exam."""

from typing import Annotated, Optional

import typer

from awsquiz.cli.app import DeckArgs, DecksOpt, ProgressOpt, SeedOpt, TagOpt, app, where
from awsquiz.cli.startup import collect_from_first_answer


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
    tag: TagOpt = None,
    decks: DecksOpt = None,
    progress: ProgressOpt = None,
) -> None:
    """A timed mock exam over choice, multi and cloze cards, balanced across the decks.

    No feedback until the end: then the score, PASS or FAIL, a breakdown by deck and tag,
    and every miss with its explanation. [bold]f[/bold] flags a question for later;
    [bold]q[/bold], Ctrl-D or Ctrl-C ends the exam. Misses feed [bold]awsquiz review[/bold].

    [dim]Example:[/dim] awsquiz exam encryption compliance --questions 30 --minutes 40
    """
    from awsquiz.services.exam import run_exam
    from awsquiz.ui.exam import ExamTerminal

    run_exam(
        where(decks, progress),
        deck or [],
        collect_from_first_answer(ExamTerminal()),
        questions=questions,
        minutes=minutes,
        pass_mark=pass_mark,
        seed=seed,
        tags=tag or [],
    )
