"""The command line: parse arguments, call one service, hand the result to the terminal layer.

`app` holds the Typer application and the one place errors become exit codes; `commands/`
one module per command; `startup` every start-up speed trick.
"""

from awsquiz.cli import commands  # noqa: F401 - registers every command on the app
from awsquiz.cli.app import app
from awsquiz.cli.startup import run


def main() -> None:
    """The console script."""
    run(app)


__all__ = ["app", "main"]
