"""What a published page links to or embeds, read independently of the site checks' parser."""

from __future__ import annotations

from html.parser import HTMLParser


class Refs(HTMLParser):
    """Every href, src and srcset/imagesrcset URL of a page, as written."""

    def __init__(self):
        super().__init__()
        self.refs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name in {"href", "src"}:
                self.refs.add(value)
            elif name in {"srcset", "imagesrcset"}:
                self.refs.update(p.strip().split(" ")[0] for p in value.split(",") if p.strip())


def refs_of(html: str) -> set[str]:
    parser = Refs()
    parser.feed(html)
    return parser.refs
