"""How a command starts fast: every start-up speed trick of awsquiz, here and nowhere else.

- The cyclic garbage collector is paused while a command starts: starting makes tens of
  thousands of objects that live as long as the command (modules, decks, each card's glance,
  a log's records) and next to no cyclic garbage, so collecting would only walk them again
  and again. Commands that ask the learner something turn it back on at the first answer
  read (`collect_from_first_answer`); the others are over before it matters.
- The console script builds only the Typer command it runs (`only`): Typer turns the
  signature of every registered command into Click parameters on each run.
- `--help` loads typer's Rich help without rich.markdown and rich.traceback, which help in
  "rich" markup mode never uses (`light_rich_help`).
- Once a command has finished and its output is flushed, the process ends at once
  (`leave_after`): the interpreter's teardown would free every object the command made and
  walk them all in one last collection (tens of milliseconds after a `stats` over a long
  history) for nothing. Nothing awsquiz writes waits for it: answers are fsynced as they
  are given and every file is written whole and closed. Only the console script ends so;
  `main()` called as a function still raises SystemExit, and under a tracer or profiler
  (coverage) Python ends as usual, so that they write what they gathered.
- Elsewhere, for what they load: a run imports only the command module it names
  (`cli.commands.register`), and `model/` loads each of its modules when one of its names is
  first asked for.

benchmarks/RESULTS.md has what each of these is worth, measured again with each release.
"""

import contextlib
import copy
import gc
import sys
import types
from collections.abc import Callable
from typing import Any, TypeVar

import typer

_T = TypeVar("_T")


def run(app: typer.Typer) -> None:
    """Run the command that the command line names, started as fast as it can be."""
    gc.disable()
    if "--help" in sys.argv or "-h" in sys.argv:
        light_rich_help()
    if sys.stdout is None:  # started with stdout closed: nothing could be shown
        _output_failed(OSError(0, "standard output is closed"))
    try:
        (only(app, sys.argv[1]) if len(sys.argv) > 1 else app)()
    except OSError as exc:  # what commands do with files is an AwsquizError: this is output
        _output_failed(exc)
    except SystemExit as done:
        if _flush_failed():
            sys.exit(1)
        raise done from None
    if _flush_failed():
        sys.exit(1)


def leave_after(command: Callable[[], None]) -> None:
    """Run `command` (the console script's `main`), then end the process with the code it
    exits with, as `sys.exit` would (None: 0; a number; else the text on stderr and 1), but
    without the interpreter's teardown (see the module's docstring)."""
    code: object = 0
    try:
        command()
    except SystemExit as done:
        code = done.code
    if sys.gettrace() is not None or sys.getprofile() is not None:
        raise SystemExit(code)
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        status = 1
        with contextlib.suppress(OSError, ValueError, AttributeError):
            print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()  # already flushed by `run`, unless the command ended otherwise
    os._exit(status & 0xFF)


def _flush_failed() -> bool:
    """Flush the output; on failure (a full disk, a closed pipe) say so, and make sure the
    interpreter's own flush at exit has nowhere to fail."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        _output_failed(exc, exiting=False)
        return True
    return False


def _output_failed(exc: OSError, *, exiting: bool = True) -> None:
    import os

    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)  # the unwritten rest goes nowhere, quietly
        os.close(fd)
    except OSError:
        pass
    if sys.stderr is not None:
        reason = exc.strerror or str(exc)
        try:
            print(f"error: could not write the output: {reason}", file=sys.stderr)
            sys.stderr.flush()
        except OSError:
            pass
    if exiting:
        sys.exit(1)


def collect_from_first_answer(terminal: _T) -> _T:
    """`terminal`, turning the collector back on when it first reads an answer, with what
    start-up made set aside (gc.freeze), so that turning it on costs nothing then."""
    return _Collecting(terminal)  # type: ignore[return-value]


class _Collecting:
    """A terminal's stand-in that resumes collection at the first `read_line`."""

    def __init__(self, terminal: Any) -> None:
        self._terminal = terminal

    def __getattr__(self, name: str) -> Any:
        return getattr(self._terminal, name)

    def read_line(self) -> str | None:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        line: str | None = self._terminal.read_line()
        return line


def only(app: typer.Typer, name: str) -> typer.Typer:
    """The app with only the command `name` (if there is one by that name): a run names one
    command. Anything else (no command, a misspelt one, shell completion) keeps them all."""
    commands = [info for info in app.registered_commands if info.name == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not (commands or groups):
        return app
    alone = copy.copy(app)
    alone.registered_commands = commands
    alone.registered_groups = groups
    return alone


def light_rich_help() -> None:
    """Let typer's Rich help load without rich.markdown and rich.traceback.

    typer.rich_utils imports both at its top, but help in "rich" markup mode uses neither
    (Markdown is only for "markdown" mode, Traceback only for pretty exceptions, which are
    off). They are stood in for while typer.rich_utils loads, then taken out again, so that
    any later import of those modules gets the real ones.
    """
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
