"""Card text to and from the HTML of Anki fields.

Anki fields are HTML: text is escaped and line breaks become `<br>` on the way out; on the
way in `<br>` and block elements become line breaks, entities are decoded and every tag is
stripped. An element whose class starts with `awsquiz-` (written by the export: the choices,
the right answers, the explanation...) is read into its own bucket, so a card converted to
Anki and back keeps its parts apart.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

MARK = "awsquiz-"
_BLOCK = {"div", "p", "li", "tr", "ol", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "table",
          "blockquote", "pre", "hr"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed"}
_SKIP = {"script", "style"}


def to_html(text: str) -> str:
    """Plain text as an Anki field: escaped, line breaks as `<br>`."""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def marked(kind: str, text: str, tag: str = "div", hidden: bool = False) -> str:
    """`text` in an element of class `awsquiz-<kind>`, read back into its own bucket."""
    style = ' style="display:none"' if hidden else ""
    return f'<{tag} class="{MARK}{kind}"{style}>{to_html(text)}</{tag}>'


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.main: list[str] = []
        self.buckets: dict[str, list[str]] = {}
        self.stack: list[tuple[str, str | None, list[str]]] = []  # open: tag, kind, its text
        self.skipping = 0

    def _out(self) -> list[str]:
        """Where text goes now: the innermost open awsquiz- element, or the main text."""
        for _, kind, parts in reversed(self.stack):
            if kind is not None:
                return parts
        return self.main

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _VOID:
            self.handle_startendtag(tag, attrs)
        else:
            if tag in _BLOCK:
                self._out().append("\n")
            classes = next((v or "" for name, v in attrs if name == "class"), "").split()
            kind = next((c[len(MARK):] for c in classes if c.startswith(MARK)), None)
            self.stack.append((tag, kind, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._out().append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, kind, parts = self.stack.pop()
            if kind is not None:
                self.buckets.setdefault(kind, []).append(tidy("".join(parts)))
            if open_tag == tag:
                break
        if tag in _BLOCK:
            self._out().append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._out().append(data)

    def close(self) -> None:
        super().close()
        while self.stack:
            self.handle_endtag(self.stack[-1][0])


def read_field(field: str) -> tuple[str, dict[str, list[str]]]:
    """A field's plain text outside the awsquiz- elements, and each kind's texts in order."""
    reader = _Reader()
    reader.feed(field)
    reader.close()
    return tidy("".join(reader.main)), reader.buckets


def html_to_text(field: str) -> str:
    """A field as plain text (awsquiz- elements included, in their place)."""
    reader = _Reader()
    reader.feed(re.sub(r'class="awsquiz-[^"]*"', "", field))
    reader.close()
    return tidy("".join(reader.main))


_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")


def tidy(text: str) -> str:
    """Runs of spaces as one, no space at the ends of lines, at most one blank line."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
