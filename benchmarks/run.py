"""How fast awsquiz is on a large library, against the targets of issues 8 and 19.

    python benchmarks/run.py [--runs 7] [--data DIR]

Generates (once, then reuses; see harness.dataset) 10,000 cards in 20 decks and 100,000
reviews, and a history of 1,000,000 reviews of the same cards (shared with scaling.py), then
times commands as subprocesses of the installed package with NO_COLOR=1 and output to a pipe.
Every time is the median of --runs runs, taken in rounds (floor, then each command) so that a
busy machine slows the floor and the commands alike; each is also shown as a ratio to the
floor, `python -c "import typer, rich.console"`, measured in the same rounds (the `stats`
figures in rounds of their own: benchmarks/stats_bench.py). Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import stats_bench  # noqa: E402
from harness import AWSQUIZ, FLOOR, Series  # noqa: E402

DECKS, CARDS_PER_DECK, REVIEWS = 20, 500, 100_000
CHANGED_DECK = "bench-07.yaml"


@dataclass
class Row:
    figure: str
    measured: str
    target: str
    ratio: str
    met: bool | None  # None: no target, shown for information


def _changed_text(original: str, n: int) -> str:
    """The deck file with one card's explanation edited (a different edit each time)."""
    return original.replace("explanation: \"", f"explanation: \"(edit {n}) ", 1)


def has_command(env: dict[str, str], name: str) -> bool:
    try:
        harness.run([*AWSQUIZ, name, "--help"], env)
    except RuntimeError:
        return False
    return True


def measure(data: harness.Dataset, runs: int, log) -> tuple[list[Row], dict[str, Series]]:  # type: ignore[no-untyped-def]
    env = data.env()
    with_stats = has_command(env, "stats")
    series = {name: Series(name) for name in (
        "floor", "decks", "study", "help", "changed", "nocache-decks", "nocache-study",
    )}
    deck_file = data.deck_dir / CHANGED_DECK
    original = deck_file.read_text(encoding="utf-8")
    study = [*AWSQUIZ, "study"]

    # Warm up: parse cache and snapshot in place, files in the page cache.
    for _ in range(2):
        harness.run([*AWSQUIZ, "decks"], env)
        harness.first_card(study, env)
        harness.run(FLOOR, env)

    log(f"timing warm commands, {runs} rounds ...")
    try:
        for n in range(runs):
            series["floor"].add(harness.run(FLOOR, env))
            series["decks"].add(harness.run([*AWSQUIZ, "decks"], env))
            series["study"].add(harness.first_card(study, env))
            series["help"].add(harness.run([*AWSQUIZ, "--help"], env))
            deck_file.write_text(_changed_text(original, n), encoding="utf-8")
            series["changed"].add(harness.run([*AWSQUIZ, "decks"], env))
    finally:
        deck_file.write_text(original, encoding="utf-8")
        harness.run([*AWSQUIZ, "decks"], env)

    log(f"timing first runs with no cache and no snapshot, {runs} rounds ...")
    for _ in range(runs):
        data.drop_caches()
        series["nocache-decks"].add(harness.run([*AWSQUIZ, "decks"], env))
        data.drop_caches()
        series["nocache-study"].add(harness.first_card(study, env))
    harness.run([*AWSQUIZ, "decks"], env)  # leave the caches warm

    log("timing single-answer saves in process ...")
    appends: dict[int, float] = {}
    small = harness.history_only(1_000, DECKS, CARDS_PER_DECK, data.root.parent)
    for reviews, source in ((1_000, small), (REVIEWS, data.progress)):
        appends[reviews] = harness.median_ms(harness.append_times_apart(source, count=60))

    floor = series["floor"].median
    rows = [Row("floor: python -c 'import typer, rich.console'", f"{floor * 1000:.0f} ms",
                "(baseline)", "1.00", None)]

    def timed(name: str, label: str, limit: float) -> None:
        value = series[name].median
        rows.append(Row(label, f"{value * 1000:.0f} ms", f"<= {limit:g}x floor",
                        f"{value / floor:.2f}", value <= limit * floor))

    def absolute(name: str, label: str, seconds: float) -> None:
        value = series[name].median
        rows.append(Row(label, f"{value:.2f} s", f"<= {seconds:g} s", f"{value / floor:.2f}",
                        value <= seconds))

    timed("decks", "awsquiz decks, warm", 1.4)
    timed("study", "awsquiz study to the first card, warm", 1.5)
    timed("help", "awsquiz --help", 1.5)
    timed("changed", "awsquiz decks after one deck file changed", 1.6)
    absolute("nocache-decks", "awsquiz decks, no cache (first run ever)", 3.0)
    absolute("nocache-study", "awsquiz study to the first card, no cache", 3.0)
    for reviews, ms in appends.items():
        rows.append(Row(f"save one answer (Store.append), {reviews:,} reviews in history",
                        f"{ms:.2f} ms", "<= 5 ms", "-", ms <= 5.0))
    peaks = {name: s.peak_mb for name, s in series.items() if s.samples and name != "floor"}
    worst = max(peaks, key=peaks.__getitem__)
    rows.append(Row(f"peak memory of any command ({worst})", f"{peaks[worst]:.0f} MB",
                    "<= 150 MB", "-", peaks[worst] <= 150))
    if with_stats:
        stats = stats_bench.measure(data, runs, log)
        rows += stats_rows(stats)
        series.update({name: s for name, s in stats.items() if name != "floor"})
    else:
        rows.append(Row("awsquiz stats: not measured (no such command yet)", "-", "-", "-", None))
    return rows, series


