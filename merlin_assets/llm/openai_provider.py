"""The OpenAI provider: structured outputs and images through the `openai` SDK.

Any OpenAI-compatible server works through `base_url`. Each call goes:

1. the reply cache (a hit costs nothing and makes no request);
2. the spending cap (the next call's worst case must fit, else the rules answer);
3. the key pool (the key with most budget left that can take the call now, shared across
   processes by the rate budgets);
4. the request, with the SDK's own retries switched off (`max_retries=0`): this module is the
   only retry layer, because after a 429 the call should move to another key, which the SDK
   cannot do. Transport failures (429, 5xx, timeouts, dropped connections) get `max_retries`
   more attempts; a reply that is refused, truncated, not JSON or not valid is asked once
   more. Then the rule-based writer (or the offline drawing) answers, and the call record says
   why. A 401/403 drops that key for the run and the call moves on without using an attempt.
5. A connection refused, or a host name that does not resolve, marks the service dead for
   the rest of the run: that call and every later one, including those waiting for a key's
   budget, go to the rules at once. (With a closed port each image used to wait for its key's
   image budget, spent by the failed attempts: 324 s for the bakery instead of seconds.)
   Timeouts, 5xx and 429 are a slow or busy service, not a dead one, and keep their retries.

Nothing here ever names a key: errors and records carry the alias (`key#2`) only.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import openai
import pydantic
from openai.lib._pydantic import to_strict_json_schema
from PIL import Image, ImageOps

from merlin_assets.gateway.cache import NoCache, ReplyCache, reply_key
from merlin_assets.gateway.keys import Abandoned, ApiKey, KeyPool, NoUsableKeyError
from merlin_assets.gateway.limits import Demand, KeyLimits, RateBudgets
from merlin_assets.gateway.spending import SpendingCap
from merlin_assets.imaging.encode import UntrustedImageError, open_untrusted
from merlin_assets.llm import pricing
from merlin_assets.llm.base import (
    LLM,
    CallRecord,
    ChatRequest,
    ChatResult,
    GaveUp,
    ImageRequest,
    ImageResult,
    T,
    now,
)
from merlin_assets.llm.messages import chat_messages, image_tokens
from merlin_assets.llm.offline import draw, write_by_rules
from merlin_assets.llm.preflight import shown_url, unreachable
from merlin_assets.llm.settings import OPENAI_DEFAULT_BASE_URL
from merlin_assets.prompts.images import image_prompt

log = logging.getLogger(__name__)

SPENDING_CAP = "spending cap"
UNREACHABLE = "service unreachable"
# Characters per token when estimating before a call; replies bring the real figures.
CHARS_PER_TOKEN = 4
_TRANSPORT_ERRORS = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APIConnectionError,  # includes APITimeoutError: a hung connection cut by the timeout
)


@dataclass(frozen=True)
class OpenAIOptions:
    """How the provider calls the API; built by `LLMResource.open()`."""

    chat_model: str = "gpt-4o-mini"
    phase_models: dict[str, str] = field(default_factory=dict)
    image_model: str = "gpt-image-1"
    image_quality: str = "medium"
    limits: KeyLimits = field(default_factory=KeyLimits)
    timeout_s: float = 60.0
    image_timeout_s: float = 120.0
    max_retries: int = 2
    max_output_tokens: int = 4096
    # Sampling, sent only when set; part of the reply cache key like every parameter.
    temperature: float | None = None
    seed: int | None = None
    frequency_penalty: float | None = None
    # Length limits kept in the schemas sent: auto, all, items or none (see `schema_limits`).
    schema_limits: str = "auto"
    max_cost_usd: float | None = None
    base_url: str | None = None

    def model_for(self, phase: str) -> str:
        return self.phase_models.get(phase, self.chat_model)

    def output_budget(self, wanted: int | None) -> int:
        """A call's max_completion_tokens: the phase's budget, never above the cap."""
        cap = self.max_output_tokens
        return min(wanted, cap) if wanted else cap

    def sampling(self) -> dict[str, Any]:
        values = {
            "temperature": self.temperature,
            "seed": self.seed,
            "frequency_penalty": self.frequency_penalty,
        }
        return {name: value for name, value in values.items() if value is not None}


# Schema keywords each `schema_limits` mode leaves out. OpenAI's strict structured outputs
# support maxItems/minItems but reject a string's maxLength/minLength.
_STRING_LIMITS = frozenset({"maxLength", "minLength"})
_DROPPED = {
    "all": frozenset(),
    "items": _STRING_LIMITS,
    "none": _STRING_LIMITS | {"maxItems", "minItems"},
}
# Hosts whose structured outputs are OpenAI's strict ones: OpenAI and Azure OpenAI.
_STRICT_HOSTS = ("api.openai.com",)
_STRICT_DOMAINS = (".openai.azure.com", ".cognitiveservices.azure.com")


def schema_limits(setting: str, base_url: str | None) -> str:
    """`auto` resolved for the server at `base_url`: `items` for OpenAI, `all` otherwise."""
    if setting != "auto":
        return setting
    host = (urlsplit(base_url or OPENAI_DEFAULT_BASE_URL).hostname or "").lower()
    strict = host in _STRICT_HOSTS or host.endswith(_STRICT_DOMAINS)
    return "items" if strict else "all"


def _without(node: Any, dropped: frozenset[str]) -> Any:
    """A copy of a JSON schema without the `dropped` keywords (property names are kept)."""
    if isinstance(node, list):
        return [_without(v, dropped) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            out[key] = {name: _without(sub, dropped) for name, sub in value.items()}
        elif key not in dropped:
            out[key] = _without(value, dropped)
    return out


def response_format(schema: type[pydantic.BaseModel], limits: str) -> dict[str, Any]:
    """The strict json_schema format `.parse()` would send, with only the kept limits."""
    strict = to_strict_json_schema(schema)
    return {
        "type": "json_schema",
        "json_schema": {
            "name": schema.__name__,
            "schema": _without(strict, _DROPPED[limits]),
            "strict": True,
        },
    }


class _Retry(Exception):
    """One attempt failed in a way worth another attempt."""

    def __init__(self, reason: str, *, content: bool):
        super().__init__(reason)
        self.reason = reason
        self.content = content


class _GiveUp(Exception):
    """Stop asking; the rules answer with this reason."""


@dataclass
class _Attempts:
    transport_left: int
    reask_left: int = 1
    reasons: list[str] = field(default_factory=list)

    def spend(self, failure: _Retry) -> None:
        self.reasons.append(failure.reason)
        if failure.content:
            if self.reask_left <= 0:
                raise _GiveUp(failure.reason)
            self.reask_left -= 1
        else:
            if self.transport_left <= 0:
                raise _GiveUp(failure.reason)
            self.transport_left -= 1


class OpenAILLM(LLM):
    """Structured text and images from an OpenAI-compatible API, with a multi-key pool.

    Args:
        keys: API keys; known as `key#1`, `key#2`, ... in that order.
        options: Models, timeouts, retries, limits and the spending cap.
        budgets: Per-key rate budgets shared by every process using the keys.
        cache: Reply cache shared by every process; `NoCache()` to always call.
    """

    name = "openai"
    # Set by an endpoint pool (`merlin_assets.llm.pool`): the endpoint named in call records;
    # `health(ok, detail)` is told of every answer and every 5xx/timeout/connection failure
    # (returning False stops retrying this endpoint); and with `fallback_to_rules` False a call
    # that gives up raises `GaveUp` with its record instead of asking the rules.
    endpoint: str = "openai"
    health: Callable[[bool, str], bool] | None = None
    fallback_to_rules: bool = True

    def __init__(
        self,
        *,
        keys: list[str],
        options: OpenAIOptions,
        budgets: RateBudgets,
        cache: ReplyCache | None = None,
    ):
        self.options = options
        self.pool = KeyPool(keys, budgets)
        self.budgets = budgets
        self.cache: ReplyCache = cache or NoCache()
        self.spend = SpendingCap(options.max_cost_usd)
        self.schema_limits = schema_limits(options.schema_limits, options.base_url)
        # Why the service is known dead for this run ("" while it is not).
        self.dead = ""
        self._formats: dict[type, dict[str, Any]] = {}
        self._clients = {
            key.alias: openai.AsyncOpenAI(
                api_key=key.secret,
                base_url=options.base_url,
                max_retries=0,
                timeout=options.timeout_s,
            )
            for key in self.pool.keys
        }

    # --- chat ---------------------------------------------------------------------------

    async def chat(self, request: ChatRequest[T]) -> ChatResult[T]:
        model = self.options.model_for(request.phase)
        call = CallRecord(
            item=request.item,
            kind="chat",
            provider=self.name,
            model=model,
            endpoint=self.endpoint,
            started_at=now(),
            attempts=0,
        )
        messages = chat_messages(request)
        budget = self.options.output_budget(request.max_output_tokens)
        params = {"max_completion_tokens": budget, **self.options.sampling()}
        call.max_completion_tokens = budget
        fmt = self._format(request.schema)
        schema = fmt["json_schema"]["schema"]
        cache_key = reply_key(
            "chat",
            model,
            {
                "messages": messages,
                "schema_name": request.schema.__name__,
                "schema": schema,
                "params": params,
            },
        )
        cached = await asyncio.to_thread(self.cache.get, cache_key)
        if cached is not None:
            try:
                value = request.schema.model_validate_json(cached["content"])
            except (pydantic.ValidationError, KeyError, TypeError):
                value = None
            if value is not None:
                call.cache_hit = True
                call.key_alias = ""
                call.finished_at = now()
                return ChatResult(value=value, call=call)

        prompt_chars = len(request.system) + len(request.prompt) + len(str(schema))
        tokens_in = prompt_chars // CHARS_PER_TOKEN + 1
        tokens_in += image_tokens(request)
        estimate = pricing.chat_cost(model, tokens_in, budget)
        demand = Demand(requests=1, tokens=tokens_in + budget)
        project_cap = request.inputs.config.max_cost_usd if request.inputs.config else None
        attempts = _Attempts(transport_left=self.options.max_retries)

        async def once(key: ApiKey) -> T:
            raw = await self._client(key).chat.completions.with_raw_response.parse(
                model=model,
                messages=messages,
                response_format=fmt,
                **params,
            )
            usage = _usage(raw)
            call.tokens_in += usage.get("prompt_tokens", 0)
            call.tokens_out += usage.get("completion_tokens", 0)
            call.cost_usd += pricing.chat_cost(
                model, usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
            )
            try:
                completion = raw.parse()
            except openai.LengthFinishReasonError:
                raise _Retry("truncated reply", content=True) from None
            except openai.ContentFilterFinishReasonError:
                raise _Retry("reply stopped by the content filter", content=True) from None
            except pydantic.ValidationError as exc:
                invalid_json = any(e.get("type") == "json_invalid" for e in exc.errors())
                reason = "reply is not valid JSON" if invalid_json else "reply failed validation"
                raise _Retry(reason, content=True) from None
            except ValueError:
                raise _Retry("reply is not valid JSON", content=True) from None
            message = completion.choices[0].message if completion.choices else None
            if message is None or message.refusal:
                raise _Retry("model refused", content=True)
            if not message.content:
                raise _Retry("empty reply", content=True)
            parsed = _validated(request.schema, message.content)
            await asyncio.to_thread(
                self.cache.set, cache_key, {"content": parsed.model_dump_json()}
            )
            return parsed

        try:
            value = await self._attempt(call, once, demand, estimate, project_cap, attempts)
        except _GiveUp as stop:
            call.status = "fallback"
            call.fallback_reason = self._reason(stop, attempts)
            if not self.fallback_to_rules:
                raise GaveUp(call) from None
            value = write_by_rules(request)
        call.finished_at = now()
        return ChatResult(value=value, call=call)

    # --- images -------------------------------------------------------------------------

    async def image(self, request: ImageRequest) -> ImageResult:
        model = self.options.image_model
        quality = self.options.image_quality
        size = api_size(model, request.size)
        call = CallRecord(
            item=request.item,
            kind="image",
            provider=self.name,
            model=model,
            endpoint=self.endpoint,
            started_at=now(),
            attempts=0,
        )
        industry = request.config.industry if request.config else ""
        prompt = image_prompt(request.image, request.palette, industry)
        params: dict[str, Any] = {"size": size, "n": 1}
        if not model.startswith("dall-e-2"):
            params["quality"] = quality
        if model.startswith("dall-e"):
            params["response_format"] = "b64_json"  # gpt-image models only ever return base64
        else:
            params["output_format"] = "png"
        cache_key = reply_key("image", model, {"prompt": prompt, "params": params})
        cached = await asyncio.to_thread(self.cache.get, cache_key)
        if cached is not None:
            try:
                picture = await asyncio.to_thread(_decode, cached, request.size)
            except UntrustedImageError:
                picture = None
            if picture is not None:
                call.cache_hit = True
                call.images = 1
                call.finished_at = now()
                return ImageResult(image=picture, call=call)

        estimate = pricing.image_cost(model, size=size, quality=quality)
        demand = Demand(requests=1, images=1)
        project_cap = request.config.max_cost_usd if request.config else None
        attempts = _Attempts(transport_left=self.options.max_retries)

        async def once(key: ApiKey) -> Image.Image:
            try:
                result = await self._client(key).images.generate(
                    model=model,
                    prompt=prompt,
                    timeout=self.options.image_timeout_s,
                    **params,
                )
            except openai.BadRequestError as exc:
                if exc.code == "moderation_blocked" or "safety" in str(exc.message).lower():
                    raise _GiveUp("image refused by the safety system") from None
                raise
            usage = getattr(result, "usage", None)
            tokens_in = getattr(usage, "input_tokens", None)
            tokens_out = getattr(usage, "output_tokens", None)
            call.tokens_in += tokens_in or 0
            call.tokens_out += tokens_out or 0
            call.cost_usd += pricing.image_cost(
                model, size=size, quality=quality, tokens_in=tokens_in, tokens_out=tokens_out
            )
            b64 = result.data[0].b64_json if result.data else None
            if not b64:
                raise _Retry("reply has no base64 image", content=True)
            try:
                data = base64.b64decode(b64, validate=True)
            except (binascii.Error, ValueError):
                raise _Retry("reply image is not base64", content=True) from None
            try:
                picture = await asyncio.to_thread(_decode, data, request.size)
            except UntrustedImageError as exc:
                raise _Retry(f"unusable image: {str(exc)[:80]}", content=True) from None
            call.images += 1
            await asyncio.to_thread(self.cache.set, cache_key, data)
            return picture

        try:
            picture = await self._attempt(call, once, demand, estimate, project_cap, attempts)
        except _GiveUp as stop:
            call.status = "fallback"
            call.fallback_reason = self._reason(stop, attempts)
            if not self.fallback_to_rules:
                raise GaveUp(call) from None
            picture = await asyncio.to_thread(draw, request)
        call.finished_at = now()
        return ImageResult(image=picture, call=call)

    # --- the one retry layer --------------------------------------------------------------

    async def _attempt(self, call, once, demand, estimate, project_cap, attempts: _Attempts):
        """Run `once(key)` until it answers or the attempts run out (raises _GiveUp)."""
        while True:
            if self.dead:
                raise _GiveUp(self.dead)
            if not self.spend.reserve(estimate, project_cap):
                limit = self.spend.limit(project_cap)
                raise _GiveUp(f"{SPENDING_CAP} of ${limit:g} reached")
            actual = 0.0
            try:
                try:
                    key, waited = await self.pool.acquire(demand)
                except NoUsableKeyError as exc:
                    raise _GiveUp(self.pool.scrub(str(exc))) from None
                except Abandoned:
                    raise _GiveUp(self.dead) from None
                call.wait_s = round(call.wait_s + waited, 4)
                call.attempts += 1
                call.key_alias = key.alias
                before = call.cost_usd
                try:
                    value = await once(key)
                finally:
                    actual = call.cost_usd - before
                if self.health is not None:
                    self.health(True, "")
                return value
            except _Retry as failure:
                attempts.spend(failure)
            except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
                self.pool.drop(key, f"HTTP {exc.status_code}")
                attempts.reasons.append(f"{key.alias} rejected (HTTP {exc.status_code})")
            except _TRANSPORT_ERRORS as exc:
                down = unreachable(exc) if isinstance(exc, openai.APIConnectionError) else ""
                if down:
                    self.mark_dead(down)
                    raise _GiveUp(self.dead) from None
                failed = f"{_describe(exc)} on {key.alias}"
                if isinstance(exc, openai.RateLimitError):
                    self.pool.cool_down(key, retry_after(exc))
                elif self.health is not None and not self.health(False, failed):
                    raise _GiveUp(f"circuit opened after {failed}") from None
                attempts.spend(_Retry(failed, content=False))
            except openai.APIStatusError as exc:
                raise _GiveUp(f"HTTP {exc.status_code} on {key.alias}") from None
            finally:
                self.spend.settle(estimate, actual)

    def mark_dead(self, why: str) -> None:
        """No call of this run reaches the service any more (`why`: connection refused, ...)."""
        if not self.dead:
            url = shown_url(self.options.base_url or OPENAI_DEFAULT_BASE_URL)
            self.dead = f"{UNREACHABLE}: {why} at {url}"
            self.pool.abandon(self.dead)
            log.warning("%s; every call left goes to the rules", self.dead)

    def _reason(self, stop: _GiveUp, attempts: _Attempts) -> str:
        final = str(stop)
        earlier = [r for r in attempts.reasons if r != final]
        text = final if not earlier else f"{final} (after: {'; '.join(earlier[-3:])})"
        return self.pool.scrub(text)[:300]

    def _client(self, key: ApiKey) -> openai.AsyncOpenAI:
        return self._clients[key.alias]

    def _format(self, schema: type[T]) -> dict[str, Any]:
        if schema not in self._formats:
            self._formats[schema] = response_format(schema, self.schema_limits)
        return self._formats[schema]

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.close()
        self.cache.close()
        self.budgets.close()


def _validated(schema: type[T], content: str) -> T:
    """The reply as the phase's model. Only the JSON's shape is checked: the schema's length
    limits guide the model, and over-long text is the content gate's to clip or flag."""
    try:
        return schema.model_validate_json(content)
    except pydantic.ValidationError as exc:
        invalid_json = any(e.get("type") == "json_invalid" for e in exc.errors())
        reason = "reply is not valid JSON" if invalid_json else "reply failed validation"
        raise _Retry(reason, content=True) from None


