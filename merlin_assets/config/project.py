"""The project config: what a person writes about their business, validated before anything runs."""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator
from slugify import slugify

from merlin_assets.config.business import (
    Brand,
    BrandColors,
    BrandFonts,
    Contact,
    DayHours,
    Offer,
    OpeningHours,
    Period,
    TeamMember,
    Testimonial,
)
from merlin_assets.config.errors import ConfigError
from merlin_assets.config.examples import hint_for
from merlin_assets.config.fields import (
    BLANK_IS_NONE,
    CLOCK_RE,
    DAYS,
    EMAIL_RE,
    FONT_RE,
    HEX_RE,
    HTTPS_URL_RE,
    LINE,
    MAX_ACCREDITATIONS,
    MAX_CONFIG_BYTES,
    MAX_DEPTH,
    MAX_EXPANDED_CHARS,
    MAX_NODES,
    MAX_OFFERS,
    MAX_SERVICES,
    MAX_TEAM,
    MAX_TESTIMONIALS,
    PARA,
    PHONE_RE,
    PROJECT_ID_RE,
    HexColor,
    HttpsUrl,
    ShortText,
    StrictModel,
)
from merlin_assets.config.loading import TooBig, check_json_shape, field_path, load_yaml
from merlin_assets.config.media import MAX_PHOTOS, Photo, photo_problem
from merlin_assets.config.publish import MAX_HOSTS, HostEntry, check_unique_names

__all__ = [
    "CLOCK_RE",
    "DAYS",
    "EMAIL_RE",
    "FONT_RE",
    "HEX_RE",
    "HTTPS_URL_RE",
    "LINE",
    "MAX_ACCREDITATIONS",
    "MAX_CONFIG_BYTES",
    "MAX_DEPTH",
    "MAX_EXPANDED_CHARS",
    "MAX_NODES",
    "MAX_OFFERS",
    "MAX_SERVICES",
    "MAX_TEAM",
    "MAX_TESTIMONIALS",
    "PARA",
    "PHONE_RE",
    "PROJECT_ID_RE",
    "Brand",
    "BrandColors",
    "BrandFonts",
    "ConfigError",
    "Contact",
    "DayHours",
    "HexColor",
    "HttpsUrl",
    "Offer",
    "OpeningHours",
    "Period",
    "Photo",
    "ProjectConfig",
    "ShortText",
    "TeamMember",
    "Testimonial",
    "file_hash",
    "load_config",
    "parse_config_text",
]


class ProjectConfig(StrictModel):
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
    form_endpoint: Annotated[HttpsUrl | None, BLANK_IS_NONE] = None
    # The business's own photographs, relative to the config file (merlin_assets/media/).
    photos: Annotated[list[Photo], Field(max_length=MAX_PHOTOS)] = Field(default_factory=list)
    # Where the published site is deployed besides sites/<id>/ (merlin_assets.hosts).
    publish: Annotated[
        list[HostEntry], Field(max_length=MAX_HOSTS), AfterValidator(check_unique_names)
    ] = Field(default_factory=list)

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
        # Where the site is deployed is not what it says: a new host reuses every result.
        data.pop("publish", None)
        # Fields added later are left out while unset, so a config that does not use them keeps
        # the hash (and with it the seeds, the offline output and the run keys) it had before.
        for name in _LATER_FIELDS:
            if data.get(name) in (None, []):
                data.pop(name, None)
        for entry in [data["brand"], *data.get("team", []), *data.get("offers", [])]:
            for name in _LATER_KEYS:
                if entry.get(name, "") in (None, False):
                    entry.pop(name)
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
    "photos",
)
# Keys added later inside nested records (brand, team members, offers); unset, they stay out too.
_LATER_KEYS = ("logo", "logo_dark", "icon", "photo", "colors_from_logo")


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
            check_json_shape(data)
        else:
            data = load_yaml(decoded)
    except RecursionError:
        raise ConfigError(source, "", f"{kind} nested too deeply") from None
    except TooBig as exc:
        raise ConfigError(source, "", f"{kind} {exc}") from None
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(source, "", f"invalid {kind}: {detail}") from None
    if not isinstance(data, dict):
        raise ConfigError(source, "", "the top level must be a mapping of fields")
    try:
        config = ProjectConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = field_path(err["loc"]) or "(config)"
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
    problem = photo_problem(config.photos, config.team, config.offers)
    if problem is not None:
        raise ConfigError(source, *problem)
    return config


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
    config = parse_config_text(raw, source=str(path), suffix=suffix)
    # Only `merlin_assets.media.load.load_with_media` sets it, from the logo's own colours.
    config.brand.colors_from_logo = False
    return config


def file_hash(raw: bytes) -> str:
    """Content hash of a config file as it sits on disk (what the sensor keys runs on)."""
    return hashlib.sha256(raw).hexdigest()[:16]
