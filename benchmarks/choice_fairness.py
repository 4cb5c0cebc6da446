"""How test-wise the bundled decks' choices are: can a learner score by picking the longest?

    python benchmarks/choice_fairness.py [DECK_FILE_OR_FOLDER ...]

Prints, for all the decks and for each one, the share of choice and multi cards whose keyed
answer is the longest choice or at least 1.5x the wrong choices' mean length, and the share of
wrong choices with a `why` note. tests/test_bundled_decks.py holds the bundled decks to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from awsquiz.decks.advice import fairness
from awsquiz.decks.discovery import files_in
from awsquiz.decks.library import load_files
from awsquiz.system.paths import bundled_decks_dir


def main(targets: list[str]) -> None:
    library = load_files(files_in([Path(t) for t in targets] or [bundled_decks_dir()]))
    print("all decks")
    for line in fairness(library.cards()).lines():
        print(f"  {line}")
    for deck in library.decks:
        print(deck.id)
        for line in fairness(deck.cards).lines():
            print(f"  {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
