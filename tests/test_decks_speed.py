"""The deck loader's shortcuts give the same answers as the plain ways they replace."""

from __future__ import annotations

import gc
import random
import re
from pathlib import Path

import pytest
import yaml

from awsquiz.decks import yaml_safety as decks
from awsquiz.decks.deck_file import load_deck_file


def _plain_nesting_bound(text: str) -> int:
    """The nesting bound as first written: every bracket and every line prefix by regex."""
    flow = deepest = 0
    for match in re.finditer(r"[\[\]{}]", text):
        if match.group() in "[{":
            flow += 1
            if flow > deepest:
                deepest = flow
                if deepest > decks.DEEP_SCAN_FROM:
                    return deepest
        elif flow:
            flow -= 1
    prefixes = re.findall(r"^[ \t]*(?:[-?:](?:[ \t]+|$))*", text, re.M)
    return deepest + 2 * (max(map(len, prefixes), default=0) + 1)


def test_nesting_bound_matches_the_plain_count() -> None:
    rng = random.Random(8)
    texts = ["", "\n", "[" * 1200, "]" * 3 + "[{" * 40, "-\n" + " " * 700 + "- x"]
    texts += ["".join(rng.choice("[]{}()a\n -:?\té😀\r") for _ in range(rng.randint(0, 80)))
              for _ in range(3000)]
    for text in texts:
        assert decks.nesting_bound(text) == _plain_nesting_bound(text), repr(text)


def _compose(text: str) -> object:
    return yaml.compose(text, Loader=yaml.SafeLoader)


@pytest.mark.parametrize("text", [
    "a: [1, 2, {b: [3, 4]}]",
    "cards:\n" + "".join("  " * i + "- a:\n" for i in range(70)),
    "cards: " + "[" * 66 + "]" * 66,
    "cards: " + "[" * 64 + "]" * 64,
    "cards: {" + ",".join(f"k{i}" for i in range(600)) + "}",
])
def test_the_tree_count_matches_the_alias_aware_one(text: str) -> None:
    root = _compose(text)

    def outcome(count: object) -> object:
        try:
            return count()  # type: ignore[operator]
        except decks.ShapeError as exc:
            return (id(exc.node), exc.message)

    assert outcome(lambda: decks._tree_size(root, 0)) == outcome(
        lambda: decks._expanded_size(root)
    )


def test_the_quick_loader_resolves_every_tag_as_the_stock_one() -> None:
    values = ["yes", "No", "on", "~", "null", "", "1", "-1", "0x1F", "0o7", "1_000", "1.5",
              ".inf", "-.NaN", "2026-01-01", "2026-01-01 10:00:00", "<<", "=", "text",
              "'quoted'", '"yes"', "!!str 1", "!custom x", "[a, 1]", "{a: 1}"]
    text = "\n".join(f"- {v}\n- k: {v}" for v in values)
    text += "\n- {" + ", ".join(f"{v}: 1" for v in values if v and v[0] not in "'\"![{~") + "}"
    stock = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader

    def tags(node: yaml.Node) -> list[object]:
        out: list[object] = [type(node).__name__, node.tag]
        if isinstance(node, yaml.ScalarNode):
            return [*out, node.value, node.style]
        for child in node.value:
            for part in child if isinstance(child, tuple) else (child,):
                out += tags(part)
        return out

    for base in {stock, yaml.SafeLoader}:
        expected = base(text).get_single_node()
        got = decks.quickly_resolving(base)(text).get_single_node()
        assert tags(got) == tags(expected)


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_garbage_collection_as_it_was(tmp_path: Path, enabled: bool) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text("cards:\n  - question: q\n    answer: a\n", encoding="utf-8")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert load_deck_file(deck).deck is not None
        assert gc.isenabled() is enabled
        deck.write_text("cards: [", encoding="utf-8")
        assert load_deck_file(deck).deck is None
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
