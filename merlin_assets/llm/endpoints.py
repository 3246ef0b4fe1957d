"""Several AI services at once: the endpoint pool file (`MERLIN_ENDPOINTS=endpoints.yaml`).

The file names every OpenAI-compatible service a run may call and, per phase, the order to try
them in::

    endpoints:
      - name: openai
        base_url: https://api.openai.com/v1
        keys_env: OPENAI_API_KEYS
        chat_model: gpt-4o-mini
        image_model: gpt-image-1
        limits: {rpm: 500, tpm: 200000, images_per_min: 5}
      - name: local
        base_url: http://127.0.0.1:8080/v1
        keys_env: LOCAL_LLM_KEY
        chat_model: smollm2
    routes:
      default: [openai, local]
      images: [openai]
      site_pages: [local, openai]

A route is an ordered list of endpoint names: the first that has budget answers, the next are
fallbacks. Routes are keyed by phase (`design_strategy`, `layout`, ...), `site_pages` (the
pages' copy, the `page_copy` phase), `images`, `fact_check` (the judge that reads each page's
copy with the facts), `vision` (a model that can see, which describes a photo the config
gives without alt text; a photo is sent nowhere else), and `default` for everything else. Keys never
enter the file: `keys_env` names an environment variable holding them, comma-separated, and
from then on they are known as `<endpoint>/key#1`, ... Without `keys_env` the endpoint gets a
placeholder key (a local server that checks none).

`load_endpoints(path)` reads and checks the file; a mistake raises `EndpointsFileError` naming
the file and the field.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from merlin_assets.gateway.keys import parse_keys
from merlin_assets.gateway.limits import KeyLimits

DEFAULT_ROUTE = "default"
IMAGES_ROUTE = "images"
# Route names that are not phase names: the pages' copy is the `page_copy` phase, written by the
# `site_pages` asset, and users know it by the asset.
ROUTE_ALIASES = {"site_pages": "page_copy"}
# The fact-check judge's calls (`merlin_assets.engine.judge`): a route of their own, `default`
# when the file has none; an endpoint's `phase_models.fact_check` may name a stronger model.
FACT_CHECK_ROUTE = "fact_check"
# A model that describes the business's photos that have no alt text. Never `default`: a photo
# goes only to endpoints named for it, so without this route no photo leaves the machine.
VISION_ROUTE = "vision"
# Sent as the key of an endpoint without `keys_env` (a local server that checks no key).
NO_KEY = "sk-no-key"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class EndpointsFileError(ValueError):
    """The endpoints file cannot be used; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Strict):
    """Per key, per minute; 0 means no limit on that dimension."""

    rpm: int = Field(default=500, ge=0)
    tpm: int = Field(default=200_000, ge=0)
    images_per_min: int = Field(default=5, ge=0)

    def key_limits(self) -> KeyLimits:
        return KeyLimits(requests=self.rpm, tokens=self.tpm, images=self.images_per_min)


class Prices(_Strict):
    """USD prices of a service not in `pricing.py` (or priced differently there)."""

    input_per_million: float | None = Field(default=None, ge=0)
    output_per_million: float | None = Field(default=None, ge=0)
    per_image: float | None = Field(default=None, ge=0)


class Breaker(_Strict):
    """When an endpoint's circuit opens and for how long (see `breaker.py`)."""

    failures: int = Field(default=3, ge=1, le=100)
    cooldown_s: float = Field(default=30.0, gt=0, le=3600)


class Endpoint(BaseModel):
    """One OpenAI-compatible service. Unknown fields are kept (other tools add their own)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    base_url: str
    keys_env: str | None = None
    chat_model: str = Field(min_length=1)
    image_model: str | None = None
    phase_models: dict[str, str] = Field(default_factory=dict)
    image_quality: str | None = None
    limits: Limits = Field(default_factory=Limits)
    prices: Prices | None = None
    # Sampling the service needs (a small local model closes its JSON only with some).
    temperature: float | None = Field(default=None, ge=0, le=2)
    seed: int | None = None
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    # Per-endpoint overrides of the run's settings.
    max_output_tokens: int | None = Field(default=None, ge=16)
    timeout_s: float | None = Field(default=None, gt=0)
    image_timeout_s: float | None = Field(default=None, gt=0)
    max_retries: int | None = Field(default=None, ge=0, le=10)
    # Azure OpenAI also takes the key in an `api-key` header; set `key_header: api-key`.
    key_header: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL with a host")
        if parts.query or parts.fragment:
            raise ValueError(f"{value!r} must not carry a query or fragment")
        if parts.username or parts.password:
            raise ValueError("must not carry credentials; put keys in the variable keys_env names")
        return value.strip().rstrip("/")

    @field_validator("keys_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", value):
            raise ValueError("must be the name of an environment variable, not a key")
        return value

    @property
    def identity(self) -> str:
        """What the reply cache keys on: the same model on two services never shares."""
        return f"{self.name}@{self.base_url}"

    @property
    def slug(self) -> str:
        """A file- and Redis-safe id of the endpoint, for its budgets and circuit."""
        digest = hashlib.sha256(self.base_url.encode()).hexdigest()[:8]
        return f"{self.name}-{digest}"

    def sampling(self) -> dict[str, Any]:
        """The sampling parameters set for this endpoint, as request parameters."""
        names = ("temperature", "seed", "frequency_penalty", "top_p")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    def keys(self, environ: dict[str, str] | None = None) -> list[str]:
        """The endpoint's keys from `keys_env` (a placeholder when it names none)."""
        if self.keys_env is None:
            return [NO_KEY]
        env = os.environ if environ is None else environ
        return parse_keys(env.get(self.keys_env), None)


