"""A dead or wrong model service is told apart from a slow one: before the run `merlin generate`
stops at once with one line, during it every call left goes to the rules without waiting, and
the summary's last line says who wrote the site.

Real parts only: `merlin generate` as a process (or through typer's runner, in this process),
the real `openai` client and httpx2 over HTTP to `FakeOpenAI` on 127.0.0.1, closed ports got by
binding and closing a socket, and the reserved `.invalid` top-level domain for a name that does
not resolve. No wall-clock asserts: the seconds are printed by `python -m
merlin_assets.bench.dead_service`.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from merlin_assets.cli.app import app
from merlin_assets.config.project import load_config
from merlin_assets.gateway.limits import Demand, KeyLimits, SQLiteBudgets
from merlin_assets.llm import preflight
from merlin_assets.llm.authorship import kind_of, written_by
from merlin_assets.llm.base import ChatRequest
from merlin_assets.llm.openai_provider import OpenAILLM, OpenAIOptions
from merlin_assets.llm.pool import PooledLLM
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.fault_support import CALL_PATHS, cli_env, new_home, run_calls

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
KEYS = ("sk-deadsvc-alpha-0001", "sk-deadsvc-bravo-0002")
NO_SUCH_HOST = "http://merlin-no-such-host.invalid/v1"
RULES_HINT = "or run with --rules to build the site by rules."


def _closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: bound, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _silent_server() -> Iterator[str]:
    """A base URL whose port accepts connections and never answers: a hung service."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def _generate(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`merlin generate` on the bakery in its own process, with a fresh Dagster home."""
    new_home(workdir)
    return subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(BAKERY), *args],
        cwd=workdir,
        env=cli_env(workdir, {"MERLIN_CACHE_DIR": str(workdir / "cache"), **env}),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _wrote_nothing(workdir: Path) -> None:
    """No site, no cache, and a Dagster home that holds only the file the test put there."""
    assert not (workdir / "sites").exists()
    assert not (workdir / "cache").exists()
    assert not (workdir / ".merlin").exists()
    assert [p.name for p in (workdir / "dagster_home").iterdir()] == ["dagster.yaml"]


# --- before the run: merlin generate stops with one line --------------------------------------


def test_closed_port_exits_2_naming_the_url_and_writes_nothing(tmp_path: Path):
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    done = _generate(tmp_path, {"OPENAI_API_KEY": KEYS[0], "OPENAI_BASE_URL": url})
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"error: cannot reach the model service at {url} (connection refused). "
        f"Check OPENAI_BASE_URL, {RULES_HINT}"
    ]
    assert done.stdout == ""
    assert KEYS[0] not in done.stderr
    _wrote_nothing(tmp_path)


def test_a_name_that_does_not_resolve_exits_2(tmp_path: Path):
    done = _generate(tmp_path, {"OPENAI_API_KEYS": ",".join(KEYS), "OPENAI_BASE_URL": NO_SUCH_HOST})
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"error: cannot reach the model service at {NO_SUCH_HOST} (the name "
        f"merlin-no-such-host.invalid does not resolve). Check OPENAI_BASE_URL, {RULES_HINT}"
    ]
    assert not any(key in done.stderr for key in KEYS)
    _wrote_nothing(tmp_path)


def test_every_key_rejected_exits_2_naming_the_url_not_the_keys(tmp_path: Path):
    with FakeOpenAI(ServerSettings(rejected_keys=set(KEYS))) as fake:
        env = {"OPENAI_API_KEYS": ",".join(KEYS), "OPENAI_BASE_URL": fake.base_url}
        done = _generate(tmp_path, env)
        seen = fake.requests
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"error: the model service at {fake.base_url} refused every API key (key#1, key#2). "
        f"Check OPENAI_API_KEY or OPENAI_API_KEYS, {RULES_HINT}"
    ]
    assert not any(key in done.stderr for key in KEYS)
    # One look per key, and no call: nothing was asked to write anything.
    assert [(r["path"], r["status"]) for r in seen] == [("/v1/models", 401)] * 2
    assert {r["key"] for r in seen} == set(KEYS)
    _wrote_nothing(tmp_path)