def stats_rows(series: dict[str, Series]) -> list[Row]:
    """The rows of issue 19's targets, each time a ratio to the floor of the same rounds."""
    floor = series["floor"].median
    rows = [Row("floor, in the rounds of stats", f"{floor * 1000:.0f} ms", "(baseline)", "1.00",
                None)]
    for name, label, limit in (
        ("stats", f"awsquiz stats, warm, {REVIEWS:,} reviews", 1.5),
        ("stats-1m", f"awsquiz stats, warm, {stats_bench.BIG:,} reviews", 1.5),
        ("stats-answer", f"awsquiz stats after one new answer, {REVIEWS:,} reviews", 2.0),
    ):
        value = series[name].median
        rows.append(Row(label, f"{value * 1000:.0f} ms", f"<= {limit:g}x floor",
                        f"{value / floor:.2f}", value <= limit * floor))
    cold = series["stats-cold-1m"].median
    rows.append(Row(f"awsquiz stats, no cache (first run ever), {stats_bench.BIG:,} reviews",
                    f"{cold:.2f} s", "<= 6 s", f"{cold / floor:.2f}", cold <= 6.0))
    peak = max(series[n].peak_mb for n in ("stats", "stats-1m", "stats-answer", "stats-cold-1m"))
    rows.append(Row("peak memory of awsquiz stats, any history length", f"{peak:.0f} MB",
                    "<= 150 MB", "-", peak <= 150))
    imported = series["import-1m"]
    rows.append(Row(f"peak memory of importing {stats_bench.BIG:,} reviews "
                    f"({imported.median:.0f} s)", f"{imported.peak_mb:.0f} MB", "<= 150 MB", "-",
                    imported.peak_mb <= 150))
    return rows


def table(rows: list[Row]) -> str:
    headers = ("figure", "measured", "target", "ratio", "met")
    cells = [headers] + [
        (r.figure, r.measured, r.target, r.ratio,
         "-" if r.met is None else "yes" if r.met else "NO")
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    right = {1, 3}
    lines = []
    for index, row in enumerate(cells):
        pairs = enumerate(zip(row, widths, strict=True))
        lines.append("  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in pairs)
                     .rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (at least 5)")
    parser.add_argument("--data", type=Path, default=None,
                        help="where generated data is kept and reused "
                             "(default: $AWSQUIZ_BENCH_DATA or the temp folder)")
    parser.add_argument("--spread", action="store_true", help="also print every sample")
    args = parser.parse_args(argv)
    runs = max(5, args.runs)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    data = harness.dataset(DECKS, CARDS_PER_DECK, REVIEWS, args.data, log=log)
    load_before = os.getloadavg()[0]
    rows, series = measure(data, runs, log)
    load_after = os.getloadavg()[0]
    import typer

    print(f"awsquiz benchmarks: {data.cards:,} cards in {DECKS} decks (+ the bundled decks), "
          f"{REVIEWS:,} reviews; median of {runs} runs each")
    print(f"python {platform.python_version()}, typer {typer.__version__}, "
          f"{os.cpu_count()} cores, load average {load_before:.1f} before / {load_after:.1f} after")
    print()
    print(table(rows))
    print()
    print("peak memory (MB): " + ", ".join(
        f"{s.name} {s.peak_mb:.0f}" for s in series.values() if s.samples and s.name != "floor"
    ))
    if args.spread:
        print()
        for s in series.values():
            if s.samples:
                times = ", ".join(f"{x.seconds * 1000:.0f}" for x in s.samples)
                spread = statistics.pstdev(x.seconds for x in s.samples) * 1000
                print(f"{s.name}: {times} ms (stdev {spread:.0f})")
    missed = [r.figure for r in rows if r.met is False]
    print()
    print("all targets met" if not missed
          else f"{len(missed)} target(s) missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
