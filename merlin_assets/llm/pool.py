"""An endpoint pool: several OpenAI-compatible services, routed per phase, with failover.

`PooledLLM` holds one `OpenAILLM` per endpoint of the endpoints file (`endpoints.py`), each with
its own keys (aliased `<endpoint>/key#1`, ...), its own per-key limits and rate budgets
(namespaced by endpoint, so one key used on two services counts twice), and a reply cache keyed
by the endpoint's name and base URL. Every call follows its route:

1. Endpoints dropped for the run (no keys, every key rejected, found dead before the run, or
   refusing connections or unresolvable during it) and those whose circuit is open
   (`breaker.py`) are passed over.
2. The first endpoint that has budget now takes the call: one whose keys would all make the
   call wait is passed over while a later endpoint of the route can take it at once; when none
   can, the call waits on the one whose budget frees soonest.
3. A call that fails on an endpoint (its retries used up, a 5xx/timeout streak that opened the
   circuit, every key rejected, a reply that never validated) moves on to the next endpoint.
   Only the spending cap stops the route: another endpoint would spend from the same cap.
4. When every endpoint of the route has failed, the rules answer, and the call record names
   the endpoints and why each failed.

Each record carries the endpoint that answered (`CallRecord.endpoint`) and, in `failover`, the
endpoints tried before it; tokens and cost spent on those go on the record too. The circuit
state and the spending cap are shared like the budgets:
through Redis when `MERLIN_REDIS_URL` is set, else on this machine.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import logging
import re
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from merlin_assets.gateway.breaker import OPEN, PROBE, CircuitBreaker, breaker_store_for
from merlin_assets.gateway.cache import EndpointCache
from merlin_assets.gateway.keys import KeyPool
from merlin_assets.gateway.limits import Demand, RateBudgets, SQLiteBudgets
from merlin_assets.gateway.shared_state import cache_for, spending_cap_for
from merlin_assets.gateway.spending import SpendingCap
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
from merlin_assets.llm.endpoints import (
    VISION_ROUTE,
    Endpoint,
    EndpointsFile,
    EndpointsFileError,
    load_endpoints,
)
from merlin_assets.llm.offline import draw, write_by_rules
from merlin_assets.llm.openai_provider import SPENDING_CAP, OpenAILLM, OpenAIOptions

log = logging.getLogger(__name__)

ALL_KEYS_REJECTED = "every API key was rejected"
REASON_MAX = 300
_ALIAS = re.compile(r"(?<![\w/#])key#(\d+)")


class WouldWait(Exception):
    """Every ready key of the endpoint would make the call wait `wait` seconds."""

    def __init__(self, wait: float):
        super().__init__(f"busy for {wait:.2f}s")
        self.wait = wait


@dataclass
class _Spill:
    """One call's no-wait attempt on one endpoint: which of its keys refused so far."""

    budgets: _SpillBudgets
    pool: KeyPool
    active: bool = True

    def __post_init__(self) -> None:
        self.refused: set[str] = set()
        self.waits: list[float] = []


_SPILL: contextvars.ContextVar[_Spill | None] = contextvars.ContextVar("merlin_spill", default=None)


class _SpillBudgets:
    """An endpoint's budgets, which refuse to wait while a pool call may go elsewhere.

    Inside a no-wait attempt, once every ready key of the endpoint has refused the demand,
    `try_take` raises `WouldWait` (nothing was taken) instead of letting the key pool sleep.
    Everything else is the wrapped budgets' (`cool_down` too, when they share cooldowns).
    """

    def __init__(self, inner: RateBudgets):
        self.inner = inner

    def try_take(self, key_id: str, demand: Demand) -> float:
        wait = self.inner.try_take(key_id, demand)
        spill = _SPILL.get()
        if spill is None or spill.budgets is not self or not spill.active:
            return wait
        if wait <= 0:
            spill.active = False  # taken: this call is the endpoint's now, retries may wait
            return wait
        spill.refused.add(key_id)
        spill.waits.append(wait)
        moment = time.monotonic()
        ready = {k.bucket_id for k in spill.pool.usable() if k.cooldown_until <= moment}
        if ready <= spill.refused:
            raise WouldWait(min(spill.waits))
        return wait

    def remaining(self, key_id: str) -> float:
        return self.inner.remaining(key_id)

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass
class Member:
    """One endpoint of the pool and its provider (None when it cannot be used at all)."""

    spec: Endpoint
    llm: OpenAILLM | None
    dropped: str = ""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def slug(self) -> str:
        return self.spec.slug

    def ready_in(self) -> float:
        """Seconds until some usable key is out of its 429 cooldown (0: one is ready)."""
        assert self.llm is not None
        moment = time.monotonic()
        usable = self.llm.pool.usable()
        if not usable:
            return 0.0
        return max(0.0, min(k.cooldown_until - moment for k in usable))


