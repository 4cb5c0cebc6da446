"""A new user's install: build the wheel, install it in a fresh virtual environment, and run
the console script from another folder. Also keeps the editor schema in step with the loader."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from awsquiz.decks.cards import CARD_KEYS
from awsquiz.decks.classify import CLASSIFY_KEYS
from awsquiz.decks.deck_file import DECK_KEYS

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_finds_the_bundled_decks(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # Build offline when the build backend is at hand; otherwise pip fetches it.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", str(dist),
         str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("awsquiz-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # The new environment borrows this one's packages (pip, typer, ...) through a .pth file:
    # `system_site_packages` would give it the base interpreter's, which lack them when the
    # tests run inside a virtual environment. A .pth line adds a folder without reading the
    # .pth files inside it, so an editable install of awsquiz here is not seen there.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "borrowed.pth").write_text("\n".join(sorted(here)) + "\n")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall",
         str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWSQUIZ_DECKS")}
    env["PYTHONPATH"] = ""
    result = subprocess.run(
        [str(env_dir / "bin" / "awsquiz"), "decks", "--json"],
        cwd=elsewhere, capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stderr
    decks = json.loads(result.stdout)
    assert {d["id"] for d in decks} >= {"shared-responsibility", "encryption", "root-user"}
    assert all(d["path"].startswith(str(env_dir)) for d in decks)  # the wheel, not a checkout
    cards = subprocess.run(
        [str(env_dir / "bin" / "awsquiz"), "cards", "--json"],
        cwd=elsewhere, capture_output=True, text=True, env=env,
    )
    assert cards.returncode == 0, cards.stderr
    assert len(json.loads(cards.stdout)) >= 180


def test_schema_knows_exactly_the_keys_the_loader_takes() -> None:
    schema = json.loads((ROOT / "decks" / "deck.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]) == set(DECK_KEYS)
    assert set(schema["$defs"]["card"]["properties"]) == set(CARD_KEYS)
    assert set(schema["$defs"]["classify"]["properties"]) == set(CLASSIFY_KEYS)
