"""One module per command (a command family for `progress`): each parses its arguments,
calls one service and hands the result to the terminal layer. Importing this package
registers them all on `awsquiz.cli.app.app`."""

from awsquiz.cli.commands import (  # noqa: F401 - imported to register the commands
    cards,
    check,
    convert,
    decks,
    exam,
    marks,
    optimize,
    progress,
    review,
    stats,
    study,
)
