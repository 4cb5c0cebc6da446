"""Shared measuring tools for the benchmarks: generated data, timed subprocesses, appends.

Commands run as subprocesses of the installed package (`python -m awsquiz`), with the
environment pointing at generated data, NO_COLOR=1 and output to a pipe. Each child's wall
time and peak memory (ru_maxrss from wait4) are recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PY = sys.executable
FLOOR = [PY, "-c", "import typer, rich.console"]
AWSQUIZ = [PY, "-m", "awsquiz"]
# Bump when generate.py changes what it writes, so reused data is made again.
DATA_VERSION = "1"


@dataclass
class Sample:
    seconds: float
    maxrss_kb: int


@dataclass
class Series:
    """Repeated measurements of one figure."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.maxrss_kb for s in self.samples) / 1024


# -- data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    root: Path
    decks: int
    cards_per_deck: int
    reviews: int

    @property
    def deck_dir(self) -> Path:
        return self.root / "decks"

    @property
    def progress(self) -> Path:
        return self.root / "progress"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def cards(self) -> int:
        return self.decks * self.cards_per_deck

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("AWSQUIZ_DECKS", "AWSQUIZ_PROGRESS", "AWSQUIZ_CACHE", "COLUMNS"):
            env.pop(name, None)
        env.update(
            AWSQUIZ_DECKS=str(self.deck_dir),
            AWSQUIZ_PROGRESS=str(self.progress),
            AWSQUIZ_CACHE=str(self.cache),
            AWSQUIZ_NOW=generate.NOW,
            AWSQUIZ_MACHINE=generate.MACHINE,
            NO_COLOR="1",
            TERM="dumb",
            # Compiled modules are cached, as for an installed package (the environment may
            # say not to write them), in a folder of the benchmark's own.
            PYTHONPYCACHEPREFIX=str(self.root.parent / "pycache"),
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(extra)
        return env

    def drop_caches(self) -> None:
        """Forget the parse cache and the snapshot, as on a first run ever."""
        shutil.rmtree(self.cache, ignore_errors=True)
        for snapshot in self.progress.glob("snapshot-*.json"):
            snapshot.unlink()


def default_root() -> Path:
    return Path(os.environ.get("AWSQUIZ_BENCH_DATA", Path(tempfile.gettempdir()) / "awsquiz-bench"))


def dataset(
    decks: int,
    cards_per_deck: int,
    reviews: int,
    root: Path | None = None,
    *,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> Dataset:
    """Generated data of this size, made once and reused (the library and the history are
    written to separate folders so a size's history can be shared by its library)."""
    base = (root or default_root()) / f"v{DATA_VERSION}-{decks}x{cards_per_deck}-{reviews}"
    data = Dataset(base, decks, cards_per_deck, reviews)
    marker = base / "complete"
    if marker.is_file():
        return data
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    started = time.perf_counter()
    log(f"generating {decks * cards_per_deck:,} cards and {reviews:,} reviews into {base} ...")
    make(base, decks, cards_per_deck, reviews)
    marker.write_text(f"{time.perf_counter() - started:.1f}\n")
    log(f"  done in {time.perf_counter() - started:.1f} s")
    return data


def make(out: Path, decks: int, cards_per_deck: int, reviews: int, only: str = "") -> None:
    """Run generate.py in a child process: this one stays small, and children's peak memory
    (which on Linux counts the memory of the process they were started from) stays theirs."""
    cmd = [PY, str(HERE / "generate.py"), str(out), "--decks", str(decks),
           "--cards", str(cards_per_deck), "--reviews", str(reviews)]
    if only:
        cmd += ["--only", only]
    subprocess.run(cmd, check=True)


def generation_seconds(data: Dataset) -> float | None:
    try:
        return float((data.root / "complete").read_text())
    except (OSError, ValueError):
        return None


# -- timing subprocesses ----------------------------------------------------------------------


def run(cmd: Sequence[str], env: dict[str, str] | None = None) -> Sample:
    """Run a command to its end with output to a pipe; its wall time and peak memory."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=err, env=env)
        assert proc.stdout is not None
        proc.stdout.read()
        elapsed = time.perf_counter() - started
        proc.stdout.close()
        maxrss = _reap(proc)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(
                f"{' '.join(cmd)} exited {proc.returncode}: {err.read().decode()[-2000:]}"
            )
    return Sample(elapsed, maxrss)


def first_card(
    cmd: Sequence[str], env: dict[str, str] | None = None, marker: bytes = b"answer"
) -> Sample:
    """Start a study session with pipes for stdin and stdout; the time until the first
    question's prompt appears. Then stdin is closed: end of input ends the session."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=err, env=env)
        assert proc.stdout is not None and proc.stdin is not None
        seen = b""
        fd = proc.stdout.fileno()
        while marker not in seen:
            chunk = os.read(fd, 65536)
            if not chunk:
                _reap(proc)
                err.seek(0)
                raise RuntimeError(
                    f"{' '.join(cmd)} ended before showing a card:\n{seen.decode()[-1000:]}"
                    f"\n{err.read().decode()[-2000:]}"
                )
            seen += chunk
        elapsed = time.perf_counter() - started
        proc.stdin.close()
        proc.stdout.read()
        proc.stdout.close()
        maxrss = _reap(proc)
    return Sample(elapsed, maxrss)


def _reap(proc: subprocess.Popen[bytes]) -> int:
    """Wait for the child with wait4: its own peak resident memory, in KB on Linux."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return int(usage.ru_maxrss)


# -- saving one answer, in process ------------------------------------------------------------


def append_times(progress: Path, count: int = 40, machine: str = generate.MACHINE) -> list[float]:
    """Open the store in `progress` and time `count` single-answer appends (seconds each)."""
    from awsquiz.model import CardState, Rating, Review
    from awsquiz.store.logfiles import new_review_id
    from awsquiz.store.store import Store

    store = Store.open(progress, machine=machine)
    state = CardState(2, None, 12.5, 5.1, "2026-12-10T09:00:00.000000+00:00",
                      "2026-11-28T09:00:00.000000+00:00", 4, 0)
    times = []
    for n in range(count):
        review = Review(
            id=new_review_id(), deck="bench-01", card="choice-00200",
            time=f"2026-11-28T09:{n // 60:02d}:{n % 60:02d}.000000+00:00",
            rating=Rating.GOOD, right=True, picked=("x",), ms=4000, state=state,
        )
        started = time.perf_counter()
        store.append(review)
        times.append(time.perf_counter() - started)
    return times


def copy_progress(source: Path) -> Path:
    """A scratch copy of a progress folder (appends must not change the shared data)."""
    target = Path(tempfile.mkdtemp(prefix="awsquiz-bench-append-"))
    for path in source.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


def history_only(reviews: int, decks: int, cards_per_deck: int, root: Path | None = None) -> Path:
    """A progress folder of `reviews` answers over the generated cards (made once, reused)."""
    base = (root or default_root()) / (
        f"v{DATA_VERSION}-history-{decks}x{cards_per_deck}-{reviews}"
    )
    if (base / "complete").is_file():
        return base / "progress"
    shutil.rmtree(base, ignore_errors=True)
    make(base, decks, cards_per_deck, reviews, only="history")
    (base / "complete").write_text("ok\n")
    return base / "progress"


def append_times_apart(progress: Path, count: int = 40) -> list[float]:
    """`append_times` in a child process, on a scratch copy of `progress`."""
    scratch = copy_progress(progress)
    try:
        code = (
            "import json, sys; sys.path.insert(0, sys.argv[1]); import harness; "
            "print(json.dumps(harness.append_times(harness.Path(sys.argv[2]), int(sys.argv[3]))))"
        )
        out = subprocess.run([PY, "-c", code, str(HERE), str(scratch), str(count)],
                             check=True, capture_output=True, text=True).stdout
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [float(x) for x in json.loads(out)]


def median_ms(values: Sequence[float]) -> float:
    return statistics.median(values) * 1000


# -- stats: one new answer, and importing a long history --------------------------------------


def append_one(progress: Path, n: int) -> None:
    """In a child process: one more answer in `progress`, `n` seconds after 08:30 on the
    benchmark's day (each later than the last, as a learner's are)."""
    code = (
        "import sys; from awsquiz.model import CardState, Rating, Review; "
        "from awsquiz.store.logfiles import new_review_id; from awsquiz.store.store import Store; "
        "n = int(sys.argv[2]); t = f'2026-11-28T08:{30 + n // 60:02d}:{n % 60:02d}.000000+00:00'; "
        "s = CardState(2, None, 12.5, 5.1, '2026-12-10T09:00:00.000000+00:00', t, 4, 0); "
        "Store.open(sys.argv[1], machine='bench').append(Review(id=new_review_id(), "
        "deck='bench-01', card='choice-00200', time=t, rating=Rating.GOOD, right=True, "
        "picked=('x',), ms=4000, state=s))"
    )
    subprocess.run([PY, "-c", code, str(progress), str(n)], check=True)


def import_sample(source: Path) -> Sample:
    """In a child process: every review of the log `source`, imported into an empty progress
    folder through the store (`Store.append_many` a megabyte of lines at a time, then the
    snapshot), as an import from another program would; its time and peak memory."""
    target = Path(tempfile.mkdtemp(prefix="awsquiz-bench-import-"))
    code = (
        "import sys; from awsquiz.model import Review; "
        "from awsquiz.store.reading import record_chunks; from awsquiz.store.store import Store; "
        "store = Store.open(sys.argv[2], machine='import')\n"
        "for records, *_ in record_chunks(__import__('pathlib').Path(sys.argv[1]), print):\n"
        "    store.append_many(Review.from_dict(r) for r in records)\n"
        "store.save_snapshot()"
    )
    try:
        return run([PY, "-c", code, str(source), str(target)])
    finally:
        shutil.rmtree(target, ignore_errors=True)
