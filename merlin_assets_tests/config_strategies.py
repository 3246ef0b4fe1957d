"""Hypothesis strategies for project configs the loader accepts, as people write them.

`configs()` draws the mapping a config file holds: names up to the length limit in any script,
0 to 60 services, colours as a list, one string or a mapping (short hex too), any font name the
config allows (served families, system names and made-up ones), and every optional fact present
or absent, hours in both the mapping and the list form. Limits come from the config's own model
so they follow it.
"""

from __future__ import annotations

import datetime
import re

from hypothesis import strategies as st
from slugify import slugify

from merlin_assets.config.project import (
    DAYS,
    EMAIL_RE,
    FONT_RE,
    HTTPS_URL_RE,
    MAX_ACCREDITATIONS,
    MAX_CONFIG_BYTES,
    MAX_OFFERS,
    MAX_SERVICES,
    MAX_TEAM,
    MAX_TESTIMONIALS,
    PROJECT_ID_RE,
    ProjectConfig,
)
from merlin_assets.render.fonts import available_families
from merlin_assets_tests.answer_strategies import edge_text

# The config refuses control characters in its facts; multi-line facts keep tab and newline.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
SYSTEM_FONTS = ("Georgia", "Helvetica", "Arial", "Times New Roman", "system-ui", "ui-serif")


def _max_length(field: str) -> int:
    for meta in ProjectConfig.model_fields[field].metadata:
        if getattr(meta, "max_length", None) is not None:
            return meta.max_length
    raise LookupError(field)


NAME_MAX = _max_length("name")
INDUSTRY_MAX = _max_length("industry")


def text(min_size: int = 0, max_size: int = 120, *, control: re.Pattern | None = None):
    """Edge text as the config keeps it (whitespace stripped), `min_size` counted after that."""

    def fit(value: str) -> str:
        if control is not None:
            value = control.sub("", value)
        value = value.strip()
        return value if len(value) >= min_size else (value + "x" * min_size)[:max_size]

    return edge_text(0, max_size).map(fit)


def line(min_size: int, max_size: int):
    """A one-line fact (a person's name, a price): no control characters."""
    return text(min_size, max_size, control=_CONTROL)


def para(min_size: int, max_size: int):
    """A multi-line fact (a quote, a bio): tab and newline allowed."""
    return text(min_size, max_size, control=_CONTROL_BUT_LINES)


def optional(strategy):
    return st.none() | strategy


hex6 = st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True)
hex3 = st.from_regex(r"#[0-9a-fA-F]{3}", fullmatch=True)
colour = hex6 | hex3
colours = (
    colour
    | st.lists(colour, min_size=1, max_size=3)
    | st.fixed_dictionaries({}, optional={k: colour for k in ("primary", "secondary", "accent")})
)
font = (
    st.sampled_from(sorted(available_families()))
    | st.sampled_from(SYSTEM_FONTS)
    | st.from_regex(FONT_RE, fullmatch=True)
)
brand = st.fixed_dictionaries(
    {},
    optional={
        "colors": colours,
        "fonts": st.fixed_dictionaries({}, optional={"heading": font, "body": font}),
    },
)

testimonial = st.fixed_dictionaries(
    {"quote": para(1, 600), "name": line(1, 80)}, optional={"role": line(0, 120)}
)
member = st.fixed_dictionaries(
    {"name": line(1, 80), "role": line(1, 120)}, optional={"bio": para(0, 1000)}
)
offer = st.fixed_dictionaries(
    {"name": line(1, 120)},
    optional={"price": line(0, 40) | st.integers(0, 10**6), "description": para(0, 600)},
)
# A time of day as the config writes it; 24:00 only closes.
clock = st.from_regex(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]", fullmatch=True)


@st.composite
def period(draw: st.DrawFn) -> str:
    opens, closes = draw(clock), draw(clock)
    return f"{opens}-{closes}" if opens != closes else "24 hours"


day_hours = st.just("closed") | period() | st.lists(period(), min_size=1, max_size=2)
hours_mapping = st.dictionaries(
    st.sampled_from((*DAYS, "mon-fri", "weekends", "daily")), day_hours, min_size=1, max_size=4
)


