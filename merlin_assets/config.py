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
