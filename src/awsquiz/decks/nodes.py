"""Reading YAML nodes as deck values: every problem recorded with its line and column, and
reading goes on, so that a file's problems are all reported at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from yaml import MappingNode, ScalarNode, SequenceNode

from awsquiz.model import Problem, Severity

STR = "tag:yaml.org,2002:str"
SCALAR_TAGS = {
    STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
}
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


class Checker:
    """Walks one file's YAML nodes, collecting problems instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: Any, message: str, card: str | None = None) -> None:
        self._add(node, message, card, Severity.ERROR)

    def warn(self, node: Any, message: str, card: str | None = None) -> None:
        self._add(node, message, card, Severity.WARNING)

    def _add(self, node: Any, message: str, card: str | None, severity: Severity) -> None:
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (0, 0)
        self.problems.append(Problem(self.path, line, col, message, card, severity))

    # Typed readers: each returns None (after recording a problem) when the node is unusable.

    def text(self, node: Any, what: str, card: str | None = None) -> str | None:
        if node.__class__ is ScalarNode:
            tag = node.tag
            if tag in SCALAR_TAGS:
                return str(node.value)
            if tag == NULL:
                return None
        elif node is None:
            return None
        self.error(node, f"{what} must be text, not {kind_of(node)}", card)
        return None

    def text_list(self, node: Any, what: str, card: str | None = None) -> list[str] | None:
        """A list of texts; a single text is taken as a list of one."""
        if node.__class__ is SequenceNode and node.tag == SEQ:
            texts = plain_texts(node.value)
            if texts is not None:
                return texts
        if is_null(node):
            return None
        if is_scalar(node):
            value = self.text(node, what, card)
            return None if value is None else [value]
        if node.tag != SEQ:
            self.error(node, f"{what} must be a list of texts, not {kind_of(node)}", card)
            return None
        values = [self.text(item, f"each item of {what}", card) for item in node.value]
        if any(v is None for v in values):
            return None
        return [v for v in values if v is not None]

    def mapping(
        self, node: Any, what: str, allowed: Iterable[str] | None, card: str | None = None
    ) -> dict[str, tuple[Any, Any]] | None:
        """A mapping as {key: (key node, value node)}; unknown and repeated keys are problems."""
        if node.tag != MAP:
            self.error(node, f"{what} must be a mapping (key: value), not {kind_of(node)}", card)
            return None
        result: dict[str, tuple[Any, Any]] = {}
        allowed_keys = tuple(allowed) if allowed is not None else None
        scalar = ScalarNode
        for key_node, value_node in node.value:
            key: str | None
            if key_node.__class__ is scalar and key_node.tag in SCALAR_TAGS:
                key = str(key_node.value)
            else:
                key = self.text(key_node, "a key", card)
            if key is None:
                continue
            if allowed_keys is not None and key not in allowed_keys:
                close = difflib.get_close_matches(key, allowed_keys, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                known = ", ".join(allowed_keys)
                self.error(key_node, f"unknown key '{key}'{hint}; {what} takes: {known}", card)
                continue
            if key in result:
                self.error(key_node, f"'{key}' is given twice", card)
                continue
            result[key] = (key_node, value_node)
        return result


def plain_text(node: Any) -> str | None:
    """A scalar node's text, or None where Checker.text would return None or a problem."""
    if node.__class__ is ScalarNode and node.tag in SCALAR_TAGS:
        return str(node.value)
    return None


def plain_texts(nodes: list[Any]) -> list[str] | None:
    """Each node's text, or None if any is not plain text (for Checker.text_list to report)."""
    texts = []
    for node in nodes:
        if node.__class__ is not ScalarNode or node.tag not in SCALAR_TAGS:
            return None
        texts.append(str(node.value))
    return texts


def is_scalar(node: Any) -> bool:
    return node.__class__ is ScalarNode


def is_null(node: Any) -> bool:
    return node is None or (is_scalar(node) and node.tag == NULL)


def kind_of(node: Any) -> str:
    if node.__class__ is MappingNode:
        return "a mapping" if node.tag == MAP else f"a mapping tagged {node.tag}"
    if node.__class__ is SequenceNode:
        return "a list" if node.tag == SEQ else f"a list tagged {node.tag}"
    if node.tag == NULL:
        return "empty"
    if node.tag not in SCALAR_TAGS:
        return f"a value tagged {node.tag}"
    return "text"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 48) -> str:
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "card"