@st.composite
def hours_list(draw: st.DrawFn) -> list[dict]:
    """The list form: each day named once, open or closed."""
    days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True))
    items = []
    for day in days:
        if draw(st.booleans()):
            items.append({"days": day, "closed": True})
        else:
            opens, closes = draw(clock), draw(clock)
            if opens == closes:
                closes = "24:00" if opens != "24:00" else "12:00"
            items.append({"days": day, "opens": opens, "closes": closes})
    return items


@st.composite
def hours(draw: st.DrawFn):
    # A day named twice (mon and mon-fri) is refused; keep the mapping form to days the
    # keys do not share.
    mapping = draw(hours_mapping)
    seen: set[str] = set()
    kept = {}
    spans = {"mon-fri": DAYS[:5], "weekends": DAYS[5:], "daily": DAYS}
    for key, value in mapping.items():
        days = set(spans.get(key, (key,)))
        if not days & seen:
            kept[key] = value
            seen |= days
    return kept if draw(st.booleans()) else draw(hours_list())


phone = st.from_regex(r"\+?[ ().\-]{0,6}[0-9]{3,12}[ ().\-]{0,4}[0-9]{0,6}", fullmatch=True)
email = st.from_regex(EMAIL_RE, fullmatch=True).filter(lambda e: len(e) <= 254)
https_url = st.from_regex(HTTPS_URL_RE, fullmatch=True).filter(lambda u: len(u) <= 500)
contact = st.fixed_dictionaries(
    {},
    optional={
        "phone": phone,
        "email": email,
        "address": para(0, 300),
        "map_url": https_url,
    },
)
site_url = st.from_regex(r"https://[a-z0-9]{1,20}\.[a-z]{2,6}/?", fullmatch=True)


@st.composite
def configs(draw: st.DrawFn) -> dict:
    """The mapping of one config file the loader accepts."""
    # The plain text fields take any string (control characters too); the facts refuse
    # control characters, so those are drawn without.
    data: dict = {"name": draw(text(1, NAME_MAX)), "industry": draw(text(2, INDUSTRY_MAX))}
    # A name with no letter or digit to slug (all emoji, say) needs its own id.
    slug = slugify(data["name"], max_length=63, word_boundary=True, save_order=True)
    if draw(st.booleans()) or not PROJECT_ID_RE.fullmatch(slug):
        data["id"] = draw(st.from_regex(PROJECT_ID_RE, fullmatch=True))
    optional_fields = {
        "description": text(0, 2000),
        "location": text(0, 120),
        "services": st.lists(text(1, 120), max_size=MAX_SERVICES),
        "audiences": st.lists(text(1, 120), max_size=10),
        "tone": text(0, 120),
        "goals": st.lists(text(1, 120), max_size=10),
        "brand": brand,
        "notes": text(0, 2000),
        "url": site_url,
        "testimonials": st.lists(testimonial, max_size=MAX_TESTIMONIALS),
        "team": st.lists(member, max_size=MAX_TEAM),
        "hours": hours(),
        "contact": contact,
        "offers": st.lists(offer, max_size=MAX_OFFERS),
        "founded": st.integers(1000, datetime.date.today().year),
        "accreditations": st.lists(line(1, 120), max_size=MAX_ACCREDITATIONS),
        "form_endpoint": https_url,
    }
    for key, strategy in optional_fields.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    return data


# The lists whose items are longest, trimmed from the end while a file is over the loader's
# size limit (a config over it is refused, not built).
_TRIMMED = ("team", "offers", "testimonials", "services", "accreditations", "audiences", "goals")


def within_size(data: dict, size) -> dict:
    """`data` with items dropped from its longest lists until `size(data)` fits a file."""
    data = {k: list(v) if isinstance(v, list) else v for k, v in data.items()}
    while size(data) > MAX_CONFIG_BYTES:
        longest = max((k for k in _TRIMMED if data.get(k)), key=lambda k: len(str(data[k])))
        data[longest].pop()
    return data
