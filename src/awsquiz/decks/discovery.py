"""Finding deck files: the deck folders (bundled, AWSQUIZ_DECKS, --decks), paths named on the
command line, and decks chosen by id or path."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from awsquiz.errors import AwsquizError
from awsquiz.system import paths


class HasId(Protocol):
    """A deck or its index entry: what choosing decks by id or path needs."""

    @property
    def id(self) -> str: ...

    @property
    def path(self) -> str: ...


D = TypeVar("D", bound=HasId)


def find_deck_files(
    extra_dirs: Sequence[Path], selection: Sequence[str] = ()
) -> tuple[list[Path], int]:
    """Deck files: those named in `selection` first (they win over a folder deck of the same
    id), then every deck folder's; and how many were named."""
    for folder in extra_dirs:
        if not folder.is_dir():
            raise AwsquizError(f"--decks {folder}: no such folder")
    named = [Path(s) for s in selection if looks_like_path(s)]
    folders = [d for d in paths.deck_dirs(list(extra_dirs)) if d.is_dir()]
    return files_in([*named, *folders]), len(files_in(named))


YAML_SUFFIXES = (".yaml", ".yml")


def deck_files(folder: Path) -> list[Path]:
    """Every YAML file under a folder, sorted; symbolic links to folders are not followed."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / f for f in sorted(files) if f.endswith(YAML_SUFFIXES)]
    return found


def files_in(targets: Iterable[Path]) -> list[Path]:
    """Deck files named by targets: files as given, folders searched; unique by real path."""
    seen: set[str] = set()
    result: list[Path] = []
    for path in targets:
        if path.is_dir():
            candidates = deck_files(path)
        elif path.exists():
            candidates = [path]
        else:
            raise AwsquizError(f"{path}: no such file or folder")
        for candidate in candidates:
            real = paths.real_path(candidate)
            if real not in seen:
                seen.add(real)
                result.append(candidate)
    return result


def looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or os.sep in name or Path(name).exists()


def select(decks: Sequence[D], names: Sequence[str]) -> list[D]:
    """Decks by id or path, in the order given; unknown ids get a did-you-mean."""
    chosen: list[D] = []
    ids = [d.id for d in decks]
    for name in names:
        if looks_like_path(name):
            real = os.path.realpath(name)
            inside = real.rstrip(os.sep) + os.sep
            matches = [
                d for d in decks
                if os.path.realpath(d.path) == real or os.path.realpath(d.path).startswith(inside)
            ]
        else:
            matches = [d for d in decks if d.id == name]
        if not matches:
            import difflib

            close = difflib.get_close_matches(name, ids, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise AwsquizError(
                f"no deck '{name}'",
                hint=f"{hint}'awsquiz decks' lists them: {', '.join(ids) or 'none'}",
            )
        chosen += [d for d in matches if d not in chosen]
    return chosen