def test_an_endpoints_file_with_every_endpoint_dead_exits_2_naming_each(tmp_path: Path):
    down = f"http://127.0.0.1:{_closed_port()}/v1"
    endpoints = tmp_path / "endpoints.yaml"
    endpoints.write_text(
        yaml.safe_dump(
            {
                "endpoints": [
                    {"name": "local", "base_url": down, "chat_model": "m"},
                    {"name": "far", "base_url": NO_SUCH_HOST, "chat_model": "m"},
                ]
            }
        )
    )
    done = _generate(tmp_path / "w", {"MERLIN_ENDPOINTS": str(endpoints)})
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"error: no model service can be used: local at {down} (connection refused); far at "
        f"{NO_SUCH_HOST} (the name merlin-no-such-host.invalid does not resolve). Check "
        f"endpoint local in {endpoints}, endpoint far in {endpoints}, {RULES_HINT}"
    ]


# --- the check itself --------------------------------------------------------------------------


def _target(url: str, *keys: str) -> preflight.Target:
    return preflight.Target("openai", url, keys or (KEYS[0],))


def test_the_check_tells_each_answer_apart():
    with (
        FakeOpenAI(ServerSettings(rejected_keys={KEYS[1]})) as fake,
        _silent_server() as hung,
    ):
        targets = [
            _target(fake.base_url, *KEYS),  # answers, for one key of two
            _target(fake.base_url + "/nowhere"),  # answers 404: no /models, still alive
            _target(f"http://127.0.0.1:{_closed_port()}/v1"),
            _target(NO_SUCH_HOST),
            _target(hung),
        ]
        verdicts = asyncio.run(preflight.check(targets, timeout_s=0.5))
    states = [(v.state, v.dead, v.rejected) for v in verdicts]
    assert states == [
        ("ok", False, ("key#2",)),
        ("ok", False, ()),
        ("refused", True, ()),
        ("dns", True, ()),
        ("slow", False, ()),
    ]
    lines = preflight.warnings(verdicts)
    assert f"openai at {fake.base_url} rejected key#2; going on with the others" in lines
    assert f"openai at {hung} gave no answer within the check; going on (slow is not dead)" in (
        lines
    )


def test_a_slow_service_passes_the_check_and_merlin_generate_goes_on(tmp_path, monkeypatch):
    """The check of `merlin generate` itself, on a service that accepts and never answers."""
    import merlin_assets.cli.app as cli

    with _silent_server() as hung:
        monkeypatch.setenv("MERLIN_LLM", "openai")
        monkeypatch.setenv("OPENAI_API_KEY", KEYS[0])
        monkeypatch.setenv("OPENAI_BASE_URL", hung)
        monkeypatch.delenv("MERLIN_ENDPOINTS", raising=False)
        assert cli._check_services() == []  # no typer.Exit: the run would go on


def test_an_endpoint_dead_before_the_run_is_named_and_never_opened(tmp_path, monkeypatch, capsys):
    """Of two endpoints one is down: `merlin generate`'s check warns and hands it to the run."""
    import merlin_assets.cli.app as cli
    from merlin_assets.defs.resources import LLMResource

    down = f"http://127.0.0.1:{_closed_port()}/v1"
    with FakeOpenAI(ServerSettings(seed=7)) as live:
        path = _pool_file(tmp_path / "endpoints.yaml", {"down": down, "live": live.base_url})
        monkeypatch.setenv("MERLIN_ENDPOINTS", str(path))
        monkeypatch.delenv("MERLIN_LLM", raising=False)
        dead = cli._check_services()
        warned = capsys.readouterr().err.splitlines()
        resource = LLMResource.from_env(dead_endpoints=dead, cache_dir=str(tmp_path / "c"))
        pool = resource.open()
        results = _pool_calls(pool, 1)
    assert dead == ["down"]
    assert warned == [f"warning: down at {down} is not used in this run (connection refused)"]
    assert isinstance(pool, PooledLLM)
    assert pool.members["down"].dropped == "found dead before the run"
    assert results[0].call.endpoint == "live"


