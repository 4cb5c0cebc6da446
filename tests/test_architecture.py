"""The shape of the code (ARCHITECTURE.md): no import cycle between modules, lazy imports
included; small modules and functions; the speed tricks in one module; and what a command
loads, asserted through sys.modules rather than timed."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DECKS

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "awsquiz"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The awsquiz modules `name` imports, at its top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_modules_lazy_imports_included() -> None:
    modules = _modules()
    # A package's __init__ importing its own modules is not a cycle of the design.
    graph = {
        name: {t for t in _imports(name, path, modules) if not name.startswith(t + ".")}
        for name, path in modules.items()
    }
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert too_long == []


def test_the_garbage_collector_is_touched_in_one_module_only() -> None:
    users = sorted(
        name for name, path in _modules().items()
        if "gc" in _stdlib_imports(path)
    )
    assert users == ["awsquiz.cli.startup"]


def _stdlib_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module)
    return names


def _loaded_after(*argv: str) -> set[str]:
    """The modules loaded once the console script has run `argv` in a fresh interpreter."""
    code = (
        "import sys, json\n"
        f"sys.argv = ['awsquiz', *{list(argv)!r}]\n"
        "from awsquiz.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


# (difflib is not among them: Click loads it for its own "did you mean" messages.)
HEAVY = {"yaml", "fsrs", "rich.markdown", "rich.traceback", "hashlib",
         "awsquiz.decks.deck_file", "awsquiz.session.grading", "awsquiz.session.stats"}


def test_a_warm_decks_command_loads_none_of_the_heavy_modules(isolated: Path) -> None:
    isolated.mkdir()  # a learner's folder (before it is made, no glance can be kept)
    _loaded_after("decks", "--decks", str(DECKS))  # the first run fills the caches
    loaded = _loaded_after("decks", "--decks", str(DECKS))
    assert HEAVY & loaded == set()
    assert "awsquiz.store.store" not in loaded  # the cached glances are all it reads
    assert "awsquiz.services.listing" in loaded  # the command did run


def test_a_warm_stats_reads_its_parts_and_loads_no_store_or_log_reader(isolated: Path) -> None:
    from awsquiz.model import CardState, Rating, Review
    from awsquiz.store.store import Store

    state = CardState(2, None, 3.0, 5.0, "2026-12-01T09:00:00.000000+00:00",
                      "2026-11-28T09:00:00.000000+00:00", 1, 0)
    Store.open(isolated).append(Review(
        id="a" * 24, deck="sample", card="kms", time="2026-11-28T09:00:00.000000+00:00",
        rating=Rating.GOOD, right=True, picked=None, ms=1000, kind="study", state=state))
    _loaded_after("stats", "--decks", str(DECKS))  # the first run keeps the figures
    loaded = _loaded_after("stats", "--decks", str(DECKS))
    assert "awsquiz.services.stats" in loaded  # the command did run
    slow = {"awsquiz.store.store", "awsquiz.store.figures_cache", "awsquiz.store.reading",
            "awsquiz.scheduling.calibration", "fsrs_rs_python",
            *HEAVY - {"hashlib", "awsquiz.session.stats"}}
    assert slow & loaded == set()
    # After a new answer the figures grow: the two-process reading of a first run stays out.
    Store.open(isolated).append(Review(
        id="b" * 24, deck="sample", card="kms", time="2026-11-28T09:05:00.000000+00:00",
        rating=Rating.GOOD, right=True, picked=None, ms=1000, kind="study", state=state))
    grown = _loaded_after("stats", "--decks", str(DECKS))
    assert "awsquiz.store.figures_cache" in grown
    assert {"awsquiz.store.figures_halves", "awsquiz.system.forked"} & grown == set()


def test_help_loads_neither_markdown_nor_the_services() -> None:
    loaded = _loaded_after("--help")
    assert {"rich.markdown", "rich.traceback", "awsquiz.services.listing", "yaml"} & loaded == set()
    assert "typer.rich_utils" in loaded


@pytest.mark.parametrize("command", ["check", "cards"])
def test_a_command_that_parses_decks_loads_the_parser(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWSQUIZ_CACHE", str(tmp_path / "fresh-cache"))  # no parse cache yet
    loaded = _loaded_after(command, str(DECKS / "sample.yaml"))
    assert {"yaml", "awsquiz.decks.deck_file"} <= loaded
    assert "statistics" not in loaded  # the parser's advice needs no fractions or decimal


def test_a_run_registers_only_the_command_it_names() -> None:
    from awsquiz.cli.commands import COMMANDS

    loaded = _loaded_after("decks", "--decks", str(DECKS))
    modules = {f"awsquiz.cli.commands.{module}" for module in COMMANDS.values()}
    assert modules & loaded == {"awsquiz.cli.commands.decks"}


def test_every_command_is_registered_by_the_module_the_table_names() -> None:
    from awsquiz.cli import app
    from awsquiz.cli.commands import COMMANDS

    registered = {info.name: info.callback.__module__ for info in app.registered_commands
                  if info.name is not None and info.callback is not None}
    groups = {info.name for info in app.registered_groups}
    assert set(registered) | groups == set(COMMANDS)
    for name, module in registered.items():
        assert module == f"awsquiz.cli.commands.{COMMANDS[name]}", name
    assert groups == {name for name, module in COMMANDS.items() if module == "progress"}


def test_help_lists_every_command(capfd: pytest.CaptureFixture[str]) -> None:
    from awsquiz.cli.commands import COMMANDS

    code = (
        "import sys\nsys.argv = ['awsquiz', '--help']\nfrom awsquiz.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "100", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    listed = [line.split()[1] for line in done.stdout.splitlines()
              if line.startswith("│ ") and len(line.split()) > 2]
    assert [name for name in listed if name in COMMANDS] == list(COMMANDS)


def test_the_first_card_is_shown_before_grading_marks_and_the_review_log_load() -> None:
    """What `study` has loaded when the first card's prompt is up: the rest loads while the
    learner reads (after a first run has filled the caches)."""
    code = (
        "import json, sys\n"
        "from awsquiz.ui.session import RichTerminal\n"
        "def prompt(self, text):\n"
        "    print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        "    raise SystemExit(0)\n"
        "RichTerminal.prompt = prompt\n"
        f"sys.argv = ['awsquiz', 'study', '--decks', {str(DECKS)!r}]\n"
        "from awsquiz.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for _ in range(2):  # the first run fills the caches
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, check=True, stdin=subprocess.DEVNULL)
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "awsquiz.services.study" in loaded  # the session did start
    assert {"awsquiz.session.grading", "awsquiz.services.marks", "awsquiz.session.selection",
            "awsquiz.decks.deck_file", "yaml", "fsrs"} & loaded == set()


def test_the_model_package_loads_a_module_when_one_of_its_names_is_asked_for() -> None:
    import importlib

    import awsquiz.model as model

    code = (
        "import sys\nfrom awsquiz.model import Card\n"
        "print(sorted(m for m in sys.modules if m.startswith('awsquiz.model.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)}, check=True)
    assert done.stdout.split() == ["['awsquiz.model.build',", "'awsquiz.model.card']"]
    assert set(model._HOME) == set(model.__all__)
    for name, home in model._HOME.items():
        assert getattr(model, name) is getattr(
            importlib.import_module(f"awsquiz.model.{home}"), name
        ), name
    with pytest.raises(AttributeError):
        model.Nothing  # noqa: B018


def test_a_warm_stats_loads_neither_the_listing_the_study_queue_nor_the_parser() -> None:
    _loaded_after("stats", "--decks", str(DECKS))  # the first run fills the caches
    loaded = _loaded_after("stats", "--decks", str(DECKS))
    assert "awsquiz.services.stats" in loaded  # the command did run
    assert {"awsquiz.session.overview", "awsquiz.session.queue", "awsquiz.decks.deck_file",
            "yaml", "statistics", "rich.table"} & loaded == set()