def items(node: Any, what: str, checker: Checker) -> Iterator[Any]:
    if is_null(node):
        return
    if node.tag != SEQ:
        checker.error(node, f"{what} must be a list, not {kind_of(node)}")
        return
    yield from node.value



def optional_text(
    fields: dict[str, tuple[Any, Any]], key: str, checker: Checker, card: str | None = None
) -> str | None:
    if key not in fields:
        return None
    node = fields[key][1]
    value = plain_text(node)
    return value if value is not None else checker.text(node, f"'{key}'", card)


def optional_list(
    fields: dict[str, tuple[Any, Any]], key: str, checker: Checker, card: str | None = None
) -> list[str] | None:
    if key not in fields:
        return None
    return checker.text_list(fields[key][1], f"'{key}'", card)


_WEB_ADDRESS = re.compile(r"^https?://\S+$")


def read_common(
    fields: dict[str, tuple[Any, Any]], name: str | None, checker: Checker
) -> tuple[str, str, str | None, list[str]]:
    explanation = optional_text(fields, "explanation", checker, name) or ""
    source = optional_text(fields, "source", checker, name) or ""
    if source and not _WEB_ADDRESS.match(source):
        checker.error(fields["source"][1], f"source '{source}' is not a web address", name)
    verified = None
    if "verified" in fields:
        raw = checker.text(fields["verified"][1], "'verified'", name)
        if raw is not None:
            try:
                verified = date.fromisoformat(raw).isoformat()
            except ValueError:
                checker.error(
                    fields["verified"][1], f"verified '{raw}' is not a date (YYYY-MM-DD)", name
                )
    tags = optional_list(fields, "tags", checker, name) or []
    return explanation, source, verified, tags


def raw_text(node: Any, key: str) -> str | None:
    """A mapping's text value for `key` as written, before validation (None if absent)."""
    if node.tag != MAP:
        return None
    for key_node, value_node in node.value:
        if (
            key_node.__class__ is ScalarNode
            and key_node.value == key
            and value_node.__class__ is ScalarNode
            and value_node.tag in SCALAR_TAGS
        ):
            return str(value_node.value)
    return None



def has_errors(checker: Checker, since: int) -> bool:
    problems = checker.problems
    return len(problems) > since and any(p.severity is Severity.ERROR for p in problems[since:])


def child(node: Any, index: int) -> Any:
    if node.tag == SEQ and index < len(node.value):
        return node.value[index]
    return node


def warn_missing(
    node: Any, checker: Checker, name: str | None, *, derived: bool, explanation: str,
    source: str,
) -> None:
    if derived:
        what = "question" if raw_text(node, "text") is None else "text"
        checker.warn(
            node, f"card has no 'id'; editing its {what} will reset its progress", name
        )
    if not explanation:
        checker.warn(node, "card has no 'explanation'", name)
    if not source:
        checker.warn(node, "card has no 'source'", name)


def read_notes(
    node: Any,
    checker: Checker,
    name: str | None,
    problem: Callable[[str], str | None],
) -> dict[str, str]:
    """A `why` mapping of texts by key; `problem(key)` says what is wrong with a key (an
    error at the key), or None. Every problem is recorded and reading goes on."""
    notes: dict[str, str] = {}
    for key, (key_node, value_node) in (checker.mapping(node, "'why'", None, name) or {}).items():
        wrong = problem(key)
        if wrong is not None:
            checker.error(key_node, wrong, name)
        value = plain_text(value_node)
        if value is None:
            value = checker.text(value_node, f"why '{key}'", name)
        if value is not None:
            notes[key] = value
    return notes