def _usage(raw: Any) -> dict[str, int]:
    try:
        usage = raw.http_response.json().get("usage") or {}
    except (ValueError, AttributeError):
        return {}
    return {k: int(v) for k, v in usage.items() if isinstance(v, int)}


def _describe(exc: Exception) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    return "connection failed"


def retry_after(exc: openai.APIStatusError) -> float:
    """Seconds a 429 asks us to wait (`retry-after-ms` or `retry-after`), default 1 s."""
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                return float(value) * scale
            except ValueError:
                continue
    return 1.0


def api_size(model: str, size: tuple[int, int]) -> str:
    """The API size nearest the wanted aspect: square, landscape or portrait."""
    width, height = size
    if model.startswith("dall-e-2"):
        return "1024x1024"
    wide, tall = (
        ("1792x1024", "1024x1792")
        if model.startswith("dall-e-3")
        else (
            "1536x1024",
            "1024x1536",
        )
    )
    if width >= height * 1.2:
        return wide
    if height >= width * 1.2:
        return tall
    return "1024x1024"


def _decode(data: bytes, size: tuple[int, int]) -> Image.Image:
    """Checked, re-decoded pixels cropped to the planned size (the offline images' size)."""
    picture = open_untrusted(data)
    return ImageOps.fit(picture, size, method=Image.Resampling.LANCZOS)
