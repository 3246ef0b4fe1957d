"""The Jinja environment and the template files it reads (and the site script shipped as is)."""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES_DIR = Path(__file__).parent / "templates"
SITE_JS = (TEMPLATES_DIR / "site.js").read_text(encoding="utf-8")
IMAGES_DIR = "images"


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
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