def aliased(name: str, text: str) -> str:
    """`key#2` in `text` as `<endpoint>/key#2`."""
    return _ALIAS.sub(lambda m: f"{name}/key#{m.group(1)}", text)


def endpoint_options(spec: Endpoint, defaults: OpenAIOptions) -> tuple[OpenAIOptions, list[str]]:
    """The run's options with the endpoint's models, limits, overrides and sampling.

    Returns the options and the names of sampling settings this version of the provider has
    no field for (they are not sent).
    """
    fields = {f.name for f in dataclasses.fields(OpenAIOptions)}
    changes: dict[str, Any] = {
        "chat_model": spec.chat_model,
        "phase_models": dict(spec.phase_models),
        "image_model": spec.image_model or defaults.image_model,
        "limits": spec.limits.key_limits(),
        "base_url": spec.base_url,
    }
    for name in ("image_quality", "max_output_tokens", "timeout_s", "image_timeout_s"):
        if getattr(spec, name) is not None:
            changes[name] = getattr(spec, name)
    if spec.max_retries is not None:
        changes["max_retries"] = spec.max_retries
    unsent = []
    for name, value in spec.sampling().items():
        if name in fields:
            changes[name] = value
        else:
            unsent.append(name)
    # Fields other tools add to an endpoint that are provider options (e.g. schema_limits).
    for name, value in (spec.model_extra or {}).items():
        if name in fields and name not in changes and name not in ("max_cost_usd",):
            changes[name] = value
    return dataclasses.replace(defaults, **changes), unsent


def _register_prices(spec: Endpoint) -> None:
    """An endpoint's own prices, by model name, for its records and the spending cap."""
    prices = spec.prices
    if prices is None:
        return
    if prices.input_per_million is not None or prices.output_per_million is not None:
        for model in {spec.chat_model, *spec.phase_models.values()}:
            known = pricing.chat_price(model)
            pricing.CHAT_PRICES[model] = pricing.TokenPrice(
                prices.input_per_million if prices.input_per_million is not None else known.input,
                prices.output_per_million
                if prices.output_per_million is not None
                else known.output,
            )
    if prices.per_image is not None and spec.image_model:
        pricing.IMAGE_TOKEN_PRICES.pop(spec.image_model, None)
        pricing.IMAGE_PRICES[spec.image_model] = {("standard", "1024x1024"): prices.per_image}