def test_shown_urls_lose_what_could_hold_a_key():
    shown = preflight.shown_url("https://user:sk-secret@example.com:8443/v1/?key=sk-other#x")
    assert shown == "https://example.com:8443/v1"


# --- during the run: a service that dies is dead for every call left -------------------------


def _request() -> ChatRequest:
    from merlin_assets.phases import graph
    from merlin_assets.phases.base import NodeInputs

    phase = graph().phases["design_context"]
    inputs = NodeInputs(config=load_config(BAKERY))
    return ChatRequest(
        phase=phase.name,
        item="design_context",
        system="Answer in JSON.",
        prompt="Who visits a bakery's site?",
        schema=phase.model,
        inputs=inputs,
        rules=lambda: phase.write_by_rules(inputs),
    )


def _provider(url: str, tmp_path: Path, **options) -> OpenAILLM:
    values = {"base_url": url, "timeout_s": 5.0, "max_retries": 2, **options}
    chosen = OpenAIOptions(**values)
    return OpenAILLM(
        keys=list(KEYS),
        options=chosen,
        budgets=SQLiteBudgets(tmp_path / "limits.sqlite", chosen.limits),
    )


def test_a_refused_connection_makes_every_later_call_fall_back_without_an_attempt(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    llm = _provider(url, tmp_path)

    async def three() -> list:
        try:
            return [await llm.chat(_request()) for _ in range(3)]
        finally:
            await llm.aclose()

    first, *later = asyncio.run(three())
    reason = f"service unreachable: connection refused at {url}"
    # The first call tried once, was refused, and used none of its two retries.
    assert (first.call.status, first.call.attempts, first.call.fallback_reason) == (
        "fallback",
        1,
        reason,
    )
    assert [(r.call.attempts, r.call.fallback_reason) for r in later] == [(0, reason)] * 2
    assert all(r.value is not None for r in [first, *later])
    assert kind_of(reason) == "service unreachable"


def test_calls_waiting_for_a_key_stop_waiting_once_the_service_is_dead(tmp_path):
    """Two calls wait on a spent budget (one request a minute); the service dies meanwhile."""
    llm = _provider(
        f"http://127.0.0.1:{_closed_port()}/v1",
        tmp_path,
        limits=KeyLimits(requests=1, tokens=0, images=0),
    )
    for key in llm.pool.keys:  # spend each key's one request of this minute
        assert llm.budgets.try_take(key.bucket_id, Demand(requests=1)) == 0

    async def run() -> list:
        try:
            waiting = [asyncio.create_task(llm.chat(_request())) for _ in range(2)]
            await asyncio.sleep(0.2)
            llm.mark_dead("connection refused")
            return await asyncio.gather(*waiting)
        finally:
            await llm.aclose()

    results = asyncio.run(run())
    assert [(r.call.status, r.call.attempts) for r in results] == [("fallback", 0)] * 2
    assert all(r.call.fallback_reason.startswith("service unreachable") for r in results)


def test_a_service_that_times_out_is_slow_not_dead(tmp_path):
    with FakeOpenAI(ServerSettings(faults={"hang": 1.0}, hang_s=3.0)) as fake:
        llm = _provider(fake.base_url, tmp_path, timeout_s=0.3, max_retries=1)

        async def two() -> list:
            try:
                return [await llm.chat(_request()) for _ in range(2)]
            finally:
                await llm.aclose()

        results = asyncio.run(two())
        fake.stop()
        calls = [r for r in fake.requests if r["path"] in CALL_PATHS]
    assert llm.dead == ""
    # Both calls used their retry: a timeout keeps today's retries.
    assert [r.call.attempts for r in results] == [2, 2]
    assert all("timed out" in r.call.fallback_reason for r in results)
    assert kind_of(results[0].call.fallback_reason) == "timed out"
    assert len(calls) == 4


def _pool_file(path: Path, endpoints: dict[str, str]) -> Path:
    spec = [
        {
            "name": name,
            "base_url": url,
            "chat_model": "gpt-4o-mini",
            "limits": {"rpm": 600, "tpm": 10_000_000, "images_per_min": 600},
        }
        for name, url in endpoints.items()
    ]
    path.write_text(yaml.safe_dump({"endpoints": spec, "routes": {"default": list(endpoints)}}))
    return path


def _pool_calls(pool: PooledLLM, n: int) -> list:
    async def run() -> list:
        try:
            return [await pool.chat(_request()) for _ in range(n)]
        finally:
            await pool.aclose()

    return asyncio.run(run())


def test_a_pool_drops_an_endpoint_that_refuses_and_the_next_one_answers(tmp_path):
    down = f"http://127.0.0.1:{_closed_port()}/v1"
    with FakeOpenAI(ServerSettings(seed=4)) as live:
        path = _pool_file(tmp_path / "endpoints.yaml", {"down": down, "live": live.base_url})
        pool = PooledLLM.open(
            path, defaults=OpenAIOptions(), cache_dir=tmp_path / "cache", cache=False
        )
        results = _pool_calls(pool, 3)
        answered = [r for r in live.requests if r["path"] in CALL_PATHS]
    assert [(r.call.status, r.call.endpoint) for r in results] == [("ok", "live")] * 3
    assert pool.members["down"].dropped.startswith("dropped for this run (service unreachable")
    # The first call found it dead; the others passed it over without a request.
    assert "down: service unreachable: connection refused" in results[0].call.failover
    for later in results[1:]:
        assert later.call.failover.startswith("down: dropped for this run (service unreachable")
    assert len(answered) == 3


def test_a_pool_never_calls_an_endpoint_found_dead_before_the_run(tmp_path):
    with FakeOpenAI(ServerSettings(seed=5)) as first, FakeOpenAI(ServerSettings(seed=6)) as second:
        path = _pool_file(tmp_path / "e.yaml", {"first": first.base_url, "second": second.base_url})
        pool = PooledLLM.open(
            path,
            defaults=OpenAIOptions(),
            cache_dir=tmp_path / "cache",
            cache=False,
            dead=["first"],
        )
        results = _pool_calls(pool, 2)
        seen = (first.requests, [r for r in second.requests if r["path"] in CALL_PATHS])
    assert seen[0] == [] and len(seen[1]) == 2
    assert [r.call.endpoint for r in results] == ["second", "second"]
    assert all("first: found dead before the run" in r.call.failover for r in results)


# --- who wrote the site ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("service unreachable: connection refused at http://127.0.0.1:9/v1", "service unreachable"),
        (
            "every endpoint of route default failed: a: found dead before the run",
            "service unreachable",
        ),
        ("every API key was rejected: key#1 (HTTP 401)", "API keys rejected"),
        ("spending cap of $0.01 reached", "spending cap"),
        ("HTTP 429 on key#1 (after: HTTP 429 on key#2)", "rate limited"),
        ("timed out on key#1", "timed out"),
        ("HTTP 503 on key#2", "service errors"),
        ("reply failed validation (after: reply is not valid JSON)", "invalid answers"),
        ("model refused", "invalid answers"),
        ("RuntimeError: boom", "other errors"),
    ],
)
def test_fallback_reasons_are_named_by_kind(reason: str, kind: str):
    assert kind_of(reason) == kind


