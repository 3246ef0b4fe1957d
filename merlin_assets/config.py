"""The project config: what a person writes about their business, validated before anything runs."""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from slugify import slugify

from merlin_assets.config_examples import hint_for

MAX_CONFIG_BYTES = 64 * 1024
# A config is a flat record with a few lists; these bounds are far above any real one and far
# below what would cost time or memory. Aliases count as the nodes they stand for, so a
# "billion laughs" document is refused before anything is built from it.
MAX_DEPTH = 32
MAX_NODES = 20_000
MAX_EXPANDED_CHARS = 4 * MAX_CONFIG_BYTES
PROJECT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
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


def _short_hex(value: object) -> object:
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


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


_BLANK_IS_NONE = BeforeValidator(_blank_is_none)  # `role: ""` is the same as no role


HexColor = Annotated[str, BeforeValidator(_short_hex), Field(pattern=HEX_RE)]
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


def _kind(value: object) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "nothing",
    }
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _number_as_text(value: object) -> object:
    """`price: 45` is text to a person; YAML makes it a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return value


# --- opening hours, as people write them --------------------------------------------------------

_DAY_NAMES = {
    **{d: d for d in DAYS},
    "monday": "mon",
    "tues": "tue",
    "tuesday": "tue",
    "weds": "wed",
    "wednesday": "wed",
    "thur": "thu",
    "thurs": "thu",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
_DAY_GROUPS = {
    "weekdays": DAYS[:5],
    "weekday": DAYS[:5],
    "weekends": DAYS[5:],
    "weekend": DAYS[5:],
    "daily": DAYS,
    "every day": DAYS,
    "everyday": DAYS,
    "all week": DAYS,
}
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b)\s*")
_ALL_DAY = {"24 hours", "24h", "24 h", "24hrs", "24 hrs", "24/7", "open 24 hours", "all day"}
_CLOSED = {"closed", "close", "shut", "off", "no", "none", "-", "–", "—"}
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_HOURS_ITEM_KEYS = {"days", "opens", "closes", "closed"}


def _days(spec: object) -> list[str]:
    """'mon-fri', 'Sat & Sun', 'weekdays', ['mon', 'wed'] -> day keys ('mon' ... 'sun')."""
    items = spec if isinstance(spec, list) else [spec]
    found: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{_show(item)} is not a day like 'mon' or a range like 'mon-fri'")
        for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", item.strip().lower()):
            part = part.strip().rstrip(".")
            if part in _DAY_GROUPS:
                found.extend(_DAY_GROUPS[part])
                continue
            ends = _RANGE_SPLIT.split(part)
            names = [_DAY_NAMES.get(e.strip().rstrip(".")) for e in ends]
            if not part or None in names or len(names) > 2:
                raise ValueError(f"{_show(part)} is not a day like 'mon' or a range like 'mon-fri'")
            if len(names) == 1:
                found.append(names[0])
            else:
                start, end = DAYS.index(names[0]), DAYS.index(names[1])
                span = (end - start) % 7 + 1  # 'fri-mon' wraps through the weekend
                found.extend(DAYS[(start + i) % 7] for i in range(span))
    return found


def _clock(value: object, *, closing: bool) -> str:
    """'8', '8:30', '08.30', '5pm', '5:30 p.m.', 'noon', 'midnight' -> 'HH:MM'."""
    if isinstance(value, int) and not isinstance(value, bool):
        # Unquoted YAML reads 8:30 as the base-60 number 510; a bare 8 is an hour.
        if 0 <= value <= 24:
            hour, minute = value, 0
        elif 60 <= value <= 24 * 60:
            hour, minute = divmod(value, 60)
        else:
            raise ValueError(f'{value} is not a time; quote times: "08:00"')
    elif isinstance(value, str):
        text = value.strip().lower()
        if text == "noon":
            return "12:00"
        if text == "midnight":
            return "24:00" if closing else "00:00"
        match = _TIME.fullmatch(text)
        if match is None:
            raise ValueError(f"{_show(value)} is not a time like '08:00' or '5pm'")
        hour, minute = int(match[1]), int(match[2] or 0)
        if match[3]:
            if not 1 <= hour <= 12:
                raise ValueError(f"{_show(value)} is not a time: 12-hour times run 1 to 12")
            hour = hour % 12 + (12 if match[3].startswith("p") else 0)
    else:
        raise ValueError(f"{_show(value)} is not a time like '08:00'; quote times in YAML")
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise ValueError(f"{_show(value)} is not a time of day")
    if closing and hour == 0 and minute == 0:
        hour = 24  # closing at midnight is the end of the day
    if not closing and hour == 24:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _day_hours(value: object) -> dict:
    """One day's hours as written ('08:00-17:00', 'closed', ['9-12', '13-17']) -> DayHours."""
    if value is False:  # YAML reads an unquoted `off` or `no` as false
        return {"closed": True}
    if isinstance(value, dict):
        if value.keys() <= {"closed", "periods"}:
            return value
        if value.keys() <= {"opens", "closes", "closed"}:
            return _hours_item({**value, "days": "mon"})
        raise ValueError(f"a day's hours cannot have {', '.join(sorted(map(str, value)))}")
    parts = value if isinstance(value, list) else [value]
    periods: list[dict] = []
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"{_show(part)} is not hours like '08:00-17:00' or 'closed'")
        text = part.strip().lower()
        if text in _CLOSED:
            if len(parts) > 1:
                raise ValueError("a day is either closed or open, not both")
            return {"closed": True}
        if text in _ALL_DAY:
            periods.append({"opens": "00:00", "closes": "24:00"})
            continue
        for piece in re.split(r"\s*(?:,|;|\band\b|&)\s*", text):
            ends = _RANGE_SPLIT.split(piece.strip())
            if len(ends) != 2:
                raise ValueError(f"{_show(piece)} is not hours like '08:00-17:00' or 'closed'")
            periods.append(
                {"opens": _clock(ends[0], closing=False), "closes": _clock(ends[1], closing=True)}
            )
    return {"periods": periods}


