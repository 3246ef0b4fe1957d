"""The Jinja environment and the template files it reads (and the site script shipped as is)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES_DIR = Path(__file__).parent / "templates"
SITE_JS = (TEMPLATES_DIR / "site.js").read_text(encoding="utf-8")
IMAGES_DIR = "images"


# Code points an HTML page may not contain ("invalid codepoint in stream" to a strict parser):
# NUL and the other controls but tab, newline, form feed and carriage return; DEL and the C1
# controls; noncharacters; lone surrogates. A model's reply may hold any of them (its schema
# allows any string: a generated "\u001b" in one value proposition failed html_parses on every
# page), and so may a config's free text.
_NOT_IN_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000))
    + "]"
)


def html_text(value: object) -> object:
    """Every value a template writes, without the code points HTML does not allow."""
    if isinstance(value, str) and _NOT_IN_HTML.search(value):
        cleaned = _NOT_IN_HTML.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


@functools.cache
def environment() -> Environment:
    """The Jinja environment: autoescaped, and strict so a missing value is an error."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        finalize=html_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
