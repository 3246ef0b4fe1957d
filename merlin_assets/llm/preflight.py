"""One cheap request per endpoint before a run: is the service there, and does it take a key?

`merlin generate` asks every endpoint `GET {base_url}/models` once per key, all at once, with
a short timeout and no retries, and sorts the answers:

- `ok`: any HTTP answer other than 401/403 from some key. A 404 counts (llama.cpp and other
  compatible servers may lack `/models`), and so does a 5xx or a 429: the service is there.
- `refused` and `dns`: nothing listens at that address, or its name does not resolve. Waiting
  will not help; with a closed port the run used to spend 324 s in per-image cooldowns before
  building the site by rules anyway.
- `rejected`: 401 or 403 on every key.
- `slow`: no answer within the timeout. Slow is not dead: the run goes on with its own
  timeouts and retries.
- `unknown`: another connection failure (TLS, reset); not called dead on one look.

Nothing here names a key: keys are `key#1`, `key#2`, ... in the order given, and a shown URL
loses any user info and query it carries.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import httpx2

from merlin_assets.config.environment import Settings
from merlin_assets.llm.endpoints import endpoints_file_from_env, load_endpoints
from merlin_assets.llm.settings import OPENAI_DEFAULT_BASE_URL, OpenAIEnvironment, chosen_provider

State = Literal["ok", "refused", "dns", "rejected", "slow", "unknown"]
DEAD: frozenset[str] = frozenset({"refused", "dns", "rejected"})
# Long enough for a cold TLS handshake to a far region (about 1 s), short enough that a dead
# service costs `merlin generate` well under its 10 s budget.
TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Target:
    """One service to check: its name, its base URL, its keys, and where a user fixes them.

    Args:
        name: `openai` for the one service `OPENAI_BASE_URL` names, else the endpoint's name.
        base_url: The service's base URL (its `/models` is asked).
        keys: The keys to try, known as `key#1`, ... in this order.
        url_setting: Where the URL is set (`OPENAI_BASE_URL`, or the endpoints file).
        keys_setting: Where the keys are set (`OPENAI_API_KEY(S)`, or the endpoint's keys_env).
    """

    name: str
    base_url: str
    keys: tuple[str, ...] = field(repr=False)
    url_setting: str = "OPENAI_BASE_URL"
    keys_setting: str = "OPENAI_API_KEY or OPENAI_API_KEYS"


@dataclass(frozen=True)
class Verdict:
    """What one endpoint's check found; `detail` is for people and names no key."""

    target: Target
    state: State
    detail: str
    rejected: tuple[str, ...] = ()  # aliases of the keys answered 401/403

    @property
    def dead(self) -> bool:
        return self.state in DEAD


def shown_url(url: str) -> str:
    """`url` as safe to print: no user info, query or fragment (where a key could hide)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def unreachable(exc: BaseException) -> str:
    """`connection refused` or `name does not resolve` when `exc` (an SDK or httpx error)
    came from one of those, else "". The SDK wraps the socket error two or three deep."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return "connection refused"
        if isinstance(current, socket.gaierror):
            return "name does not resolve"
        current = current.__cause__ or current.__context__
    return ""


async def _ask(client: httpx2.AsyncClient, base_url: str, key: str, timeout_s: float) -> str:
    """One key's answer: `ok`, `rejected`, `refused`, `dns`, `slow` or `unknown`."""
    url = f"{base_url.rstrip('/')}/models"
    try:
        # The name lookup runs in a worker thread the client's timeout does not cover.
        response = await asyncio.wait_for(
            client.get(url, headers={"Authorization": f"Bearer {key}"}), timeout_s + 0.5
        )
    except (httpx2.TimeoutException, TimeoutError):
        return "slow"
    except httpx2.TransportError as exc:
        return {"connection refused": "refused", "name does not resolve": "dns"}.get(
            unreachable(exc), "unknown"
        )
    # Any other answer is a live service: a 404 (no /models), a 429, even a 5xx.
    return "rejected" if response.status_code in (401, 403) else "ok"


def _verdict(target: Target, answers: list[str], timeout_s: float) -> Verdict:
    aliases = [f"key#{i}" for i in range(1, len(answers) + 1)]
    rejected = tuple(a for a, s in zip(aliases, answers, strict=True) if s == "rejected")
    if "ok" in answers:
        return Verdict(target, "ok", "answered", rejected)
    if answers and len(rejected) == len(answers):
        return Verdict(target, "rejected", "every API key was rejected", rejected)
    for state, detail in (
        ("refused", "connection refused"),
        ("dns", f"the name {urlsplit(target.base_url).hostname} does not resolve"),
        ("slow", f"no answer within {timeout_s:g}s"),
    ):
        if state in answers:
            return Verdict(target, state, detail)
    return Verdict(target, "unknown", "the connection failed")


async def check(targets: Iterable[Target], *, timeout_s: float = TIMEOUT_S) -> list[Verdict]:
    """Every target's verdict, in order; all requests go out at once."""
    targets = list(targets)
    # httpx2 is the SDK's own HTTP client (the same proxy and TLS settings) without the SDK:
    # importing `openai` took 1.7 s of a busy 2-core machine, of the 10 s a dead service may cost.
    async with httpx2.AsyncClient(timeout=timeout_s) as client:
        answers = await asyncio.gather(
            *(
                asyncio.gather(*(_ask(client, t.base_url, k, timeout_s) for k in t.keys))
                for t in targets
            )
        )
    return [_verdict(t, list(a), timeout_s) for t, a in zip(targets, answers, strict=True)]


RULES_HINT = "or run with --rules to build the site by rules"


def refusal(verdicts: list[Verdict]) -> str:
    """The one line `merlin generate` ends on when every endpoint is dead."""
    dead = [v for v in verdicts if v.dead]
    if len(dead) == 1:
        v = dead[0]
        url = shown_url(v.target.base_url)
        if v.state == "rejected":
            return (
                f"the model service at {url} refused every API key ({', '.join(v.rejected)}). "
                f"Check {v.target.keys_setting}, {RULES_HINT}."
            )
        return (
            f"cannot reach the model service at {url} ({v.detail}). "
            f"Check {v.target.url_setting}, {RULES_HINT}."
        )
    where = "; ".join(
        f"{v.target.name} at {shown_url(v.target.base_url)} ({v.detail})" for v in dead
    )
    settings = dict.fromkeys(
        v.target.keys_setting if v.state == "rejected" else v.target.url_setting for v in dead
    )
    return f"no model service can be used: {where}. Check {', '.join(settings)}, {RULES_HINT}."


def warnings(verdicts: list[Verdict]) -> list[str]:
    """One line per endpoint that is dead (while others live), slow, or lost some keys."""
    lines = []
    for v in verdicts:
        where = f"{v.target.name} at {shown_url(v.target.base_url)}"
        if v.dead:
            lines.append(f"{where} is not used in this run ({v.detail})")
        elif v.state == "slow":
            lines.append(f"{where} gave no answer within the check; going on (slow is not dead)")
        elif v.state == "unknown":
            lines.append(f"{where} could not be checked ({v.detail}); going on")
        elif v.rejected:
            lines.append(f"{where} rejected {', '.join(v.rejected)}; going on with the others")
    return lines


def targets_from_env(phases: Collection[str] | None = None) -> list[Target]:
    """The services a run with this environment would call; [] when it would call none (the
    offline provider, or no key: the run itself says what is missing).

    Raises:
        EndpointsFileError: `MERLIN_ENDPOINTS` names a file that cannot be used.
    """
    env = OpenAIEnvironment()
    endpoints = endpoints_file_from_env()
    if chosen_provider(Settings().llm, env, endpoints) != "openai":
        return []
    if endpoints:
        found = []
        for spec in load_endpoints(endpoints, phases).endpoints:
            keys = spec.keys()
            if keys:
                found.append(
                    Target(
                        spec.name,
                        spec.base_url,
                        tuple(keys),
                        url_setting=f"endpoint {spec.name} in {endpoints}",
                        keys_setting=f"${spec.keys_env}",
                    )
                )
        return found
    keys = env.keys()
    return [Target("openai", env.base_url or OPENAI_DEFAULT_BASE_URL, tuple(keys))] if keys else []