def _hours_item(item: object) -> dict:
    if not isinstance(item, dict):
        raise ValueError("each item is a mapping like {days: mon-fri, opens: '08:00', ...}")
    unknown = set(item) - _HOURS_ITEM_KEYS
    if unknown:
        raise ValueError(f"unknown key {_show(sorted(map(str, unknown))[0])} in an hours item")
    if "days" not in item:
        raise ValueError("an hours item needs 'days'")
    if item.get("closed") is True:
        if "opens" in item or "closes" in item:
            raise ValueError("an hours item is either closed or has opens and closes")
        return {"closed": True}
    if "opens" not in item or "closes" not in item:
        raise ValueError("an hours item needs 'opens' and 'closes' (or 'closed: true')")
    period = {
        "opens": _clock(item["opens"], closing=False),
        "closes": _clock(item["closes"], closing=True),
    }
    return {"periods": [period]}


def _parse_hours(value: object) -> object:
    """Either written form of `hours` -> {day: DayHours}; each day given at most once.

    List items for the same days add periods (a lunch break is two items)."""
    if isinstance(value, dict):
        pairs = [(_days(k), _day_hours(v)) for k, v in value.items()]
        merge = False
    elif isinstance(value, list):
        pairs = []
        for item in value:
            hours = _hours_item(item)  # checks the item's keys before reading its days
            pairs.append((_days(item["days"]), hours))
        merge = True
    else:
        raise ValueError(f"got {_kind(value)}")
    out: dict[str, dict] = {}
    for days, hours in pairs:
        for day in days:
            seen = out.get(day)
            if seen is None:
                out[day] = {
                    "closed": hours.get("closed", False),
                    "periods": list(hours.get("periods", [])),
                }
            elif merge and not seen["closed"] and not hours.get("closed"):
                seen["periods"].extend(hours.get("periods", []))
            else:
                raise ValueError(f"'{day}' is given twice")
    if not out:
        raise ValueError("no days given")
    return out