class PooledLLM(LLM):
    """Routes every call over the endpoints of its route, with failover and a circuit breaker.

    Args:
        file: The checked endpoints file.
        members: Every endpoint by name, with its provider (built by `open`).
        breaker: The shared circuit breaker.
    """

    name = "openai"

    def __init__(self, file: EndpointsFile, members: dict[str, Member], breaker: CircuitBreaker):
        self.file = file
        self.members = members
        self.breaker = breaker
        breaker.names.update({m.slug: m.name for m in members.values()})
        for member in members.values():
            if member.llm is not None:
                member.llm.endpoint = member.name
                member.llm.fallback_to_rules = False
                member.llm.health = self._health(member)

    # --- building ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        source: str | Path | EndpointsFile,
        *,
        defaults: OpenAIOptions,
        cache_dir: Path,
        redis_url: str | None = None,
        cache: bool = True,
        scope: str | None = None,
        environ: dict[str, str] | None = None,
        dead: list[str] | None = None,
        phases: Collection[str] | None = None,
    ) -> PooledLLM:
        """A pool for one run from an endpoints file; `defaults` are the run's options.

        `dead` names endpoints found dead before the run (`preflight.py`): they are never
        called. `phases` (the graph's) are the route names the file may use.

        Raises:
            EndpointsFileError: The file is wrong, or no endpoint has keys.
        """
        file = source if isinstance(source, EndpointsFile) else load_endpoints(source, phases)
        where = "endpoints" if isinstance(source, EndpointsFile) else str(source)
        cache_dir = Path(cache_dir)
        url = redis_url.strip() if redis_url and redis_url.strip() else None
        cap = defaults.max_cost_usd
        spend = (
            spending_cap_for(url, cap, scope=scope) if url and scope and cap else SpendingCap(cap)
        )
        members: dict[str, Member] = {}
        for spec in file.endpoints:
            keys = spec.keys(environ)
            if not keys:
                reason = f"no keys: ${spec.keys_env} is not set"
                log.warning("endpoint %s is not used: %s", spec.name, reason)
                members[spec.name] = Member(spec, None, dropped=reason)
                continue
            options, unsent = endpoint_options(spec, defaults)
            if unsent:
                log.warning(
                    "endpoint %s: %s not sent (the provider has no such setting)",
                    spec.name,
                    ", ".join(unsent),
                )
            _register_prices(spec)
            llm = OpenAILLM(
                keys=keys,
                options=options,
                budgets=_SpillBudgets(_budgets(spec, options, url, cache_dir)),
                cache=EndpointCache(
                    cache_for(url, cache_dir=cache_dir, enabled=cache), spec.identity
                ),
            )
            llm.spend = spend
            members[spec.name] = Member(spec, llm)
        if all(m.llm is None for m in members.values()):
            names = ", ".join(f"{m.name} (${m.spec.keys_env})" for m in members.values())
            raise EndpointsFileError(f"{where}: no endpoint has keys: set {names}")
        for name in dead or ():
            if name in members and not members[name].dropped:
                members[name].dropped = "found dead before the run"
        breaker = CircuitBreaker(
            breaker_store_for(url, cache_dir=cache_dir),
            failures=file.breaker.failures,
            cooldown_s=file.breaker.cooldown_s,
        )
        return cls(file, members, breaker)

    def _health(self, member: Member) -> Callable[[bool, str], bool]:
        def report(ok: bool, detail: str) -> bool:
            if ok:
                self.breaker.success(member.slug)
                return True
            return not self.breaker.failure(member.slug, aliased(member.name, detail))

        return report

    # --- calls ---------------------------------------------------------------------------

    @property
    def vision(self) -> bool:  # type: ignore[override]
        return bool(self.file.vision_route())

    async def chat(self, request: ChatRequest[T]) -> ChatResult[T]:
        route, names = self.file.chat_route(request.phase)
        if request.image is not None and route != VISION_ROUTE:
            # A photo goes only where the file sends photos: not to `default`, not to a phase's.
            route, names = VISION_ROUTE, self.file.vision_route()

        async def ask(llm: OpenAILLM) -> ChatResult[T]:
            return await llm.chat(request)

        async def rules(call: CallRecord) -> ChatResult[T]:
            return ChatResult(value=write_by_rules(request), call=call)

        return await self._route(route, names, "chat", request.item, ask, rules)

    async def image(self, request: ImageRequest) -> ImageResult:
        route, names = self.file.image_route()
        by_name = self.file.by_name()
        names = [n for n in names if by_name[n].image_model]

        async def ask(llm: OpenAILLM) -> ImageResult:
            return await llm.image(request)

        async def rules(call: CallRecord) -> ImageResult:
            call.images = max(call.images, 1)
            return ImageResult(image=await asyncio.to_thread(draw, request), call=call)

        return await self._route(route, names, "image", request.item, ask, rules)

    async def _route(
        self,
        route: str,
        names: list[str],
        kind: str,
        item: str,
        ask: Callable[[OpenAILLM], Awaitable[Any]],
        rules: Callable[[CallRecord], Awaitable[Any]],
    ) -> Any:
        started = now()
        notes: list[str] = []
        deferred: list[tuple[float, str]] = []
        last: list[CallRecord] = []
        candidates = [n for n in names if self._usable(n, notes)]
        for i, name in enumerate(candidates):
            no_wait = i < len(candidates) - 1 or bool(deferred)
            outcome = await self._try(name, ask, no_wait, notes, deferred, last)
            if outcome is not None:
                return self._answered(outcome, notes, route, last)
            if last and last[-1].fallback_reason.startswith(SPENDING_CAP):
                break
        else:
            for _, name in sorted(deferred):
                if not self._usable(name, notes):
                    continue
                outcome = await self._try(name, ask, False, notes, [], last)
                if outcome is not None:
                    return self._answered(outcome, notes, route, last)
                if last and last[-1].fallback_reason.startswith(SPENDING_CAP):
                    break
        call = (
            last[-1]
            if last
            else CallRecord(
                item=item, kind=kind, provider=self.name, model="rules", started_at=started
            )
        )
        _fold(call, last[:-1])
        call.started_at = started
        call.status = "fallback"
        if call.fallback_reason.startswith(SPENDING_CAP):
            call.fallback_reason = call.fallback_reason[:REASON_MAX]
        else:
            summary = "; ".join(notes) or "no endpoint serves it"
            call.fallback_reason = f"every endpoint of route {route} failed: {summary}"[:REASON_MAX]
        call.failover = "; ".join(notes)[:REASON_MAX]
        call.extra["route"] = route
        result = await rules(call)
        call.finished_at = now()
        return result

    def _usable(self, name: str, notes: list[str]) -> bool:
        member = self.members[name]
        if member.llm is not None and member.llm.dead and not member.dropped:
            member.dropped = f"dropped for this run ({member.llm.dead})"
        if member.llm is None or member.dropped:
            note = f"{name}: {member.dropped}"
            if note not in notes:
                notes.append(note)
            return False
        return True

    async def _try(
        self,
        name: str,
        ask: Callable[[OpenAILLM], Awaitable[Any]],
        no_wait: bool,
        notes: list[str],
        deferred: list[tuple[float, str]],
        last: list[CallRecord],
    ) -> Any | None:
        """One endpoint's go at the call: its result, or None (a note says why)."""
        member = self.members[name]
        assert member.llm is not None
        permit = await asyncio.to_thread(self.breaker.acquire, member.slug)
        if permit == OPEN:
            notes.append(f"{name}: circuit open")
            return None
        try:
            if no_wait:
                cooling = member.ready_in()
                if cooling > 0:
                    deferred.append((cooling, name))
                    return None
            token = _SPILL.set(_Spill(member.llm.budgets, member.llm.pool) if no_wait else None)
            try:
                return await ask(member.llm)
            except WouldWait as busy:
                deferred.append((busy.wait, name))
                return None
            except GaveUp as stop:
                self._failed(member, stop.call, notes)
                last.append(stop.call)
                return None
            except Exception as exc:  # a provider bug: this endpoint failed, try the next
                log.exception("endpoint %s failed unexpectedly", name)
                notes.append(f"{name}: {type(exc).__name__}: {str(exc)[:80]}")
                return None
            finally:
                _SPILL.reset(token)
        finally:
            if permit == PROBE:
                self.breaker.release(member.slug)

    def _failed(self, member: Member, call: CallRecord, notes: list[str]) -> None:
        reason = aliased(member.name, call.fallback_reason)
        call.fallback_reason = reason
        call.key_alias = aliased(member.name, call.key_alias)
        call.finished_at = now()
        dead = ALL_KEYS_REJECTED in reason or bool(member.llm and member.llm.dead)
        if dead and not member.dropped:
            member.dropped = f"dropped for this run ({reason})"
            log.warning("endpoint %s dropped for this run: %s", member.name, reason)
            self.breaker.trip(member.slug, reason)
        notes.append(f"{member.name}: {reason}")

    def _answered(self, result: Any, notes: list[str], route: str, failed: list[CallRecord]) -> Any:
        call: CallRecord = result.call
        _fold(call, failed)
        call.key_alias = aliased(call.endpoint, call.key_alias) if call.key_alias else ""
        if notes:
            call.failover = "; ".join(notes)[:REASON_MAX]
        call.extra["route"] = route
        return result

    # --- state ---------------------------------------------------------------------------

    def circuits(self) -> dict[str, str]:
        """Each endpoint's circuit now: closed, open, half-open or probing."""
        return {name: self.breaker.state(m.slug) for name, m in self.members.items()}

    async def aclose(self) -> None:
        for member in self.members.values():
            if member.llm is not None:
                await member.llm.aclose()
        self.breaker.close()


def _fold(call: CallRecord, failed: list[CallRecord]) -> None:
    """What calls that failed on earlier endpoints cost goes on the record of the call: the
    money was spent (and counted by the spending cap) even though another endpoint answered."""
    for other in failed:
        call.tokens_in += other.tokens_in
        call.tokens_out += other.tokens_out
        call.cost_usd += other.cost_usd
        call.wait_s = round(call.wait_s + other.wait_s, 4)


def _budgets(
    spec: Endpoint, options: OpenAIOptions, redis_url: str | None, cache_dir: Path
) -> RateBudgets:
    """The endpoint's own per-key budgets: Redis under its own prefix, or its own file."""
    if redis_url:
        from merlin_assets.gateway.redis_budgets import RedisBudgets

        return RedisBudgets(redis_url, options.limits, prefix=f"merlin:budget:{spec.slug}")
    return SQLiteBudgets(cache_dir / "endpoints" / f"{spec.slug}.limits.sqlite", options.limits)
