"""The `awsquiz stats` figures of benchmarks/run.py (issue 19): warm at 100,000 and 1,000,000
reviews, after one new answer, the first run with no cache at 1,000,000, and the peak memory
of `stats` and of importing 1,000,000 reviews. Each time is taken in rounds with the floor."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import harness
import scaling
from harness import AWSQUIZ, FLOOR, Series

BIG = 1_000_000
COLD_RUNS = 3  # a first `stats` over a million reviews is timed fewer times


def measure(data: harness.Dataset, runs: int, log: Callable[[str], None]) -> dict[str, Series]:
    """Series: floor, stats, stats-1m, stats-answer, stats-cold-1m, import-1m."""
    root = data.root.parent
    big = scaling.dataset(data.cards, BIG, root, log)
    env = data.env()
    big_cache = root / "cache-run-1m"
    env_big = data.env(AWSQUIZ_PROGRESS=str(big.progress), AWSQUIZ_CACHE=str(big_cache))
    scratch = harness.copy_progress(data.progress)
    env_answer = data.env(AWSQUIZ_PROGRESS=str(scratch))
    names = ("floor", "stats", "stats-1m", "stats-answer", "stats-cold-1m", "import-1m")
    series = {name: Series(name) for name in names}
    stats = [*AWSQUIZ, "stats"]
    # A learner's progress folder holds the snapshot their last session wrote: the history
    # a first `stats` reads is the one it covers (written now if the generator's is older).
    harness.run([harness.PY, "-c", "import sys; from awsquiz.store.store import Store; "
                 "Store.open(sys.argv[1])", str(big.progress)], env_big)
    try:
        for each in (env, env_big, env_answer):  # caches in place, files in the page cache
            harness.run(stats, each)
            harness.run(stats, each)
        log(f"timing stats, {runs} rounds ...")
        for n in range(runs):
            series["floor"].add(harness.run(FLOOR, env))
            series["stats"].add(harness.run(stats, env))
            series["stats-1m"].add(harness.run(stats, env_big))
            harness.append_one(scratch, n)
            series["stats-answer"].add(harness.run(stats, env_answer))
        log(f"timing a first stats over {BIG:,} reviews with no cache, {COLD_RUNS} runs ...")
        for _ in range(COLD_RUNS):
            shutil.rmtree(big_cache, ignore_errors=True)
            series["stats-cold-1m"].add(harness.run(stats, env_big))
        harness.run(stats, env_big)  # leave the caches warm
        log(f"importing {BIG:,} reviews through the store ...")
        series["import-1m"].add(harness.import_sample(big.progress / "reviews-bench.jsonl"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return series