class EndpointsFile(BaseModel):
    """The whole file: the endpoints and the routes between them."""

    model_config = ConfigDict(extra="allow", frozen=True)

    endpoints: list[Endpoint] = Field(min_length=1)
    routes: dict[str, list[str]] = Field(default_factory=dict)
    breaker: Breaker = Field(default_factory=Breaker)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> EndpointsFile:
        seen: set[str] = set()
        for i, endpoint in enumerate(self.endpoints):
            if endpoint.name in seen:
                raise _FieldError(("endpoints", i, "name"), f"duplicate name {endpoint.name!r}")
            seen.add(endpoint.name)
        known = route_names((info.context or {}).get("phases"))
        for route, names in self.routes.items():
            if known and route not in known:
                raise _FieldError(
                    ("routes", route),
                    f"unknown route {route!r}; routes are {', '.join(sorted(known))}",
                )
            if not names:
                raise _FieldError(("routes", route), "names no endpoint")
            for j, name in enumerate(names):
                if name not in seen:
                    raise _FieldError(
                        ("routes", route, j),
                        f"unknown endpoint {name!r}; endpoints are {', '.join(sorted(seen))}",
                    )
            if len(set(names)) != len(names):
                raise _FieldError(("routes", route), "names an endpoint twice")
        images = self.routes.get(IMAGES_ROUTE)
        by_name = self.by_name()
        for j, name in enumerate(images or ()):
            if not by_name[name].image_model:
                raise _FieldError(
                    ("routes", IMAGES_ROUTE, j),
                    f"endpoint {name!r} has no image_model, so it serves no images",
                )
        return self

    def by_name(self) -> dict[str, Endpoint]:
        return {e.name: e for e in self.endpoints}

    def default_route(self) -> list[str]:
        return list(self.routes.get(DEFAULT_ROUTE) or [e.name for e in self.endpoints])

    def chat_route(self, phase: str) -> tuple[str, list[str]]:
        """The route a phase's calls take: (route name, endpoint names in order)."""
        for route, names in self.routes.items():
            if route == phase or ROUTE_ALIASES.get(route) == phase:
                return route, list(names)
        return DEFAULT_ROUTE, self.default_route()

    def vision_route(self) -> list[str]:
        """The endpoints a photo may be sent to, to be described; none without the route."""
        return list(self.routes.get(VISION_ROUTE) or ())

    def image_route(self) -> tuple[str, list[str]]:
        """The images' route: `images`, else the default route's endpoints that draw."""
        by_name = self.by_name()
        if IMAGES_ROUTE in self.routes:
            return IMAGES_ROUTE, list(self.routes[IMAGES_ROUTE])
        return DEFAULT_ROUTE, [n for n in self.default_route() if by_name[n].image_model]


class _FieldError(ValueError):
    def __init__(self, loc: tuple, message: str):
        super().__init__(message)
        self.loc = loc
        self.message = message


def route_names(phases: Collection[str] | None) -> set[str]:
    """Every route name the file may use: the phases, their aliases, images and default; none
    (no check) without the phases. llm sits below the nodes, so the caller that holds the graph
    (the run's resource, the CLI's preflight) passes `graph().phases` in."""
    if phases is None:
        return set()
    return (
        set(phases)
        | set(ROUTE_ALIASES)
        | {DEFAULT_ROUTE, IMAGES_ROUTE, FACT_CHECK_ROUTE, VISION_ROUTE}
    )


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _named(data: Any, loc: tuple) -> str:
    """`endpoints[1](local).base_url`: the field, with the endpoint's name when there is one."""
    where = _where(loc)
    if len(loc) >= 2 and loc[0] == "endpoints" and isinstance(loc[1], int):
        try:
            name = data["endpoints"][loc[1]]["name"]
        except (KeyError, IndexError, TypeError):
            return where
        head = f"endpoints[{loc[1]}]"
        return where.replace(head, f"{head}({name})", 1)
    return where


def parse_endpoints(
    data: Any, source: str = "<endpoints>", phases: Collection[str] | None = None
) -> EndpointsFile:
    """Check already-loaded file contents; errors name `source` and the field. Route names are
    checked against `phases` (the graph's) when given."""
    if not isinstance(data, dict):
        raise EndpointsFileError(f"{source}: expected a mapping with endpoints and routes")
    try:
        return EndpointsFile.model_validate(data, context={"phases": phases})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error.get("loc") or ())
            ctx = error.get("ctx") or {}
            inner = ctx.get("error")
            if isinstance(inner, _FieldError):
                problems.append(f"{_named(data, inner.loc)}: {inner.message}")
                continue
            message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
            problems.append(f"{_named(data, loc)}: {message}")
        raise EndpointsFileError(f"{source}: " + "; ".join(problems)) from None


def load_endpoints(path: str | Path, phases: Collection[str] | None = None) -> EndpointsFile:
    """Read and check an endpoints file (YAML or JSON); route names against `phases` if given."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EndpointsFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EndpointsFileError(f"{path}: not valid YAML ({exc})") from None
    return parse_endpoints(data, str(path), phases)


def endpoints_file_from_env(environ: dict[str, str] | None = None) -> str | None:
    """`MERLIN_ENDPOINTS` made absolute, or None when unset (one service, plain variables)."""
    value = (os.environ if environ is None else environ).get("MERLIN_ENDPOINTS", "").strip()
    return str(Path(value).expanduser().absolute()) if value else None


def vision_configured(environ: dict[str, str] | None = None) -> bool:
    """Whether `MERLIN_ENDPOINTS` names a file with a `vision` route (a broken file is not one:
    the run's own check of the file says what is wrong with it)."""
    path = endpoints_file_from_env(environ)
    if path is None:
        return False
    try:
        return bool(load_endpoints(path).vision_route())
    except EndpointsFileError:
        return False