def test_the_written_by_line():
    def item(fallback: bool = False, reason: str = "", calls: int = 1) -> dict:
        return {"llm_calls": calls, "fallback": fallback, "fallback_reason": reason}

    model = [item(), item(), item(calls=0)]  # the last asked nothing: not counted
    assert written_by(model) == "written by the model: 2 of 2 items; by rules: 0"
    dead = [item(True, "service unreachable: connection refused")] * 3
    assert written_by([*model, *dead]) == (
        "written by the model: 2 of 5 items; by rules: 3 (service unreachable)"
    )
    mixed = [*dead, item(True, "reply failed validation")]
    assert written_by(mixed) == (
        "written by the model: 0 of 4 items; by rules: 4 (3 service unreachable, 1 invalid answers)"
    )
    assert written_by(model, offline="run with --rules") == (
        "written by rules: 2 of 2 items (offline: run with --rules)"
    )


# --- whole runs ---------------------------------------------------------------------------------


def _cli_env(monkeypatch, tmp_path: Path, url: str) -> None:
    monkeypatch.setenv("MERLIN_LLM", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", KEYS[0])
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("MERLIN_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("OPENAI_API_KEYS", "MERLIN_ENDPOINTS", "MERLIN_KEY_IMAGES_PER_MIN"):
        monkeypatch.delenv(name, raising=False)


def _run_id(dagster_home: Path) -> str:
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        return instance.get_run_records(limit=1)[0].dagster_run.run_id


@pytest.mark.slow
def test_rules_builds_the_site_without_a_single_request(dagster_home, sites, tmp_path, monkeypatch):
    with FakeOpenAI() as fake:
        _cli_env(monkeypatch, tmp_path, fake.base_url)
        done = CliRunner().invoke(app, ["generate", str(BAKERY), "--rules"])
        seen = fake.requests
    assert done.exit_code == 0, done.output
    assert seen == []
    assert (sites / "crumb-co-bakery" / "index.html").is_file()
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        report, calls = run_calls(instance, _run_id(dagster_home))
    asked = [i for i in report.items if i.llm_calls]
    assert asked and {c["provider"] for c in calls} == {"offline"}
    assert done.output.rstrip().splitlines()[-1] == (
        f"written by rules: {len(asked)} of {len(asked)} items (offline: run with --rules)"
    )


@pytest.mark.slow
def test_a_service_that_dies_mid_run_costs_no_image_a_cooldown(
    dagster_home, sites, tmp_path, monkeypatch
):
    """The server answers three chat calls, then stops for good (the fourth request is cut).

    The images' budget stays at its default, five a minute per key, with one key: before, each
    image spent its key's budget on failed attempts and waited about a minute for the next.
    """
    fake = FakeOpenAI(ServerSettings(seed=8))
    answered = []
    lock = threading.Lock()

    def die_after_three(request: dict) -> None:
        with lock:
            answered.append(request.get("model"))
            if len(answered) > 3:
                fake.stop()
        return None  # the schema's generated content

    fake.settings.responder = die_after_three
    fake.start()
    try:
        _cli_env(monkeypatch, tmp_path, fake.base_url)
        done = CliRunner().invoke(app, ["generate", str(BAKERY)])
    finally:
        fake.stop()
    assert done.exit_code == 0, done.output
    site = sites / "crumb-co-bakery"
    assert (site / "index.html").is_file() and list((site / "images").glob("*.webp"))

    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        report, calls = run_calls(instance, _run_id(dagster_home))
    images = [c for c in calls if c["asset"] == "site_images"]
    assert len(images) == report.planned_images and images
    unreachable = f"service unreachable: connection refused at {fake.base_url}"
    for call in images:
        # Found dead before it: no attempt, no wait for a key, straight to the drawing.
        assert call["status"] == "fallback", call
        assert call["fallback_reason"] == unreachable, call
        assert (call["attempts"], call["wait_s"]) == (0, 0.0), call
    asked = [i for i in report.items if i.llm_calls]
    by_model = [i for i in asked if not i.fallback]
    assert len(by_model) <= 3  # at most the three answers (the content gate may ask again)
    for item in asked:
        if item.fallback:
            assert kind_of(item.meta["fallback_reason"]) == "service unreachable", item.meta
    last = done.output.rstrip().splitlines()[-1]
    assert last == (
        f"written by the model: {len(by_model)} of {len(asked)} items; "
        f"by rules: {len(asked) - len(by_model)} (service unreachable)"
    )
    assert re.search(r"quality: \d+/\d+ checks passed", done.output)
