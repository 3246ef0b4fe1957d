"""The project config: what a person writes about their business, validated before anything runs."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from slugify import slugify

MAX_CONFIG_BYTES = 64 * 1024
PROJECT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
HEX_RE = r"^#[0-9a-fA-F]{6}$"
# Font names land in CSS; letters, digits, spaces and hyphens cannot break out of a quoted value.
FONT_RE = r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,39}$"

HexColor = Annotated[str, Field(pattern=HEX_RE)]
ShortText = Annotated[str, Field(min_length=1, max_length=120)]


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


class ProjectConfig(_Strict):
    """A business to build a site for."""

    id: str | None = Field(default=None, description="Lowercase id; becomes the site's folder.")
    name: Annotated[str, Field(min_length=1, max_length=80)]
    industry: Annotated[str, Field(min_length=2, max_length=80)]
    description: Annotated[str, Field(max_length=2000)] = ""
    location: Annotated[str, Field(max_length=120)] = ""
    services: Annotated[list[ShortText], Field(max_length=20)] = Field(default_factory=list)
    audiences: Annotated[list[ShortText], Field(max_length=10)] = Field(default_factory=list)
    tone: Annotated[str, Field(max_length=120)] = ""
    goals: Annotated[list[ShortText], Field(max_length=10)] = Field(default_factory=list)
    brand: Brand = Field(default_factory=Brand)
    notes: Annotated[str, Field(max_length=2000)] = ""
    url: Annotated[str, Field(pattern=r"^https://[a-z0-9.-]+(:[0-9]{1,5})?/?$")] | None = None
    max_cost_usd: Annotated[float, Field(gt=0, le=1000)] | None = None

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
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _field_path(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


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
    try:
        # safe_load builds only plain data: tags that construct objects are errors.
        data = json.loads(decoded) if suffix == ".json" else yaml.safe_load(decoded)
    except (yaml.YAMLError, json.JSONDecodeError, RecursionError) as exc:
        kind = "JSON" if suffix == ".json" else "YAML"
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
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        raise ConfigError(source, field, msg) from None


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
