"""What the project config says is true: the only source the copy may draw claims from."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from merlin_assets.content_gate.text import numbers, words

# Numbers written as words, for "five-star" or "twenty years" in config text.
_COUNTING = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS: dict[str, float] = {w: float(i) for i, w in enumerate(_COUNTING.split())} | {
    "thirty": 30.0,
    "forty": 40.0,
    "fifty": 50.0,
    "hundred": 100.0,
    "thousand": 1000.0,
}


@dataclass(frozen=True)
class Person:
    """Someone the config names: a testimonial's author or a team member."""

    name: str
    role: str = ""
    text: str = ""  # the testimonial's quote or the team member's bio


@dataclass(frozen=True)
class Offer:
    """Something the config says the business sells, with its price as written."""

    name: str
    price: str = ""
    description: str = ""


@dataclass(frozen=True)
class Facts:
    """The business as the config describes it; build one with `Facts.from_config`.

    `texts` holds every other piece of free config text (description, notes, goals,
    audiences, tone, contact, url); figures, claims and vocabulary found there are allowed.
    `year` is the current year, for judging "over 20 years" against `founded`.
    """

    name: str
    location: str = ""
    services: tuple[str, ...] = ()
    industry: str = ""
    texts: tuple[str, ...] = ()
    testimonials: tuple[Person, ...] = ()
    team: tuple[Person, ...] = ()
    founded: int | None = None
    offers: tuple[Offer, ...] = ()
    hours: str = ""
    accreditations: tuple[str, ...] = ()
    # The config's own account of what the business does (description, notes, goals): with
    # industry, services and offers, the only text that shows which trade's words fit. None
    # (a hand-built Facts) lets all of `texts` stand in.
    about: tuple[str, ...] | None = None
    # The site's language as an ISO 639-1 code: the config's `language` if it has one.
    language: str = "en"
    year: int = field(default_factory=lambda: datetime.date.today().year)
    # Typed facts, for matching typed claims (a phone to a phone, a day to a day).
    phone: str = ""
    email: str = ""
    address: str = ""
    links: tuple[str, ...] = ()  # url, map_url, form_endpoint
    # (day, periods) for each day the config states: () is closed, else ("07:30", "16:00")...
    week: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @classmethod
    def from_config(cls, config: Any) -> Facts:
        """Read a `ProjectConfig` (or any object/dict with the same fields) defensively.

        Optional fields that an older config lacks are simply absent; list entries may be
        models or dicts; unexpected shapes are read as text rather than rejected.
        """
        contact = _get(config, "contact")
        texts = [
            _get(config, "description"),
            _get(config, "notes"),
            _get(config, "tone"),
            *_as_list(_get(config, "audiences")),
            *_as_list(_get(config, "goals")),
            _get(config, "url"),
            *(_text(_get(contact, k)) for k in ("phone", "email", "address")),
        ]
        founded = _get(config, "founded")
        hours = _get(config, "hours")
        return cls(
            name=_text(_get(config, "name")),
            location=_text(_get(config, "location")),
            services=tuple(_text(s) for s in _as_list(_get(config, "services")) if _text(s)),
            industry=_text(_get(config, "industry")),
            texts=tuple(t for t in (_text(x) for x in texts) if t),
            testimonials=tuple(
                Person(_text(_get(t, "name")), _text(_get(t, "role")), _text(_get(t, "quote")))
                for t in _as_list(_get(config, "testimonials"))
            ),
            team=tuple(
                Person(_text(_get(t, "name")), _text(_get(t, "role")), _text(_get(t, "bio")))
                for t in _as_list(_get(config, "team"))
            ),
            founded=founded if isinstance(founded, int) and not isinstance(founded, bool) else None,
            offers=tuple(
                Offer(
                    _text(_get(o, "name")), _text(_get(o, "price")), _text(_get(o, "description"))
                )
                for o in _as_list(_get(config, "offers"))
            ),
            hours=_hours_text(hours),
            accreditations=tuple(_text(a) for a in _as_list(_get(config, "accreditations"))),
            about=tuple(
                t
                for t in (
                    _text(_get(config, "description")),
                    _text(_get(config, "notes")),
                    *(_text(g) for g in _as_list(_get(config, "goals"))),
                )
                if t
            ),
            language=(_text(_get(config, "language")) or "en").lower()[:2],
            phone=_text(_get(contact, "phone")),
            email=_text(_get(contact, "email")),
            address=_text(_get(contact, "address")),
            links=tuple(
                t
                for t in (
                    _text(_get(config, "url")),
                    _text(_get(contact, "map_url")),
                    _text(_get(config, "form_endpoint")),
                )
                if t
            ),
            week=_week(hours),
        )

    @property
    def people(self) -> tuple[Person, ...]:
        return self.testimonials + self.team

    @cached_property
    def days(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Day key ("mon") -> its opening periods; () when closed; absent when not stated."""
        return dict(self.week)

    @cached_property
    def claims_text(self) -> str:
        """Config text that may ground a claim about the business itself: everything but
        what customers said (a quote saying "the best" is not an award)."""
        quotes = {p.text for p in self.testimonials}
        return "\n".join(line for line in self.corpus.split("\n") if line not in quotes)

    @cached_property
    def corpus(self) -> str:
        """Every piece of config text in one string (one line each)."""
        parts = [self.name, self.location, self.industry, *self.services, *self.texts, self.hours]
        parts += [self.phone, self.email, self.address, *self.links]
        parts += [x for p in self.people for x in (p.name, p.role, p.text)]
        parts += [x for o in self.offers for x in (o.name, o.price, o.description)]
        parts += [*self.accreditations, str(self.founded or "")]
        return "\n".join(p for p in parts if p)

    @cached_property
    def about_text(self) -> str:
        """What the business says it does: industry, services, offers and `about`."""
        about = self.texts if self.about is None else self.about
        parts = [self.industry, *self.services, *about]
        parts += [x for o in self.offers for x in (o.name, o.description)]
        return "\n".join(p for p in parts if p)

    @cached_property
    def figures(self) -> frozenset[float]:
        """Every number the config states, in digits or (up to a thousand) in words."""
        found = numbers(self.corpus)
        said = set(words(self.corpus))
        found |= {v for w, v in NUMBER_WORDS.items() if w in said}
        if self.founded:
            found.add(float(self.founded))
        return frozenset(found)


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def _text(value: Any) -> str:
    """Plain text of a config value: strings as they are, mappings and lists flattened."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if _text(v))
    if hasattr(value, "model_dump"):
        return _text(value.model_dump())
    if isinstance(value, (list, tuple, set)):
        return "; ".join(t for t in (_text(v) for v in value) if t)
    return str(value)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hours_text(hours: Any) -> str:
    """Opening hours as text ("mon 08:00-17:00; sun closed"), "24/7" when always open.

    Reads the config's `OpeningHours` (days of {closed, periods: [{opens, closes}]}); any
    other shape (free text, a mapping of strings) is read as plain text.
    """
    if hours is None or isinstance(hours, str):
        return _text(hours)
    days = [(d, _get(hours, d)) for d in _DAYS]
    if not any(v is not None for _, v in days):
        return _text(hours)
    parts, always = [], True
    for day, value in days:
        if value is None:
            always = False
            continue
        periods = [
            (_text(_get(p, "opens")), _text(_get(p, "closes")))
            for p in _as_list(_get(value, "periods"))
        ]
        if _get(value, "closed") is True or not periods:
            parts.append(f"{day} closed")
            always = False
            continue
        parts.append(f"{day} " + ", ".join(f"{a}-{b}" for a, b in periods))
        always = always and ("00:00", "24:00") in periods
    return ("24/7; " if always else "") + "; ".join(parts)


def _week(hours: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Typed opening hours from an `OpeningHours` or either raw form the config accepts."""
    if hours is None or isinstance(hours, str):
        return ()
    if isinstance(hours, list) or (isinstance(hours, dict) and not set(hours) <= set(_DAYS)):
        from merlin_assets.config.hours import parse_hours

        try:
            hours = parse_hours(hours)
        except (ValueError, TypeError, KeyError):
            return ()
    out = []
    for day in _DAYS:
        value = _get(hours, day)
        if value is None:
            continue
        periods = tuple(
            (_text(_get(p, "opens")), _text(_get(p, "closes")))
            for p in _as_list(_get(value, "periods"))
        )
        out.append((day, () if _get(value, "closed") is True else periods))
    return tuple(out)
