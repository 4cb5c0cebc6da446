"""JSON for the review logs' reading and for the caches: orjson, much faster than the
standard library on what a command reads as it starts (a card's glance for every card
studied, the deck caches) and on a first run's log lines (benchmarks/RESULTS.md).

What is written for people or other programs (the review log's lines, `--json` output,
config.json) stays with the standard library's formatting.
"""

from __future__ import annotations

from typing import Any

import orjson

loads = orjson.loads


def dumps(document: Any) -> bytes:
    """Compact JSON; a value orjson refuses (an integer beyond 64 bits, from a hand-edited
    log, say) is written by the standard library instead."""
    try:
        return orjson.dumps(document)
    except TypeError:
        import json

        return json.dumps(document, separators=(",", ":")).encode("utf-8")


def reference_loads(text: str | bytes) -> Any:
    """The standard library's reading, the format's reference, for what orjson refuses;
    ValueError, never RecursionError, for a document nested too deeply to read."""
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
