"""One module per command (a command family for `progress`): each parses its arguments,
calls one service and hands the result to the terminal layer. Importing a module registers
its commands on `awsquiz.cli.app.app`; `register` imports the one a run names, or all of
them (the order here is the order `--help` lists them in)."""

from importlib import import_module

# Each command's name and the module that registers it.
COMMANDS = {
    "cards": "cards",
    "check": "check",
    "convert": "convert",
    "decks": "decks",
    "exam": "exam",
    "undo": "marks",
    "suspend": "marks",
    "unsuspend": "marks",
    "optimize": "optimize",
    "review": "review",
    "stats": "stats",
    "study": "study",
    "progress": "progress",
}


def register(name: str | None = None) -> None:
    """Register the command `name` on the app, or every command if `name` names none (no
    command given, a misspelt one, `--help` or shell completion: all must be listed)."""
    named = COMMANDS.get(name) if name is not None else None
    for module in [named] if named is not None else dict.fromkeys(COMMANDS.values()):
        import_module(f"{__name__}.{module}")
