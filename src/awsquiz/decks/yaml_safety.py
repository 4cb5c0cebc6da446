"""YAML safety: one document composed into nodes by the safe loader, never deeper, wider or
more aliased than a deck can need, so that no file can hang, crash or exhaust the reader.

This module imports yaml: the deck reader is loaded only when a file must be parsed.
"""

from __future__ import annotations

import operator
import re
from typing import Any

import yaml
from yaml import MappingNode, ScalarNode, SequenceNode

from awsquiz.errors import DeckError

MAX_EXPANDED_NODES = 1_000_000  # alias expansion budget: refuses "billion laughs"
MAX_DEPTH = 64
# Above this rough upper bound on the nesting, the depth is measured exactly before composing:
# libyaml's composer recurses in C (it crashes far deeper) and its scanner slows down with the
# square of the flow nesting.
DEEP_SCAN_FROM = 1000


def compose(text: str, path: str) -> Any:
    """The YAML node tree of one document, parsed by the safe loader (libyaml when present)."""
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if nesting_bound(text) > DEEP_SCAN_FROM:
        _refuse_deep_nesting(text, path, loader_class)
    loader = quickly_resolving(loader_class)(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        if context and exc.context_mark and exc.problem_mark:
            started = exc.context_mark
            context += f" (started at line {started.line + 1}, column {started.column + 1})"
        what = " ".join(p for p in (context, exc.problem) if p)
        if mark is not None and _tab_indent(text, mark.line):
            what = "a tab indents this line; tabs cannot indent YAML, use spaces"
        raise DeckError(
            path,
            f"YAML syntax error: {what}",
            line=mark.line + 1 if mark else 0,
            column=mark.column + 1 if mark else 0,
        ) from None
    except yaml.YAMLError as exc:
        raise DeckError(path, f"YAML error: {exc}") from None
    except RecursionError:
        raise DeckError(path, "the YAML is nested too deeply") from None
    finally:
        loader.dispose()


def _tab_indent(text: str, line: int) -> bool:
    """Whether a tab is in the indent of this (0-based) line."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return False
    end = text.find("\n", start)
    row = text[start:] if end < 0 else text[start:end]
    return "\t" in row[: len(row) - len(row.lstrip(" \t"))]


_QUICK_LOADERS: dict[Any, Any] = {}


def quickly_resolving(base: Any) -> Any:
    """The loader class `base` resolving the same tags with less work per node: the composer
    asks the resolver about every node, and a deck file repeats the same few plain keys."""
    if base.yaml_path_resolvers:  # none unless added: then resolving depends on the path
        return base
    quick = _QUICK_LOADERS.get(base)
    if quick is None:
        quick = _QUICK_LOADERS[base] = _make_quick_loader(base)
    return quick


def _make_quick_loader(base: Any) -> Any:
    scalar, sequence, mapping = ScalarNode, SequenceNode, MappingNode
    resolve = base.resolve

    class QuickLoader(base):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.resolved: dict[str, str] = {}  # plain scalar -> tag, for this document

        # Without path resolvers, these two do nothing and a tag depends only on the kind of
        # node and, for a plain scalar, its text (quoted ones are always strings). The
        # composer calls both for every node: C functions of the same arguments that change
        # nothing (their results are not used) are much cheaper to call than Python methods.
        descend_resolver = staticmethod(operator.is_)  # (current_node, current_index)
        ascend_resolver = staticmethod(tuple)  # ()

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is scalar:
                if implicit[0]:
                    tag = self.resolved.get(value)
                    if tag is None:
                        tag = self.resolved[value] = resolve(self, kind, value, implicit)
                    return tag
                return self.DEFAULT_SCALAR_TAG
            if kind is sequence:
                return self.DEFAULT_SEQUENCE_TAG
            if kind is mapping:
                return self.DEFAULT_MAPPING_TAG
            return resolve(self, kind, value, implicit)

    return QuickLoader


# Flow brackets, opening ones as "(" and closing ones as ")": every other ASCII character is
# deleted by str.translate (fast on ASCII text); any other character, by _NOT_FLOW.
_FLOW_ONLY = {i: None for i in range(128)} | {91: "(", 123: "(", 93: ")", 125: ")"}  # [{ ]}
_NOT_FLOW = re.compile(r"[^()]+")
# The indentation and block indicators ("- ", "? ", ": ") that open a line: a block collection
# nested inside another starts at least one column further right, or as a mapping's list.
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:[-?:](?:[ \t]+|$))*", re.M)
# The same after each line break (a leading literal lets the regex engine skip to the breaks).
_BLOCK_PREFIX_AFTER_BREAK = re.compile(r"\n([ \t]*(?:[-?:](?:[ \t]+|$))*)", re.M)


def nesting_bound(text: str) -> int:
    """A cheap upper bound on how deeply the YAML can nest (brackets in text count too)."""
    brackets = text.translate(_FLOW_ONLY)
    if not brackets.isascii():
        brackets = _NOT_FLOW.sub("", brackets)
    flow = deepest = 0
    for bracket in brackets:
        if bracket == "(":
            flow += 1
            if flow > deepest:
                deepest = flow
                if deepest > DEEP_SCAN_FROM:
                    return deepest
        elif flow:
            flow -= 1
    first = _BLOCK_PREFIX.match(text)
    block = max(
        len(first.group()) if first else 0,
        max(map(len, _BLOCK_PREFIX_AFTER_BREAK.findall(text)), default=0),
    )
    return deepest + 2 * (block + 1)


def _refuse_deep_nesting(text: str, path: str, loader_class: Any) -> None:
    """Raise DeckError where the YAML nests deeper than MAX_DEPTH, reading only parser
    events (no recursion, and no further than that point)."""
    opening = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    closing = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    loader = loader_class(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, opening):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise DeckError(
                        path,
                        f"the YAML is nested more than {MAX_DEPTH} levels deep",
                        line=mark.line + 1 if mark else 0,
                        column=mark.column + 1 if mark else 0,
                    )
            elif isinstance(event, closing):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return
    except yaml.YAMLError:
        return  # composing reports it, at the same place and no deeper than MAX_DEPTH
    finally:
        loader.dispose()


def check_shape(root: Any, text: str) -> ShapeError | None:
    """Refuse recursive aliases, alias bombs and deep nesting before reading any value."""
    try:
        if "*" not in text or "&" not in text:  # no alias: every node is read once
            _tree_size(root, 0)
        else:
            _expanded_size(root)
    except ShapeError as exc:
        return exc
    return None


def _too_deep(node: Any) -> ShapeError:
    return ShapeError(node, f"the YAML is nested more than {MAX_DEPTH} levels deep")


def _too_many(node: Any) -> ShapeError:
    return ShapeError(node, f"aliases expand to more than {MAX_EXPANDED_NODES:,} values; refused")


def _tree_size(node: Any, depth: int) -> int:
    """_expanded_size for a tree (a document without aliases): the same checks, in the same
    order, without remembering the nodes seen."""
    if depth > MAX_DEPTH:
        raise _too_deep(node)
    total = 1
    cls = node.__class__
    if cls is SequenceNode or cls is MappingNode:
        depth += 1
        scalar_ok = depth <= MAX_DEPTH
        scalar = ScalarNode
        if cls is SequenceNode:
            for child in node.value:
                if scalar_ok and child.__class__ is scalar:
                    total += 1
                else:
                    total += _tree_size(child, depth)
        else:
            for key, value in node.value:
                if scalar_ok and key.__class__ is scalar:
                    total += 1
                else:
                    total += _tree_size(key, depth)
                if scalar_ok and value.__class__ is scalar:
                    total += 1
                else:
                    total += _tree_size(value, depth)
        if total > MAX_EXPANDED_NODES:
            raise _too_many(node)
    return total


def _expanded_size(root: Any) -> int:
    """How many values the document holds once every alias is expanded."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: Any, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise ShapeError(node, "an alias refers to itself")
        if depth > MAX_DEPTH:
            raise _too_deep(node)
        on_path.add(key)
        total = 1
        if node.__class__ is SequenceNode:
            total += sum(size(child, depth + 1) for child in node.value)
        elif node.__class__ is MappingNode:
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
        on_path.discard(key)
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            raise _too_many(node)
        return total

    return size(root, 0)


class ShapeError(Exception):
    def __init__(self, node: Any, message: str) -> None:
        self.node = node
        self.message = message
