"""The visible text of a page, one block per line: what a visitor reads, for diffs and word
counts. Markup, scripts, styles and attributes are left out; the title is kept (a tab shows it).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that start a new line of visible text.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "title",
        "tr",
        "ul",
        "button",
        "label",
        "option",
        "summary",
        "details",
    ]
)
_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg"})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._hidden = 0

    def _break(self) -> None:
        text = _SPACE.sub(" ", "".join(self._line)).strip()
        if text:
            self.lines.append(text)
        self._line = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._line.append(data)


def visible_lines(html: str | bytes) -> list[str]:
    """The page's visible text, one line per block element, whitespace collapsed."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._break()
    return parser.lines


def words(lines: list[str]) -> list[str]:
    return [w for line in lines for w in _WORD.findall(line)]