class ConfigError(Exception):
    """A project config that cannot be used; the message names the file and the field."""

    def __init__(self, path: str | Path, field: str, reason: str):
        self.path = str(path)
        self.field = field
        self.reason = reason
        where = f"{self.path}: field '{field}'" if field else self.path
        super().__init__(f"{where}: {reason}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BrandColors(_Strict):
    primary: HexColor | None = None
    secondary: HexColor | None = None
    accent: HexColor | None = None


class BrandFonts(_Strict):
    heading: Annotated[str, Field(pattern=FONT_RE)] | None = None
    body: Annotated[str, Field(pattern=FONT_RE)] | None = None


class Brand(_Strict):
    colors: BrandColors = Field(default_factory=BrandColors)
    fonts: BrandFonts = Field(default_factory=BrandFonts)

    @field_validator("colors", mode="before")
    @classmethod
    def _colors_as_list(cls, value: object) -> object:
        """`["#0B3D91", "#00C2A8"]` (or one string) means primary, secondary, accent in order."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            if isinstance(value, dict | BrandColors):
                return value
            raise ValueError(f"got {_kind(value)}")
        if not 1 <= len(value) <= 3:
            raise ValueError(f"a list of colours has 1 to 3 items, not {len(value)}")
        for i, item in enumerate(value, 1):
            if item is None:
                raise ValueError(
                    f"colour {i} is empty: quote it in YAML (an unquoted # starts a comment)"
                )
            item = _short_hex(item)
            if not isinstance(item, str) or not re.fullmatch(HEX_RE, item.strip()):
                raise ValueError(f"colour {i} ({_show(item)}) is not a hex colour like #0B3D91")
        return dict(zip(("primary", "secondary", "accent"), value, strict=False))


class Testimonial(_Strict):
    """Something a real customer said, attributed: a site shows no quote the config lacks."""

    quote: Annotated[str, Field(min_length=1, max_length=600), PARA]
    name: Annotated[str, Field(min_length=1, max_length=80), LINE]
    role: Annotated[Annotated[str, Field(max_length=120), LINE] | None, _BLANK_IS_NONE] = None


class TeamMember(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80), LINE]
    role: Annotated[str, Field(min_length=1, max_length=120), LINE]
    bio: Annotated[Annotated[str, Field(max_length=1000), PARA] | None, _BLANK_IS_NONE] = None


class Offer(_Strict):
    """A product or package; the price is text as the business writes it ("from $120")."""

    name: Annotated[str, Field(min_length=1, max_length=120), LINE]
    price: Annotated[
        Annotated[str, Field(max_length=40), LINE] | None,
        BeforeValidator(lambda v: _blank_is_none(_number_as_text(v))),
    ] = None
    description: Annotated[Annotated[str, Field(max_length=600), PARA] | None, _BLANK_IS_NONE] = (
        None
    )


class Contact(_Strict):
    phone: Annotated[
        Annotated[str, Field(max_length=40, pattern=PHONE_RE), LINE] | None, _BLANK_IS_NONE
    ] = None
    email: Annotated[
        Annotated[str, Field(max_length=254, pattern=EMAIL_RE)] | None, _BLANK_IS_NONE
    ] = None
    address: Annotated[Annotated[str, Field(max_length=300), PARA] | None, _BLANK_IS_NONE] = None
    # A link to the address on a map; stored as given (a later step may derive one).
    map_url: Annotated[HttpsUrl | None, _BLANK_IS_NONE] = None

    @field_validator("phone")
    @classmethod
    def _phone_has_digits(cls, value: str | None) -> str | None:
        if value is not None and not 3 <= sum(c.isdigit() for c in value) <= 20:
            raise ValueError("a phone number has 3 to 20 digits")
        return value


class Period(_Strict):
    """Open from `opens` to `closes` ("HH:MM"); a `closes` before `opens` runs past midnight."""

    opens: Annotated[str, Field(pattern=CLOCK_RE)]
    closes: Annotated[str, Field(pattern=CLOCK_RE)]

    @model_validator(mode="after")
    def _not_empty(self) -> Period:
        if self.opens == "24:00":
            raise ValueError("opening at 24:00: write 00:00")
        if self.opens == self.closes:
            raise ValueError(f"opens and closes at {self.opens}; for all day write '24 hours'")
        return self


class DayHours(_Strict):
    """One day: closed, or open for one or more periods."""

    closed: bool = False
    periods: Annotated[list[Period], Field(max_length=4)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _closed_or_open(self) -> DayHours:
        if self.closed == bool(self.periods):
            raise ValueError("a day is either closed or has opening periods")
        return self


class OpeningHours(_Strict):
    """Hours per day; a day left out (None) is one the config says nothing about.

    Written either as a mapping of days to text (`mon-fri: "08:00-17:00"`, `sun: closed`) or
    as a list of `{days, opens, closes}` (or `{days, closed: true}`); both become this.
    """

    mon: DayHours | None = None
    tue: DayHours | None = None
    wed: DayHours | None = None
    thu: DayHours | None = None
    fri: DayHours | None = None
    sat: DayHours | None = None
    sun: DayHours | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        return _parse_hours(value)


class ProjectConfig(_Strict):
    """A business to build a site for."""

    id: str | None = Field(default=None, description="Lowercase id; becomes the site's folder.")
    name: Annotated[str, Field(min_length=1, max_length=80)]
    industry: Annotated[str, Field(min_length=2, max_length=80)]
    description: Annotated[str, Field(max_length=2000)] = ""
    location: Annotated[str, Field(max_length=120)] = ""
    services: Annotated[list[ShortText], Field(max_length=MAX_SERVICES)] = Field(
        default_factory=list
    )
    audiences: Annotated[list[ShortText], Field(max_length=10)] = Field(default_factory=list)
    tone: Annotated[str, Field(max_length=120)] = ""
    goals: Annotated[list[ShortText], Field(max_length=10)] = Field(default_factory=list)
    brand: Brand = Field(default_factory=Brand)
    notes: Annotated[str, Field(max_length=2000)] = ""
    url: Annotated[str, Field(pattern=r"^https://[a-z0-9.-]+(:[0-9]{1,5})?/?$")] | None = None
    max_cost_usd: Annotated[float, Field(gt=0, le=1000)] | None = None
    # Facts the business supplies. The site states only these: no invented quotes, staff,
    # hours or prices. Each is optional; an absent one leaves its section out.
    testimonials: Annotated[list[Testimonial], Field(max_length=MAX_TESTIMONIALS)] = Field(
        default_factory=list
    )
    team: Annotated[list[TeamMember], Field(max_length=MAX_TEAM)] = Field(default_factory=list)
    hours: OpeningHours | None = None
    contact: Contact | None = None
    offers: Annotated[list[Offer], Field(max_length=MAX_OFFERS)] = Field(default_factory=list)
    founded: int | None = None
    accreditations: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=120), LINE]],
        Field(max_length=MAX_ACCREDITATIONS),
    ] = Field(default_factory=list)
    # Where the contact form posts; without it the site shows no form.
    form_endpoint: Annotated[HttpsUrl | None, _BLANK_IS_NONE] = None

    @field_validator("founded", mode="before")
    @classmethod
    def _founded_is_a_year(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("true/false is not a year")
        return value

    @field_validator("founded")
    @classmethod
    def _founded_not_in_future(cls, value: int | None) -> int | None:
        this_year = datetime.date.today().year
        if value is not None and not 1000 <= value <= this_year:
            raise ValueError(f"{value} is out of range")
        return value

    @field_validator("id")
    @classmethod
    def _id_is_safe(cls, value: str | None) -> str | None:
        if value is not None and not PROJECT_ID_RE.fullmatch(value):
            raise ValueError(
                "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit"
            )
        return value

    @model_validator(mode="after")
    def _derive_id(self) -> ProjectConfig:
        if self.id is None:
            derived = slugify(self.name, max_length=63, word_boundary=True, save_order=True)
            if not derived or not PROJECT_ID_RE.fullmatch(derived):
                raise ValueError("no usable id can be derived from 'name'; set 'id'")
            self.id = derived
        return self

    @property
    def project_id(self) -> str:
        assert self.id is not None
        return self.id

    @property
    def site_url(self) -> str:
        return (self.url or f"https://{self.project_id}.example.com").rstrip("/")

    def content_hash(self) -> str:
        """Hash of the validated content: the same business gives the same hash."""
        data = self.model_dump(mode="json")
        # Fields added later are left out while unset, so a config that does not use them keeps
        # the hash (and with it the seeds, the offline output and the run keys) it had before.
        for name in _LATER_FIELDS:
            if data.get(name) in (None, []):
                data.pop(name, None)
        canonical = json.dumps(data, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


# Fields added after configs were in use; unset, they stay out of the content hash.
_LATER_FIELDS = (
    "testimonials",
    "team",
    "hours",
    "contact",
    "offers",
    "founded",
    "accreditations",
    "form_endpoint",
)


def _field_path(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


class _TooBig(ValueError):
    """Structure beyond MAX_DEPTH, MAX_NODES or MAX_EXPANDED_CHARS; the message says which."""


def _check_json_shape(data: object) -> None:
    """Depth and size of parsed JSON, walked without recursion."""
    stack = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise _TooBig(f"nested more than {MAX_DEPTH} levels deep")
        if nodes > MAX_NODES:
            raise _TooBig(f"more than {MAX_NODES} values")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _load_yaml(text: str) -> object:
    """`yaml.safe_load`, refusing deep nesting and alias bombs before building anything.

    The event stream is read first (no recursion, no objects built) to bound the depth; then
    the node graph is measured with every alias counted as the nodes it expands to. Only then
    are Python objects constructed, by PyYAML's safe constructor: tags that name Python
    objects are errors.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooBig(f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_yaml_expansion(root: yaml.Node) -> None:
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (nodes, scalar characters) expanded
    open_nodes: set[int] = set()

    def measure(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise _TooBig("an alias refers to its own anchor (a recursive structure)")
        open_nodes.add(key)
        if isinstance(node, yaml.ScalarNode):
            total = (1, len(node.value))
        else:
            children = (
                [c for pair in node.value for c in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            total = (1, 0)
            for child in children:
                n, c = measure(child)
                total = (total[0] + n, total[1] + c)
                if total[0] > MAX_NODES:
                    raise _TooBig(f"expands to more than {MAX_NODES} values (alias bomb?)")
                if total[1] > MAX_EXPANDED_CHARS:
                    raise _TooBig(
                        f"expands to more than {MAX_EXPANDED_CHARS} characters (alias bomb?)"
                    )
        open_nodes.discard(key)
        sizes[key] = total
        return total

    measure(root)


def parse_config_text(text: str | bytes, *, source: str, suffix: str) -> ProjectConfig:
    """Parse and validate config text; raises ConfigError naming `source` and the field."""
    raw = text.encode() if isinstance(text, str) else text
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(source, "", f"file is {len(raw)} bytes; the limit is {MAX_CONFIG_BYTES}")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(source, "", f"not UTF-8 text ({exc.reason})") from None
    if "\x00" in decoded:
        raise ConfigError(source, "", "contains a NUL byte")
    kind = "JSON" if suffix == ".json" else "YAML"
    try:
        if suffix == ".json":
            data = json.loads(decoded)
            _check_json_shape(data)
        else:
            data = _load_yaml(decoded)
    except RecursionError:
        raise ConfigError(source, "", f"{kind} nested too deeply") from None
    except _TooBig as exc:
        raise ConfigError(source, "", f"{kind} {exc}") from None
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(source, "", f"invalid {kind}: {detail}") from None
    if not isinstance(data, dict):
        raise ConfigError(source, "", "the top level must be a mapping of fields")
    try:
        return ProjectConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = _field_path(err["loc"]) or "(config)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "string_pattern_mismatch":
            # Long patterns (an email or URL) say nothing to a person; the hint shows the shape.
            pattern = (err.get("ctx") or {}).get("pattern", "")
            msg = "String should match pattern" + (f" '{pattern}'" if len(pattern) <= 40 else "")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
            if len(err["loc"]) == 1:
                close = difflib.get_close_matches(field, ProjectConfig.model_fields, n=1)
                if close:
                    msg += f" (did you mean '{close[0]}'?)"
        hint = hint_for(field)
        raise ConfigError(source, field, f"{msg}; {hint}" if hint else msg) from None


def load_config(path: str | Path) -> ProjectConfig:
    """Read a project config file (YAML or JSON) with a size cap before parsing."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise ConfigError(path, "", "expected a .yaml, .yml or .json file")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read file: {exc.strerror}") from None
    return parse_config_text(raw, source=str(path), suffix=suffix)


def file_hash(raw: bytes) -> str:
    """Content hash of a config file as it sits on disk (what the sensor keys runs on)."""
    return hashlib.sha256(raw).hexdigest()[:16]
