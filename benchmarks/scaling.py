"""How awsquiz scales: 1k / 10k / 100k cards against 10k / 100k / 1M reviews.

    python benchmarks/scaling.py [--runs 3] [--data DIR] [--out benchmarks/RESULTS.md]

For each size, warm (parse cache and snapshot in place): `awsquiz decks`, `awsquiz study`
to the first card, saving one answer (in process) and `awsquiz stats` when the command
exists; time (median of --runs) and peak memory. Data is generated once per size into the
data folder and reused (1M reviews take a few minutes to generate). Writes a Markdown table
to --out and prints it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import AWSQUIZ, FLOOR, Series  # noqa: E402

DECKS = 20
CARD_SIZES = (1_000, 10_000, 100_000)
REVIEW_SIZES = (10_000, 100_000, 1_000_000)
TIMEOUT = 300.0  # seconds for one command before it is reported as too slow
KEPT = "## `stats` side by side"  # RESULTS.md from this heading on is kept as it is


def dataset(cards: int, reviews: int, root: Path, log) -> harness.Dataset:  # type: ignore[no-untyped-def]
    """The library of `cards` (shared by every history size) and a history of `reviews`."""
    per_deck = cards // DECKS
    library = root / f"v{harness.DATA_VERSION}-library-{DECKS}x{per_deck}"
    if not (library / "complete").is_file():
        shutil.rmtree(library, ignore_errors=True)
        log(f"generating a library of {cards:,} cards ...")
        harness.make(library, DECKS, per_deck, 0, only="library")
        (library / "complete").write_text("ok\n")
    base = root / f"v{harness.DATA_VERSION}-scaling-{DECKS}x{per_deck}-{reviews}"
    data = harness.Dataset(base, DECKS, per_deck, reviews)
    if not (base / "complete").is_file():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        started = time.perf_counter()
        log(f"generating {reviews:,} reviews over {cards:,} cards ...")
        harness.make(base, DECKS, per_deck, reviews, only="history")
        (base / "complete").write_text(f"{time.perf_counter() - started:.1f}\n")
        log(f"  done in {time.perf_counter() - started:.0f} s")
    return data


def library_dir(cards: int, root: Path) -> Path:
    return root / f"v{harness.DATA_VERSION}-library-{DECKS}x{cards // DECKS}" / "decks"


def _timed(fn, runs: int) -> tuple[Series | None, str]:  # type: ignore[no-untyped-def]
    series = Series("x")
    for _ in range(runs):
        try:
            series.add(fn())
        except subprocess.TimeoutExpired:
            return None, f"over {TIMEOUT:.0f} s"
        except RuntimeError as error:
            return None, f"failed: {str(error).splitlines()[0][:60]}"
    return series, ""


def _limited(cmd: list[str], env: dict[str, str]) -> harness.Sample:
    """`harness.run` with a time limit."""
    import threading

    result: list[harness.Sample | BaseException] = []

    def target() -> None:
        try:
            result.append(harness.run(cmd, env))
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            result.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():
        raise subprocess.TimeoutExpired(cmd, TIMEOUT)
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def cell(series: Series | None, note: str) -> str:
    if series is None:
        return note
    return f"{series.median * 1000:,.0f} ms / {series.peak_mb:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    parser.add_argument("--cards", type=int, nargs="*", default=list(CARD_SIZES))
    parser.add_argument("--reviews", type=int, nargs="*", default=list(REVIEW_SIZES))
    args = parser.parse_args(argv)
    root = args.data or harness.default_root()
    root.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rows = []
    floor_env = None
    with_stats = None
    for cards in args.cards:
        for reviews in args.reviews:
            data = dataset(cards, reviews, root, log)
            env = data.env()
            # Every history size of a library shares its deck files and their parse cache.
            env["AWSQUIZ_DECKS"] = str(library_dir(cards, root))
            env["AWSQUIZ_CACHE"] = str(root / f"cache-{cards}")
            floor_env = env
            if with_stats is None:
                try:
                    harness.run([*AWSQUIZ, "stats", "--help"], env)
                    with_stats = True
                except RuntimeError:
                    with_stats = False
            log(f"measuring {cards:,} cards, {reviews:,} reviews ...")
            study = [*AWSQUIZ, "study"]
            try:  # warm up: parse cache, snapshot, cached glances
                _limited([*AWSQUIZ, "decks"], env)
                harness.first_card(study, env)
            except (subprocess.TimeoutExpired, RuntimeError) as error:
                log(f"  warm-up failed: {error}")
            decks, decks_note = _timed(lambda env=env: _limited([*AWSQUIZ, "decks"], env),
                                       args.runs)
            first, first_note = _timed(lambda env=env, study=study: harness.first_card(study, env),
                                       args.runs)
            times = harness.append_times_apart(data.progress, count=30)
            answer = f"{harness.median_ms(times):.2f} ms"
            row = [f"{cards:,}", f"{reviews:,}", cell(decks, decks_note),
                   cell(first, first_note), answer]
            if with_stats:
                stats, stats_note = _timed(
                    lambda env=env: _limited([*AWSQUIZ, "stats"], env), args.runs
                )
                row.append(cell(stats, stats_note))
            rows.append(row)
            log("  " + " | ".join(row))

    floor = Series("floor")
    for _ in range(max(5, args.runs)):
        floor.add(harness.run(FLOOR, floor_env))
    headers = ["cards", "reviews", "`decks`", "`study` to first card", "save one answer"]
    if with_stats:
        headers.append("`stats`")
    import typer

    lines = [
        "# awsquiz at scale",
        "",
        f"Measured with `python benchmarks/scaling.py --runs {args.runs}` on "
        f"{platform.python_version()}, typer {typer.__version__}, {os.cpu_count()} cores; "
        f"{time.strftime('%Y-%m-%d')}. Commands are subprocesses (`python -m awsquiz`, "
        "NO_COLOR=1, output to a pipe), warm: the parse cache, the snapshot and compiled "
        "modules are in place. Each cell is the median time of the runs and the peak memory "
        "(max RSS) of the command; saving one answer is `Store.append` in process (median "
        "of 30). The cards are in 20 decks of every type, plus the 7 bundled decks (about "
        "235 cards); the reviews come from `benchmarks/generate.py` (FSRS states from "
        "`awsquiz.scheduler`).",
        "",
        f"The floor, `python -c \"import typer, rich.console\"`, took "
        f"{floor.median * 1000:.0f} ms in the same run.",
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    made = []
    for cards in args.cards:
        for reviews in args.reviews:
            base = root / f"v{harness.DATA_VERSION}-scaling-{DECKS}x{cards // DECKS}-{reviews}"
            try:
                seconds = float((base / "complete").read_text())
            except (OSError, ValueError):
                continue
            made.append(f"{reviews:,} over {cards:,} cards {seconds:.0f} s")
    if made:
        lines += ["", "Generating the histories took: " + "; ".join(made) + "."]
    if not with_stats:
        lines += ["", "`awsquiz stats` did not exist when this was run, so it has no column."]
    lines += [
        "",
        "Reproduce: `python benchmarks/scaling.py` (data is generated once into "
        "`$AWSQUIZ_BENCH_DATA` or the temp folder, then reused; a cell that says "
        f"\"over {TIMEOUT:.0f} s\" was stopped there).",
        "",
    ]
    text = "\n".join(lines)
    try:  # what follows KEPT in the file was written by hand: it stays
        old = args.out.read_text(encoding="utf-8")
        if KEPT in old:
            text += "\n" + old[old.index(KEPT):]
    except OSError:
        pass
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
