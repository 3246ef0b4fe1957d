"""Limits, patterns and field types shared by the project config's models."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from merlin_assets.types.field_limits import ID_RE

MAX_CONFIG_BYTES = 64 * 1024
# A config is a flat record with a few lists; these bounds are far above any real one and far
# below what would cost time or memory. Aliases count as the nodes they stand for, so a
# "billion laughs" document is refused before anything is built from it.
MAX_DEPTH = 32
MAX_NODES = 20_000
MAX_EXPANDED_CHARS = 4 * MAX_CONFIG_BYTES
PROJECT_ID_RE = ID_RE
HEX_RE = r"^#[0-9a-fA-F]{6}$"
# Font names land in CSS; letters, digits, spaces and hyphens cannot break out of a quoted value.
FONT_RE = r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,39}$"

# An https address that may carry a path and query (a map link, a form endpoint). The host is
# lowercase like `url`'s; quotes, brackets, spaces, '<', '>' and backslashes cannot appear, so the
# value cannot leave an HTML attribute or a CSS url().
HTTPS_URL_RE = r"^https://[a-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9\-._~%!$&*+,;=:@/?#]*)?$"
# Loose on purpose (no quoted local parts, no IP literals): enough to catch a typo, and nothing
# that could break out of a mailto: link.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL_RE = rf"^[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@{_LABEL}(?:\.{_LABEL})+$"
PHONE_RE = r"^\+?[0-9 ().\-]+$"
CLOCK_RE = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"
MAX_SERVICES = 60
MAX_TESTIMONIALS = 30
MAX_TEAM = 50
MAX_OFFERS = 60
MAX_ACCREDITATIONS = 30
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def short_hex(value: object) -> object:
    """'#abc' is how people write '#aabbcc'; downstream code reads six digits only."""
    if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{3}", value.strip()):
        return "#" + "".join(c * 2 for c in value.strip()[1:])
    return value


def _no_control_chars(multiline: bool):
    allowed = {"\n", "\t"} if multiline else set()

    def check(value: str) -> str:
        for ch in value:
            if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029") and (
                ch not in allowed
            ):
                raise ValueError(f"contains a control character ({ord(ch):#04x})")
        return value

    return AfterValidator(check)


def blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


BLANK_IS_NONE = BeforeValidator(blank_is_none)  # `role: ""` is the same as no role


HexColor = Annotated[str, BeforeValidator(short_hex), Field(pattern=HEX_RE)]
ShortText = Annotated[str, Field(min_length=1, max_length=120)]
# Text for the new facts (people, quotes, offers): one line, or paragraphs, never control chars.
# Written after the length limit (`Annotated[str, Field(...), LINE]`) so pydantic keeps its
# string-length message.
LINE = _no_control_chars(multiline=False)
PARA = _no_control_chars(multiline=True)


def _lower_host(url: str) -> str:
    """'HTTPS://Formspree.io/f/AbC' -> 'https://formspree.io/f/AbC': host case means nothing."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    cut = re.search(r"[/?#]", rest)
    end = cut.start() if cut else len(rest)
    return f"{scheme.lower()}://{rest[:end].lower()}{rest[end:]}"


HttpsUrl = Annotated[
    str,
    BeforeValidator(lambda v: _lower_host(v) if isinstance(v, str) else v),
    Field(max_length=500, pattern=HTTPS_URL_RE),
]


def kind_name(value: object) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "nothing",
    }
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")


def show_value(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def number_as_text(value: object) -> object:
    """`price: 45` is text to a person; YAML makes it a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return value


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
