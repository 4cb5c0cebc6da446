"""YAML deck files to Deck objects: safe parsing, validation with file:line:col, discovery.

The YAML is composed into nodes by libyaml's safe loader and turned into cards here, node by
node, so that every problem can name its line and column, and so that no tag ever constructs
anything but plain strings, lists and mappings.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
import stat
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from awsquiz.errors import AwsquizError
from awsquiz.model import Card, CardType, Deck, LoadResult, Problem, Severity, _trusted

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_EXPANDED_NODES = 1_000_000  # alias expansion budget: refuses "billion laughs"
MAX_DEPTH = 64
# Above this rough upper bound on the nesting, the depth is measured exactly before composing:
# libyaml's composer recurses in C (a crash past about 20,000 levels) and its scanner slows
# down with the square of the flow nesting.
DEEP_SCAN_FROM = 1000
DECK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DECK_KEYS = ("deck", "title", "description", "tags", "cards", "classify")
CARD_KEYS = (
    "id", "type", "question", "answer", "accept", "choices", "why",
    "explanation", "source", "verified", "tags",
)
CLASSIFY_KEYS = (
    "id", "question", "categories", "items", "why", "explanation", "source", "verified", "tags",
)
STR = "tag:yaml.org,2002:str"
SCALAR_TAGS = {
    STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
}
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

# yaml.nodes' classes, bound by compose(): yaml is imported only when a file is parsed.
_ScalarNode: Any = None
_SequenceNode: Any = None
_MappingNode: Any = None


class _Checker:
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
        if node.__class__ is _ScalarNode:
            tag = node.tag
            if tag in SCALAR_TAGS:
                return str(node.value)
            if tag == NULL:
                return None
        elif node is None:
            return None
        self.error(node, f"{what} must be text, not {_kind(node)}", card)
        return None

    def text_list(self, node: Any, what: str, card: str | None = None) -> list[str] | None:
        """A list of texts; a single text is taken as a list of one."""
        if node.__class__ is _SequenceNode and node.tag == SEQ:
            texts = _texts(node.value)
            if texts is not None:
                return texts
        if _is_null(node):
            return None
        if _is_scalar(node):
            value = self.text(node, what, card)
            return None if value is None else [value]
        if node.tag != SEQ:
            self.error(node, f"{what} must be a list of texts, not {_kind(node)}", card)
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
            self.error(node, f"{what} must be a mapping (key: value), not {_kind(node)}", card)
            return None
        result: dict[str, tuple[Any, Any]] = {}
        allowed_keys = tuple(allowed) if allowed is not None else None
        scalar = _ScalarNode
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


def _text(node: Any) -> str | None:
    """A scalar node's text, or None where _Checker.text would return None or a problem."""
    if node.__class__ is _ScalarNode and node.tag in SCALAR_TAGS:
        return str(node.value)
    return None


def _texts(nodes: list[Any]) -> list[str] | None:
    """Each node's text, or None if any is not plain text (for _Checker.text_list to report)."""
    texts = []
    for node in nodes:
        if node.__class__ is not _ScalarNode or node.tag not in SCALAR_TAGS:
            return None
        texts.append(str(node.value))
    return texts


def _is_scalar(node: Any) -> bool:
    return node.__class__ is _ScalarNode


def _is_null(node: Any) -> bool:
    return node is None or (_is_scalar(node) and node.tag == NULL)


def _kind(node: Any) -> str:
    if node.__class__ is _MappingNode:
        return "a mapping" if node.tag == MAP else f"a mapping tagged {node.tag}"
    if node.__class__ is _SequenceNode:
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


def read_deck_text(path: Path) -> str:
    """The file's text, or AwsquizError saying which file and what is wrong with it."""
    try:
        # Non-blocking, so that a named pipe is refused below instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
                raise AwsquizError(f"{path}: cannot read the file: it is {kind}")
            size = info.st_size
            if size > MAX_FILE_BYTES:
                raise _too_big(path, size)
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # the file may grow while it is read
            if len(data) > MAX_FILE_BYTES:
                raise _too_big(path, len(data))
        finally:
            os.close(fd)
    except OSError as exc:
        raise AwsquizError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise AwsquizError(
            f"{path}:{line}:{column}: the file is not UTF-8 text "
            f"(byte 0x{data[exc.start]:02x})",
            hint="save the deck as UTF-8",
        ) from None


