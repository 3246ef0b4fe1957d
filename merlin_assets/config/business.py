"""The config's nested models: brand, and the optional facts (testimonials, team, hours,
contact, offers) a site states only when the business supplies them."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator, model_validator

from merlin_assets.config.fields import (
    BLANK_IS_NONE,
    CLOCK_RE,
    EMAIL_RE,
    FONT_RE,
    HEX_RE,
    LINE,
    PARA,
    PHONE_RE,
    HexColor,
    HttpsUrl,
    StrictModel,
    blank_is_none,
    kind_name,
    number_as_text,
    short_hex,
    show_value,
)
from merlin_assets.config.hours import parse_hours
from merlin_assets.config.media import LogoPath, PhotoPath


class BrandColors(StrictModel):
    primary: HexColor | None = None
    secondary: HexColor | None = None
    accent: HexColor | None = None


class BrandFonts(StrictModel):
    heading: Annotated[str, Field(pattern=FONT_RE)] | None = None
    body: Annotated[str, Field(pattern=FONT_RE)] | None = None


class Brand(StrictModel):
    colors: BrandColors = Field(default_factory=BrandColors)
    fonts: BrandFonts = Field(default_factory=BrandFonts)
    # The business's own marks, relative to the config file; see merlin_assets/media/.
    logo: LogoPath | None = None
    logo_dark: LogoPath | None = None
    icon: LogoPath | None = None
    # Set when the config gave no colours and they were read from the logo on load; a value
    # written in the config is replaced then.
    colors_from_logo: bool = False

    @field_validator("colors", mode="before")
    @classmethod
    def _colors_as_list(cls, value: object) -> object:
        """`["#0B3D91", "#00C2A8"]` (or one string) means primary, secondary, accent in order."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            if isinstance(value, dict | BrandColors):
                return value
            raise ValueError(f"got {kind_name(value)}")
        if not 1 <= len(value) <= 3:
            raise ValueError(f"a list of colours has 1 to 3 items, not {len(value)}")
        for i, item in enumerate(value, 1):
            if item is None:
                raise ValueError(
                    f"colour {i} is empty: quote it in YAML (an unquoted # starts a comment)"
                )
            item = short_hex(item)
            if not isinstance(item, str) or not re.fullmatch(HEX_RE, item.strip()):
                raise ValueError(
                    f"colour {i} ({show_value(item)}) is not a hex colour like #0B3D91"
                )
        return dict(zip(("primary", "secondary", "accent"), value, strict=False))


class Testimonial(StrictModel):
    """Something a real customer said, attributed: a site shows no quote the config lacks."""

    quote: Annotated[str, Field(min_length=1, max_length=600), PARA]
    name: Annotated[str, Field(min_length=1, max_length=80), LINE]
    role: Annotated[Annotated[str, Field(max_length=120), LINE] | None, BLANK_IS_NONE] = None


class TeamMember(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=80), LINE]
    role: Annotated[str, Field(min_length=1, max_length=120), LINE]
    bio: Annotated[Annotated[str, Field(max_length=1000), PARA] | None, BLANK_IS_NONE] = None
    photo: PhotoPath | None = None  # the `file` of one of the config's `photos`


class Offer(StrictModel):
    """A product or package; the price is text as the business writes it ("from $120")."""

    name: Annotated[str, Field(min_length=1, max_length=120), LINE]
    price: Annotated[
        Annotated[str, Field(max_length=40), LINE] | None,
        BeforeValidator(lambda v: blank_is_none(number_as_text(v))),
    ] = None
    description: Annotated[Annotated[str, Field(max_length=600), PARA] | None, BLANK_IS_NONE] = None
    photo: PhotoPath | None = None  # the `file` of one of the config's `photos`


class Contact(StrictModel):
    phone: Annotated[
        Annotated[str, Field(max_length=40, pattern=PHONE_RE), LINE] | None, BLANK_IS_NONE
    ] = None
    email: Annotated[
        Annotated[str, Field(max_length=254, pattern=EMAIL_RE)] | None, BLANK_IS_NONE
    ] = None
    address: Annotated[Annotated[str, Field(max_length=300), PARA] | None, BLANK_IS_NONE] = None
    # A link to the address on a map; stored as given (a later step may derive one).
    map_url: Annotated[HttpsUrl | None, BLANK_IS_NONE] = None

    @field_validator("phone")
    @classmethod
    def _phone_has_digits(cls, value: str | None) -> str | None:
        if value is not None and not 3 <= sum(c.isdigit() for c in value) <= 20:
            raise ValueError("a phone number has 3 to 20 digits")
        return value


class Period(StrictModel):
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


class DayHours(StrictModel):
    """One day: closed, or open for one or more periods."""

    closed: bool = False
    periods: Annotated[list[Period], Field(max_length=4)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _closed_or_open(self) -> DayHours:
        if self.closed == bool(self.periods):
            raise ValueError("a day is either closed or has opening periods")
        return self


class OpeningHours(StrictModel):
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
        return parse_hours(value)
