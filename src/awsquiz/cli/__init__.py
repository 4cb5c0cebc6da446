"""The command line: parse arguments, call one service, hand the result to the terminal layer.

`app` holds the Typer application and the one place errors become exit codes; `commands/`
one module per command, registered on `app` as they are imported: a run registers only the
command it names (`commands.register`), and `commands.register()` registers them all (as
`--help`, a misspelt command and the tests need); `startup` every start-up speed trick.
"""

import sys

from awsquiz.cli.app import app
from awsquiz.cli.commands import register
from awsquiz.cli.startup import leave_after, run


def main() -> None:
    """The command line of `sys.argv`; ends in SystemExit, as a Click program does."""
    register(sys.argv[1] if len(sys.argv) > 1 else None)
    run(app)


def script() -> None:
    """The console script and `python -m awsquiz`: `main`, then the process ends at once."""
    leave_after(main)


__all__ = ["app", "main", "register", "script"]
