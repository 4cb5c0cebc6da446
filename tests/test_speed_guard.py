"""Guards against order-of-magnitude slowdowns (issue 8), not against noise.

A 2,000-card library (4 decks of every card type) and a 20,000-review history are generated
with benchmarks/generate.py; `awsquiz decks` must stay under 10x the import floor
(`python -c "import typer, rich.console"`) measured in the same test, and saving one answer
under 50 ms. The real targets are far tighter: see `python benchmarks/run.py`.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "benchmarks" / "generate.py"
DECKS, CARDS_PER_DECK, REVIEWS = 4, 500, 20_000
RUNS = 3


def _generate_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("awsquiz_bench_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    generate = _generate_module()
    root = tmp_path_factory.mktemp("speed")
    refs = generate.make_library(root / "decks", DECKS, CARDS_PER_DECK)
    generate.make_history(root / "progress", refs, REVIEWS)
    return {"root": root, "decks": root / "decks", "progress": root / "progress"}


def _env(bench: dict[str, Path]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AWSQUIZ_DECKS=str(bench["decks"]),
        AWSQUIZ_PROGRESS=str(bench["progress"]),
        AWSQUIZ_CACHE=str(bench["root"] / "cache"),
        AWSQUIZ_NOW="2026-11-28T09:00:00+00:00",
        AWSQUIZ_MACHINE="bench",
        NO_COLOR="1",
        PYTHONPYCACHEPREFIX=str(bench["root"] / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _seconds(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr.decode()
    return elapsed


def test_decks_warm_is_within_ten_times_the_import_floor(bench: dict[str, Path]) -> None:
    env = _env(bench)
    floor_cmd = [sys.executable, "-c", "import typer, rich.console"]
    decks_cmd = [sys.executable, "-m", "awsquiz", "decks"]
    _seconds(decks_cmd, env)  # warm: parse cache, snapshot, compiled modules
    _seconds(floor_cmd, env)
    floors, decks = [], []
    for _ in range(RUNS):
        floors.append(_seconds(floor_cmd, env))
        decks.append(_seconds(decks_cmd, env))
    floor, warm = statistics.median(floors), statistics.median(decks)
    assert warm < 10 * floor, f"awsquiz decks took {warm:.2f} s, floor {floor:.2f} s"


def test_saving_one_answer_does_not_grow_with_the_history(bench: dict[str, Path]) -> None:
    from awsquiz.model import CardState, Rating, Review
    from awsquiz.store.logfiles import new_review_id
    from awsquiz.store.store import Store

    store = Store.open(bench["progress"], machine="guard")
    state = CardState(2, None, 12.5, 5.1, "2026-12-10T09:00:00.000000+00:00",
                      "2026-11-28T09:00:00.000000+00:00", 4, 0)
    times = []
    for n in range(15):
        review = Review(
            id=new_review_id(), deck="bench-01", card="choice-00200",
            time=f"2026-11-28T09:00:{n:02d}.000000+00:00", rating=Rating.GOOD, right=True,
            picked=("x",), ms=4000, state=state,
        )
        started = time.perf_counter()
        store.append(review)
        times.append(time.perf_counter() - started)
    assert len(store.progress) >= CARDS_PER_DECK  # the 20,000 reviews were read
    assert statistics.median(times) < 0.050, f"median {statistics.median(times) * 1000:.1f} ms"


def test_decks_counts_match_the_full_library_and_store(
    bench: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path of `decks` (deck index entries, cached glances) gives the same rows as
    counting over the full decks and the store, before and after the caches exist, and after
    an answer is saved and a deck file changes."""
    from awsquiz.decks.library import load_library
    from awsquiz.model import CardState, Rating, Review
    from awsquiz.services.listing import list_decks
    from awsquiz.services.where import Where
    from awsquiz.session.overview import summarize
    from awsquiz.store.logfiles import new_review_id
    from awsquiz.store.store import Store
    from awsquiz.system import paths

    for name, value in _env(bench).items():
        if name.startswith("AWSQUIZ_"):
            monkeypatch.setenv(name, value)
    now = paths.now()
    where = Where(progress=bench["progress"])

    def full() -> list[object]:
        store = Store.open(bench["progress"], machine="bench")
        return summarize(load_library().decks, store.progress, now)  # type: ignore[return-value]

    assert list_decks(where, now) == full()
    assert list_decks(where, now) == full()  # from the caches
    store = Store.open(bench["progress"], machine="bench")
    state = CardState(1, 0, 1.0, 5.0, "2026-11-28T09:10:00.000000+00:00",
                      "2026-11-28T09:00:00.000000+00:00", 1, 0)
    key = next(k for k in (f"bench-02/basic-{n:05d}" for n in range(1, 151))
               if k not in store.progress)
    store.append(Review(new_review_id(), "bench-02", key.split("/")[1],
                        "2026-11-28T09:00:00.000000+00:00", Rating.GOOD, True, "x", 100, state))
    deck_file = bench["decks"] / "bench-03.yaml"
    deck_file.write_text(deck_file.read_text() + "\n# edited\n")
    assert list_decks(where, now) == full()


def test_parsing_ahead_in_parallel_gives_the_same_library(
    bench: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run parses large libraries on every core; the decks and problems are the same
    as parsing one file after another."""
    import awsquiz.decks.library as library
    import awsquiz.decks.parse_ahead as ahead

    monkeypatch.setenv("AWSQUIZ_DECKS", str(bench["decks"]))
    monkeypatch.setenv("AWSQUIZ_CACHE", str(tmp_path / "parallel"))
    monkeypatch.setattr(ahead.os, "cpu_count", lambda: 2)
    parallel = library.load_library(strict=False)
    monkeypatch.setenv("AWSQUIZ_CACHE", str(tmp_path / "serial"))
    monkeypatch.setattr(ahead.os, "cpu_count", lambda: 1)
    serial = library.load_library(strict=False)
    assert len(parallel.cards()) > 2_000
    assert parallel.decks == serial.decks
    assert parallel.problems == serial.problems
    assert sorted(p.name for p in (tmp_path / "parallel" / "decks").iterdir()) == sorted(
        p.name for p in (tmp_path / "serial" / "decks").iterdir()
    )
