"""Where decks and progress come from, as the command line and the environment say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from awsquiz.decks.library import Library, load_library
from awsquiz.store.logfiles import Warn, progress_folder
from awsquiz.system import paths

if TYPE_CHECKING:
    from awsquiz.store.store import Store


@dataclass(frozen=True)
class Where:
    """Deck folders (--decks), the progress folder (--progress), and how to warn."""

    deck_dirs: Sequence[Path] = ()
    progress: Path | None = None
    warn: Warn = field(default=lambda message: None)

    @property
    def folder(self) -> Path:
        """The progress folder."""
        return paths.progress_dir(self.progress)

    def library(self, selection: Sequence[str] = (), *, quiet: bool = False) -> Library:
        """The decks (see `load_library`); a broken deck file is left out with a warning,
        unless `quiet` (the same files were read, and warned about, already)."""
        return load_library(
            self.deck_dirs, selection, warn=(lambda message: None) if quiet else self.warn
        )

    def made_folder(self) -> Path:
        """The progress folder, made if missing (an error if it is a file)."""
        return progress_folder(self.folder)

    def store(self, *, load: bool = True) -> Store:
        """The progress store, read and caught up unless `load` is False (see Store.at)."""
        from awsquiz.store.store import Store  # not for commands that only read caches

        store = Store.at(self.folder, warn=self.warn)
        return store.load() if load else store