def _too_big(path: Path, size: int) -> AwsquizError:
    return AwsquizError(
        f"{path}: the file is {size / 1e6:.1f} MB; deck files are limited to "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
        hint="split it into several decks",
    )


def compose(text: str, path: str) -> Any:
    """The YAML node tree of one document, parsed by the safe loader (libyaml when present)."""
    import yaml

    global _ScalarNode, _SequenceNode, _MappingNode
    _ScalarNode, _SequenceNode, _MappingNode = (
        yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
    )
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if _nesting_bound(text) > DEEP_SCAN_FROM:
        _refuse_deep_nesting(text, path, loader_class)
    loader = _quickly_resolving(loader_class)(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        context = exc.context or ""
        if context and exc.context_mark and exc.problem_mark:
            started = exc.context_mark
            context += f" (started at line {started.line + 1}, column {started.column + 1})"
        what = " ".join(p for p in (context, exc.problem) if p)
        raise AwsquizError(f"{where}: YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise AwsquizError(f"{path}: YAML error: {exc}") from None
    except RecursionError:
        raise AwsquizError(f"{path}: the YAML is nested too deeply") from None
    finally:
        loader.dispose()


# Flow brackets, opening ones as "(" and closing ones as ")": every other ASCII character is
# deleted by str.translate (fast on ASCII text); any other character, by _NOT_FLOW.
_QUICK_LOADERS: dict[Any, Any] = {}


def _quickly_resolving(base: Any) -> Any:
    """The loader class `base` resolving the same tags with less work per node: the composer
    asks the resolver about every node, and a deck file repeats the same few plain keys."""
    if base.yaml_path_resolvers:  # none unless added: then resolving depends on the path
        return base
    quick = _QUICK_LOADERS.get(base)
    if quick is None:
        quick = _QUICK_LOADERS[base] = _make_quick_loader(base)
    return quick


def _make_quick_loader(base: Any) -> Any:
    scalar, sequence, mapping = _ScalarNode, _SequenceNode, _MappingNode
    resolve = base.resolve

    class QuickLoader(base):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.resolved: dict[str, str] = {}  # plain scalar -> tag, for this document

        # Without path resolvers, these two do nothing and a tag depends only on the kind of
        # node and, for a plain scalar, its text (quoted ones are always strings).
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

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


_FLOW_ONLY = {i: None for i in range(128)} | {91: "(", 123: "(", 93: ")", 125: ")"}  # [{ ]}
_NOT_FLOW = re.compile(r"[^()]+")
# The indentation and block indicators ("- ", "? ", ": ") that open a line: a block collection
# nested inside another starts at least one column further right, or as a mapping's list.
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:[-?:](?:[ \t]+|$))*", re.M)
# The same after each line break (a leading literal lets the regex engine skip to the breaks).
_BLOCK_PREFIX_AFTER_BREAK = re.compile(r"\n([ \t]*(?:[-?:](?:[ \t]+|$))*)", re.M)


def _nesting_bound(text: str) -> int:
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
    """Raise AwsquizError where the YAML nests deeper than MAX_DEPTH, reading only parser
    events (no recursion, and no further than that point)."""
    import yaml

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
                    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
                    raise AwsquizError(
                        f"{where}: the YAML is nested more than {MAX_DEPTH} levels deep"
                    )
            elif isinstance(event, closing):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return
    except yaml.YAMLError:
        return  # composing reports it, at the same place and no deeper than MAX_DEPTH
    finally:
        loader.dispose()


def _check_shape(root: Any, checker: _Checker, text: str) -> bool:
    """Refuse recursive aliases, alias bombs and deep nesting before reading any value."""
    try:
        if "*" not in text or "&" not in text:  # no alias: every node is read once
            _tree_size(root, 0)
        else:
            _expanded_size(root)
    except _ShapeError as exc:
        checker.error(exc.node, exc.message)
        return False
    return True


def _too_deep(node: Any) -> _ShapeError:
    return _ShapeError(node, f"the YAML is nested more than {MAX_DEPTH} levels deep")


def _too_many(node: Any) -> _ShapeError:
    return _ShapeError(node, f"aliases expand to more than {MAX_EXPANDED_NODES:,} values; refused")


def _tree_size(node: Any, depth: int) -> int:
    """_expanded_size for a tree (a document without aliases): the same checks, in the same
    order, without remembering the nodes seen."""
    if depth > MAX_DEPTH:
        raise _too_deep(node)
    total = 1
    cls = node.__class__
    if cls is _SequenceNode or cls is _MappingNode:
        depth += 1
        scalar_ok = depth <= MAX_DEPTH
        scalar = _ScalarNode
        if cls is _SequenceNode:
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
            raise _ShapeError(node, "an alias refers to itself")
        if depth > MAX_DEPTH:
            raise _too_deep(node)
        on_path.add(key)
        total = 1
        if node.__class__ is _SequenceNode:
            total += sum(size(child, depth + 1) for child in node.value)
        elif node.__class__ is _MappingNode:
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
        on_path.discard(key)
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            raise _too_many(node)
        return total

    return size(root, 0)


class _ShapeError(Exception):
    def __init__(self, node: Any, message: str) -> None:
        self.node = node
        self.message = message


def load_deck_file(path: Path | str) -> LoadResult:
    """Parse and validate one deck file, reporting every problem in it at once."""
    # The node tree holds no reference cycle (but for a recursive alias, freed once collection
    # resumes), yet its tens of thousands of objects would set off collections all along.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_deck_file(Path(path))
    finally:
        if collecting:
            gc.enable()


def _load_deck_file(path: Path) -> LoadResult:
    shown = str(path)
    try:
        text = read_deck_text(path)
        if "\x00" in text:
            at = text.index("\x00")
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            raise AwsquizError(
                f"{shown}:{line}:{column}: the file contains a NUL byte; not a text file"
            )
        root = compose(text, shown)
    except AwsquizError as exc:
        return LoadResult(shown, None, [_problem_from_error(shown, exc.message)])
    checker = _Checker(shown)
    if root is None or _is_null(root):
        if not text.strip():
            checker.error(None, "the file is empty; a deck needs 'cards' or 'classify'")
        else:  # only comments, directives or a null: point at where the deck should be
            where = root.start_mark if root is not None else None
            checker.problems.append(Problem(
                shown,
                where.line + 1 if where else 1,
                where.column + 1 if where else 1,
                "the file holds no deck, only comments or an empty document; "
                "a deck needs 'cards' or 'classify'",
            ))
        return LoadResult(shown, None, checker.problems)
    if not _check_shape(root, checker, text):
        return LoadResult(shown, None, checker.problems)
    deck = _read_deck(root, path, checker)
    problems = sorted(checker.problems, key=lambda p: (p.line, p.column))
    result = LoadResult(shown, deck, problems)
    if result.errors:
        result.deck = None
    return result


def _problem_from_error(path: str, message: str) -> Problem:
    match = re.match(re.escape(path) + r":(\d+):(\d+): (.*)$", message, re.S)
    if match:
        return Problem(path, int(match[1]), int(match[2]), match[3])
    return Problem(path, 0, 0, message.removeprefix(f"{path}: "))


def _read_deck(root: Any, path: Path, checker: _Checker) -> Deck | None:
    fields = checker.mapping(root, "a deck file", DECK_KEYS)
    if fields is None:
        return None
    deck_id = path.stem
    if "deck" in fields:
        deck_id = checker.text(fields["deck"][1], "'deck'") or deck_id
        id_node = fields["deck"][1]
    else:
        id_node = root
    if not DECK_ID.match(deck_id):
        checker.error(
            id_node,
            f"deck id '{deck_id}' must be lowercase letters, digits and '-'"
            + ("" if "deck" in fields else " (it comes from the file name; set 'deck:')"),
        )
    title = _optional_text(fields, "title", checker) or deck_id
    description = _optional_text(fields, "description", checker) or ""
    deck_tags = _optional_list(fields, "tags", checker) or []

    cards: list[Card] = []
    seen: dict[str, Any] = {}
    if "cards" not in fields and "classify" not in fields:
        checker.error(root, "the deck has no 'cards' (or 'classify') list")
    if "cards" in fields:
        for item in _items(fields["cards"][1], "'cards'", checker):
            card = _read_card(item, deck_id, deck_tags, checker)
            if card is not None:
                _add_card(card, item, cards, seen, checker)
            elif (raw_id := _raw_text(item, "id")) is not None:
                if raw_id in seen:
                    first = seen[raw_id].start_mark.line + 1
                    checker.error(item, f"duplicate card id (first used on line {first})", raw_id)
                seen.setdefault(raw_id, item)
    if "classify" in fields:
        for item in _items(fields["classify"][1], "'classify'", checker):
            for card, node in _read_classify(item, deck_id, deck_tags, checker):
                _add_card(card, node, cards, seen, checker)
    if not cards and not checker.problems:
        checker.error(root, "the deck has no cards")
    return Deck(deck_id, title, description, str(path), tuple(cards), tuple(deck_tags))


def _items(node: Any, what: str, checker: _Checker) -> Iterator[Any]:
    if _is_null(node):
        return
    if node.tag != SEQ:
        checker.error(node, f"{what} must be a list, not {_kind(node)}")
        return
    yield from node.value


def _add_card(
    card: Card, node: Any, cards: list[Card], seen: dict[str, Any], checker: _Checker
) -> None:
    if card.id in seen:
        if card.id_derived:
            base, n = card.id, 2
            while f"{base}-{n}" in seen:
                n += 1
            card = _replace_id(card, f"{base}-{n}")
        else:
            first = seen[card.id].start_mark.line + 1
            checker.error(node, f"duplicate card id (first used on line {first})", card.id)
            return
    seen[card.id] = node
    cards.append(card)


def _replace_id(card: Card, new_id: str) -> Card:
    from dataclasses import replace

    return replace(card, id=new_id)


def _optional_text(
    fields: dict[str, tuple[Any, Any]], key: str, checker: _Checker, card: str | None = None
) -> str | None:
    if key not in fields:
        return None
    node = fields[key][1]
    value = _text(node)
    return value if value is not None else checker.text(node, f"'{key}'", card)


def _optional_list(
    fields: dict[str, tuple[Any, Any]], key: str, checker: _Checker, card: str | None = None
) -> list[str] | None:
    if key not in fields:
        return None
    return checker.text_list(fields[key][1], f"'{key}'", card)


_WEB_ADDRESS = re.compile(r"^https?://\S+$")


def _read_common(
    fields: dict[str, tuple[Any, Any]], name: str | None, checker: _Checker
) -> tuple[str, str, str | None, list[str]]:
    explanation = _optional_text(fields, "explanation", checker, name) or ""
    source = _optional_text(fields, "source", checker, name) or ""
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
    tags = _optional_list(fields, "tags", checker, name) or []
    return explanation, source, verified, tags


def _raw_text(node: Any, key: str) -> str | None:
    """A mapping's text value for `key` as written, before validation (None if absent)."""
    if node.tag != MAP:
        return None
    for key_node, value_node in node.value:
        if (
            key_node.__class__ is _ScalarNode
            and key_node.value == key
            and value_node.__class__ is _ScalarNode
            and value_node.tag in SCALAR_TAGS
        ):
            return str(value_node.value)
    return None


_CARD_TYPES = [t.value for t in CardType]


def _read_card(node: Any, deck_id: str, deck_tags: list[str], checker: _Checker) -> Card | None:
    errors_before = len(checker.problems)
    raw_id = _raw_text(node, "id")
    derived = raw_id is None
    name = raw_id or slugify(_raw_text(node, "question") or "card")
    fields = checker.mapping(node, "a card", CARD_KEYS, name)
    if fields is None:
        return None
    question = _optional_text(fields, "question", checker, name)
    if not derived and not CARD_ID.match(name or ""):
        checker.error(
            fields["id"][1], "a card id must be letters, digits, '-', '_' or '.'", name
        )
    if "question" not in fields or (question is not None and not question.strip()):
        checker.error(node, "missing 'question'", name)

    card_type = CardType.BASIC
    if "type" in fields:
        raw_type = checker.text(fields["type"][1], "'type'", name)
        types = _CARD_TYPES
        if raw_type is not None and raw_type not in types:
            close = difflib.get_close_matches(raw_type, types, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            checker.error(
                fields["type"][1],
                f"type '{raw_type}' is not one of basic, choice, multi{hint}",
                name,
            )
        elif raw_type is not None:
            card_type = CardType(raw_type)

    choices = _read_choices(fields, card_type, checker, name)
    answers = _read_answers(node, fields, card_type, choices, checker, name)
    accept = _optional_list(fields, "accept", checker, name) or []
    if accept and card_type is not CardType.BASIC:
        checker.error(fields["accept"][0], "'accept' applies only to basic cards", name)
    why = _read_why(fields, choices, answers, checker, name)
    explanation, source, verified, tags = _read_common(fields, name, checker)

    if derived:
        checker.warn(
            node, "card has no 'id'; editing its question will reset its progress", name
        )
    if not explanation:
        checker.warn(node, "card has no 'explanation'", name)
    if not source:
        checker.warn(node, "card has no 'source'", name)
    if _has_errors(checker, errors_before) or not question or answers is None:
        return None
    return _trusted(Card, {  # every field, in order, as Card(...) would set them
        "deck": deck_id,
        "id": name or "",
        "type": card_type,
        "question": question,
        "answers": tuple(answers),
        "choices": tuple(choices or ()),
        "accept": tuple(accept),
        "why": why,
        "explanation": explanation,
        "source": source,
        "verified": verified,
        "tags": tuple(dict.fromkeys(deck_tags + tags)),
        "line": node.start_mark.line + 1,
        "id_derived": derived,
    })


def _has_errors(checker: _Checker, since: int) -> bool:
    problems = checker.problems
    return len(problems) > since and any(p.severity is Severity.ERROR for p in problems[since:])


def _read_choices(
    fields: dict[str, tuple[Any, Any]], card_type: CardType, checker: _Checker, name: str | None
) -> list[str] | None:
    if card_type is CardType.BASIC:
        if "choices" in fields:
            checker.error(
                fields["choices"][0], "'choices' needs 'type: choice' or 'type: multi'", name
            )
        return None
    if "choices" not in fields:
        return None  # reported with the answer, which then has nothing to match
    node = fields["choices"][1]
    choices = checker.text_list(node, "'choices'", name)
    if choices is None:
        return None
    if len(choices) < 2:
        checker.error(node, f"a {card_type.value} card needs at least 2 choices", name)
    folded: dict[str, int] = {}
    for index, choice in enumerate(choices):
        key = choice.strip().casefold()
        if key in folded:
            checker.error(_child(node, index), f"choice '{choice}' is listed twice", name)
        folded[key] = index
    return choices


def _child(node: Any, index: int) -> Any:
    if node.tag == SEQ and index < len(node.value):
        return node.value[index]
    return node


def _read_answers(
    card_node: Any,
    fields: dict[str, tuple[Any, Any]],
    card_type: CardType,
    choices: list[str] | None,
    checker: _Checker,
    name: str | None,
) -> list[str] | None:
    if card_type is not CardType.BASIC and "choices" not in fields:
        checker.error(card_node, f"a {card_type.value} card needs 'choices'", name)
    if "answer" not in fields or _is_null(fields["answer"][1]):
        checker.error(card_node, "missing 'answer'", name)
        return None
    node = fields["answer"][1]
    if card_type is CardType.MULTI:
        answers = checker.text_list(node, "'answer'", name)
        if answers is None:
            return None
        if len(answers) < 2:
            checker.error(
                node,
                "a multi card needs a list of at least 2 right answers "
                "(use 'type: choice' for one)",
                name,
            )
        if len(set(answers)) != len(answers):
            checker.error(node, "an answer is listed twice", name)
    else:
        answer = checker.text(node, "'answer'", name)
        if answer is None:
            return None
        if not answer.strip():
            checker.error(node, "'answer' is empty", name)
        answers = [answer]
    if choices is not None:
        for index, answer in enumerate(answers):
            if answer not in choices:
                close = difflib.get_close_matches(answer, choices, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                target = _child(node, index) if card_type is CardType.MULTI else node
                checker.error(target, f"answer '{answer}' is not one of its choices{hint}", name)
        if card_type is CardType.MULTI and choices and set(answers) >= set(choices):
            checker.error(node, "every choice is an answer; add a wrong choice", name)
    return answers


def _read_why(
    fields: dict[str, tuple[Any, Any]],
    choices: list[str] | None,
    answers: list[str] | None,
    checker: _Checker,
    name: str | None,
) -> dict[str, str]:
    if "why" not in fields:
        return {}
    node = fields["why"][1]
    if choices is None:
        checker.error(fields["why"][0], "'why' explains wrong choices; the card has none", name)
        return {}
    why_fields = checker.mapping(node, "'why'", None, name)
    why: dict[str, str] = {}
    for key, (key_node, value_node) in (why_fields or {}).items():
        if key not in choices:
            checker.error(key_node, f"why '{key}': not one of the card's choices", name)
        elif answers and key in answers:
            checker.error(key_node, f"why '{key}': that choice is a right answer", name)
        value = _text(value_node)
        if value is None:
            value = checker.text(value_node, f"why '{key}'", name)
        if value is not None:
            why[key] = value
    return why


def _read_classify(
    node: Any, deck_id: str, deck_tags: list[str], checker: _Checker
) -> Iterator[tuple[Card, Any]]:
    """The classify shorthand: one choice card per item, all with the same categories."""
    errors_before = len(checker.problems)
    fields = checker.mapping(node, "a classify block", CLASSIFY_KEYS)
    if fields is None:
        return
    prefix = _optional_text(fields, "id", checker)
    template = _optional_text(fields, "question", checker)
    name = prefix or "classify"
    if not template:
        checker.error(node, "missing 'question' (use {item} where the item goes)", name)
    elif "{item}" not in template:
        checker.error(fields["question"][1], "the question needs {item} where the item goes", name)
    categories = None
    if "categories" not in fields:
        checker.error(node, "missing 'categories'", name)
    else:
        categories = checker.text_list(fields["categories"][1], "'categories'", name)
        if categories is not None and len(categories) < 2:
            checker.error(fields["categories"][1], "needs at least 2 categories", name)
    explanation, source, verified, tags = _read_common(fields, name, checker)
    why_node = fields.get("why")
    why_fields = checker.mapping(why_node[1], "'why'", None, name) if why_node else {}
    why: dict[str, str] = {}
    for key, (key_node, value_node) in (why_fields or {}).items():
        if categories is not None and key not in categories:
            checker.error(key_node, f"why '{key}': not one of the categories", name)
        value = _text(value_node)
        if value is None:
            value = checker.text(value_node, f"why '{key}'", name)
        if value is not None:
            why[key] = value
    if prefix is None:
        checker.warn(node, "classify block has no 'id'; its cards' ids come from the items")
    if not explanation:
        checker.warn(node, "classify block has no 'explanation'", name)
    if not source:
        checker.warn(node, "classify block has no 'source'", name)
    items = None
    if "items" in fields:
        items = checker.mapping(fields["items"][1], "'items'", None, name)
    if "items" not in fields:
        checker.error(node, "missing 'items' (item: category)", name)
    if _has_errors(checker, errors_before) or not template or categories is None:
        return
    for item, (key_node, value_node) in (items or {}).items():
        card_id = f"{prefix}-{slugify(item)}" if prefix else slugify(item)
        category = _text(value_node)
        if category is None:
            category = checker.text(value_node, f"the category of '{item}'", card_id)
        if category is None:
            continue
        if category not in categories:
            close = difflib.get_close_matches(category, categories, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            checker.error(value_node, f"'{category}' is not one of the categories{hint}", card_id)
            continue
        card = _trusted(Card, {  # every field, in order, as Card(...) would set them
            "deck": deck_id,
            "id": card_id,
            "type": CardType.CHOICE,
            "question": template.replace("{item}", item),
            "answers": (category,),
            "choices": tuple(categories),
            "accept": (),
            "why": {k: v for k, v in why.items() if k != category},
            "explanation": explanation,
            "source": source,
            "verified": verified,
            "tags": tuple(dict.fromkeys(deck_tags + tags)),
            "line": key_node.start_mark.line + 1,
            "id_derived": False,
        })
        yield card, key_node


# Discovery ----------------------------------------------------------------------------------
