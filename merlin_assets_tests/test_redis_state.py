"""Fleet state in Redis: per-key budgets, cooldowns, spending caps and the reply cache.

Every test starts its own `redis-server` on 127.0.0.1 (in memory) and stops it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import threading
import time
from pathlib import Path

import pytest
from pydantic import Field

from merlin_assets.config.environment import Settings
from merlin_assets.config.project import ProjectConfig
from merlin_assets.gateway.cache import DiskReplyCache, NoCache, reply_key
from merlin_assets.gateway.keys import KeyPool, bucket_id
from merlin_assets.gateway.limits import (
    SAFETY_MS,
    Demand,
    KeyLimits,
    SharedCooldowns,
    SQLiteBudgets,
)
from merlin_assets.gateway.redis_budgets import RedisBudgets
from merlin_assets.gateway.redis_cache import RedisReplyCache
from merlin_assets.gateway.redis_spending import RedisSpendingCap
from merlin_assets.gateway.shared_state import budgets_for, cache_for, spending_cap_for
from merlin_assets.llm.base import ChatRequest
from merlin_assets.llm.openai_provider import OpenAILLM, OpenAIOptions
from merlin_assets.phases.base import NodeInputs
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.testing.redis_server import RedisServer
from merlin_assets.types.phase_model import PhaseModel

pytestmark = pytest.mark.needs_service("redis-server")

# A 60 s window as the budgets keep it: longer by the arrival-lag slack.
WINDOW_WITH_SLACK = 60 + SAFETY_MS / 1000


@pytest.fixture
def server(tmp_path: Path):
    with RedisServer(directory=tmp_path) as srv:
        yield srv


def _budgets(url: str, limits: KeyLimits, **kw) -> RedisBudgets:
    return RedisBudgets(url, limits, safety_ms=kw.pop("safety_ms", 0), **kw)


# --- one process -------------------------------------------------------------------------------


def test_budget_refuses_then_admits_after_the_window(server: RedisServer) -> None:
    budgets = _budgets(server.url, KeyLimits(3, 0, 0, window_s=0.5))
    try:
        assert [budgets.try_take("a", Demand()) for _ in range(3)] == [0.0, 0.0, 0.0]
        wait = budgets.try_take("a", Demand())
        assert 0 < wait <= 0.51
        assert budgets.remaining("a") == 0.0
        assert budgets.try_take("b", Demand()) == 0.0  # keys have separate budgets
        time.sleep(wait)
        assert budgets.try_take("a", Demand()) == 0.0
    finally:
        budgets.close()


def test_budget_windows_carry_slack_for_arrival_lag(server: RedisServer) -> None:
    budgets = RedisBudgets(server.url, KeyLimits(1, 0, 0, window_s=60))
    try:
        admitted = time.monotonic()
        assert budgets.try_take("a", Demand()) == 0.0
        wait = budgets.try_take("a", Demand())
        asked = time.monotonic()
        # The window runs from the admission; however long the machine took between the two
        # calls, the wait ends one window plus its slack (more than 60 s) after the first call.
        assert admitted + WINDOW_WITH_SLACK - asked - 0.01 <= wait <= WINDOW_WITH_SLACK + 0.001
    finally:
        budgets.close()


def test_budget_takes_all_dimensions_or_none(server: RedisServer) -> None:
    budgets = RedisBudgets(server.url, KeyLimits(requests=10, tokens=1000, images=2, window_s=60))
    try:
        assert budgets.try_take("k", Demand(tokens=800)) == 0.0
        assert budgets.remaining("k") == pytest.approx(0.2)
        # Tokens do not fit, so the request is not counted either.
        assert budgets.try_take("k", Demand(tokens=300)) > 0
        assert budgets.try_take("k", Demand(images=2)) == 0.0
        assert budgets.try_take("k", Demand(images=1)) > 0
        assert budgets.try_take("k", Demand(tokens=200)) == 0.0
        # 3 requests were admitted out of 10.
        used = [budgets.try_take("k", Demand()) for _ in range(8)]
        assert used[:7] == [0.0] * 7 and used[7] > 0
        # A demand larger than a whole budget waits for an empty budget instead of forever.
        assert (
            0 < budgets.try_take("k", Demand(requests=0, tokens=5000)) <= WINDOW_WITH_SLACK + 0.001
        )
    finally:
        budgets.close()


def test_wait_is_until_enough_old_calls_leave_the_window(server: RedisServer) -> None:
    budgets = _budgets(server.url, KeyLimits(requests=0, tokens=100, images=0, window_s=1.0))
    try:
        first = time.monotonic()
        assert budgets.try_take("k", Demand(requests=0, tokens=60)) == 0.0
        first_done = time.monotonic()
        time.sleep(0.4)
        second = time.monotonic()
        assert budgets.try_take("k", Demand(requests=0, tokens=40)) == 0.0
        asked = time.monotonic()
        wait = budgets.try_take("k", Demand(requests=0, tokens=50))
        asked_done = time.monotonic()
        # 50 more need the first call (60) to leave the 1 s window, not the second one. Bounds
        # come from clock readings around each call, not from how long the machine took: the
        # wait ends one window after the first call was admitted...
        assert first + 1.0 - asked_done - 0.01 <= wait <= first_done + 1.0 - asked + 0.01
        # ...which is before the second one leaves (it was admitted at least 0.4 s later).
        assert wait < second + 1.0 - asked_done
        # 10 fit once the first call leaves as well.
        time.sleep(wait)
        assert budgets.try_take("k", Demand(requests=0, tokens=50)) == 0.0
    finally:
        budgets.close()


def test_pool_waits_for_budget_when_every_key_is_full(server: RedisServer) -> None:
    budgets = _budgets(server.url, KeyLimits(1, 0, 0, window_s=0.3))
    pool = KeyPool(["sk-1", "sk-2"], budgets)
    try:
        admitted = time.monotonic()
        first = {asyncio.run(pool.acquire(Demand()))[0].alias for _ in range(2)}
        assert first == {"key#1", "key#2"}
        _, waited = asyncio.run(pool.acquire(Demand()))
        got = time.monotonic()
        # The third call got a key only once a first call's 0.3 s window had passed.
        assert got >= admitted + 0.3 and waited > 0
    finally:
        budgets.close()


def test_sqlite_budgets_do_not_share_cooldowns(tmp_path: Path) -> None:
    sqlite = SQLiteBudgets(tmp_path / "l.sqlite", KeyLimits())
    try:
        assert not isinstance(sqlite, SharedCooldowns)
    finally:
        sqlite.close()


# --- several processes ---------------------------------------------------------------------------


def _cool_key(url: str, secret: str, seconds: float) -> None:
    budgets = RedisBudgets(url, KeyLimits())
    pool = KeyPool([secret], budgets)
    pool.cool_down(pool.keys[0], seconds)  # what the provider does after a 429
    budgets.close()


def test_cooldown_set_by_one_process_is_seen_by_another(server: RedisServer) -> None:
    budgets = RedisBudgets(server.url, KeyLimits())
    assert isinstance(budgets, SharedCooldowns)
    pool = KeyPool(["sk-1", "sk-2"], budgets)
    try:
        ctx = multiprocessing.get_context("spawn")
        child = ctx.Process(target=_cool_key, args=(server.url, "sk-1", 30.0))
        child.start()
        child.join(timeout=60)
        assert child.exitcode == 0
        # This process never saw the 429, yet key#1 rests and key#2 takes every call.
        assert pool.keys[0].cooldown_until == 0.0
        # The child set 30 s; spawning and joining it may take seconds on a busy machine.
        left = budgets.cooldown_left(pool.keys[0].bucket_id)
        assert 15 < left <= 30
        assert budgets.try_take(pool.keys[0].bucket_id, Demand()) > left - 5
        assert budgets.remaining(pool.keys[0].bucket_id) == 0.0
        picked = {asyncio.run(pool.acquire(Demand()))[0].alias for _ in range(3)}
        assert picked == {"key#2"}
        # A shorter cooldown asked later does not shorten it (to 1 s). Measured from `left`, not
        # from 30: on a busy machine the spawn alone took 2.4 s and "> 28" failed.
        budgets.cool_down(pool.keys[0].bucket_id, 1.0)
        assert budgets.cooldown_left(pool.keys[0].bucket_id) > left - 5
    finally:
        budgets.close()


_MIX_LIMITS = KeyLimits(requests=30, tokens=3000, images=4, window_s=2.0)


def _hammer(url: str, out, ready, go, seconds: float, threads: int, seed: int) -> None:
    """`threads` threads asking for one key's budget as fast as they can for `seconds`."""
    budgets = _budgets(url, _MIX_LIMITS, unavailable_wait_s=0.1)
    admitted: list[tuple[float, int, int, int]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        rng = random.Random(seed * 100 + n)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            demand = Demand(1, rng.choice((0, 50, 200, 400)), rng.choice((0, 0, 0, 1)))
            try:
                wait = budgets.try_take("shared", demand)
            except Exception as exc:  # the point: nothing may escape
                errors.append(repr(exc))
                return
            if wait == 0.0:
                with lock:
                    admitted.append((time.time(), demand.requests, demand.tokens, demand.images))
            else:
                time.sleep(min(wait, 0.02))

    ready.put(True)
    go.wait(60)
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    budgets.close()
    out.put((admitted, errors))


def _run_hammers(server: RedisServer, seconds: float, *, restart_at: float | None = None):
    ctx = multiprocessing.get_context("spawn")
    out, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=_hammer, args=(server.url, out, ready, go, seconds, 4, seed))
        for seed in range(2)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=60)
    started = time.time()
    go.set()
    down = None
    if restart_at is not None:
        time.sleep(restart_at)
        server.stop()
        stopped = time.time()
        time.sleep(0.5)
        server.start()
        down = (stopped, time.time())
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    stamps = sorted(row for admitted, _ in results for row in admitted)
    errors = [e for _, errs in results for e in errs]
    return started, down, stamps, errors


def _assert_within_limits(stamps, limits: KeyLimits, slack_s: float) -> None:
    """No window ever held more than each budget. A thread notes the time just after it was
    admitted, which on a busy machine can lag, so windows are checked `slack_s` short."""
    caps = (limits.requests, limits.tokens, limits.images)
    for i, (start, *_rest) in enumerate(stamps):
        window = [row for row in stamps[i:] if row[0] < start + limits.window_s - slack_s]
        for dim, cap in enumerate(caps, start=1):
            used = sum(row[dim] for row in window)
            assert used <= cap, (dim, start, used, cap)


@pytest.mark.slow
def test_admission_holds_every_budget_under_two_processes(server: RedisServer) -> None:
    """2 processes x 4 threads on one key (30 requests, 3000 tokens, 4 images per 2 s)."""
    seconds = 5.0
    _, _, stamps, errors = _run_hammers(server, seconds)
    assert errors == []
    _assert_within_limits(stamps, _MIX_LIMITS, slack_s=0.3)
    # Budgets bind, and are used: each process alone would have been admitted as much.
    windows = seconds / _MIX_LIMITS.window_s
    images = sum(row[3] for row in stamps)
    assert images >= _MIX_LIMITS.images * 2
    assert images <= _MIX_LIMITS.images * (int(windows) + 1)
    assert len(stamps) <= _MIX_LIMITS.requests * (int(windows) + 1)


@pytest.mark.slow
def test_redis_restart_mid_load_admits_nothing_beyond_the_limits(server: RedisServer) -> None:
    """Redis (no persistence) dies and comes back empty on the same port while 2 processes
    hammer one key: callers wait and retry, nothing crashes, no window goes over a budget,
    and admissions resume once calls made before the restart have left the window."""
    seconds = 7.0
    # Restarted mid-window: the first burst of calls is still in the window when it is back.
    _, (stopped, restarted), stamps, errors = _run_hammers(server, seconds, restart_at=1.0)
    assert errors == []
    _assert_within_limits(stamps, _MIX_LIMITS, slack_s=0.3)
    before = [row for row in stamps if row[0] < stopped]
    down = [row for row in stamps if stopped + 0.05 < row[0] < stopped + 0.5]
    after = [row for row in stamps if row[0] > restarted + _MIX_LIMITS.window_s]
    assert before and after
    assert down == []  # the server was down: nothing was admitted


# --- spending caps ----------------------------------------------------------------------------


def test_spending_cap_is_shared_by_every_process_with_the_scope(server: RedisServer) -> None:
    a = RedisSpendingCap(server.url, "run-1", 1.0)
    b = RedisSpendingCap(server.url, "run-1", 1.0)
    other = RedisSpendingCap(server.url, "run-2", 1.0)
    try:
        assert a.reserve(0.6, None)
        assert not b.reserve(0.6, None)  # 0.6 promised elsewhere
        assert other.reserve(0.6, None)  # another scope, another ledger
        assert b.reserve(0.3, None)
        assert not b.reserve(0.3, 0.5)  # a project's own cap is lower
        a.settle(0.6, 0.1)  # the call cost less than its worst case
        assert b.reserve(0.5, None)
        assert a.snapshot() == pytest.approx({"spent": 0.1, "reserved": 0.8, "refused": 2})
        assert b.refused == 2 and a.refused == 0
        b.settle(0.3, 0.3)
        b.settle(0.5, 0.0)
        assert a.snapshot() == pytest.approx({"spent": 0.4, "reserved": 0.0, "refused": 2})
    finally:
        for cap in (a, b, other):
            cap.close()


def test_spending_cap_leases_expire_and_an_outage_refuses(server: RedisServer) -> None:
    crashed = RedisSpendingCap(server.url, "run", 1.0, lease_s=0.3)
    cap = RedisSpendingCap(server.url, "run", 1.0)
    uncapped = RedisSpendingCap(server.url, "free", None)
    try:
        assert crashed.reserve(0.9, None)  # and its worker dies before settling
        assert not cap.reserve(0.2, None)
        time.sleep(0.35)
        assert cap.reserve(0.2, None)
        assert uncapped.reserve(1e6, None)
        server.stop()
        assert not cap.reserve(0.01, None)  # cannot tell what others spent: refuse
        cap.settle(0.2, 0.15)  # kept until Redis is back
        server.start()
        assert cap.reserve(0.01, None)
        assert cap.snapshot()["spent"] == pytest.approx(0.15)
    finally:
        for c in (crashed, cap, uncapped):
            c.close()


# --- the reply cache --------------------------------------------------------------------------


def test_reply_cache_is_shared_by_clients_and_keeps_images_local(
    server: RedisServer, tmp_path: Path
) -> None:
    disk = DiskReplyCache(tmp_path / "replies")
    one = RedisReplyCache(server.url, others=disk)
    two = RedisReplyCache(server.url)
    try:
        key = reply_key("chat", "gpt-4o-mini", {"messages": [{"role": "user", "content": "é"}]})
        assert one.get(key) is None
        one.set(key, {"content": '{"tagline": "Fresh bread, daily — é"}'})
        assert two.get(key) == {"content": '{"tagline": "Fresh bread, daily — é"}'}
        image = reply_key("image", "gpt-image-1", {"prompt": "bread"})
        one.set(image, b"\x89PNG...")
        assert one.get(image) == b"\x89PNG..."  # from this machine's disk cache
        assert two.get(image) is None  # images are not in Redis
        assert server_keys(server) == {"merlin:reply:" + key}
        server.stop()
        assert one.get(key) is None  # an outage is a miss, not an error
        one.set(key, {"content": "{}"})
        server.start()
        assert two.get(key) is None  # the restarted server kept nothing
    finally:
        one.close()
        two.close()


def server_keys(server: RedisServer) -> set[str]:
    import redis

    client = redis.Redis.from_url(server.url, decode_responses=True)
    try:
        return set(client.keys("*"))
    finally:
        client.close()


# --- choosing the backend -------------------------------------------------------------------


def test_backends_follow_merlin_redis_url(
    server: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MERLIN_REDIS_URL", raising=False)
    limits = KeyLimits()
    local = [
        budgets_for(Settings(), limits, cache_dir=tmp_path),
        cache_for(Settings(), cache_dir=tmp_path),
    ]
    assert isinstance(local[0], SQLiteBudgets) and isinstance(local[1], DiskReplyCache)
    assert isinstance(cache_for(None, cache_dir=tmp_path, enabled=False), NoCache)
    assert type(spending_cap_for(None, 1.0, scope="r")).__name__ == "SpendingCap"
    monkeypatch.setenv("MERLIN_REDIS_URL", server.url)
    settings = Settings()
    assert settings.redis_url == server.url
    fleet = [
        budgets_for(settings, limits, cache_dir=tmp_path),
        cache_for(settings, cache_dir=tmp_path),
        spending_cap_for(settings, 1.0, scope="r"),
    ]
    assert isinstance(fleet[0], RedisBudgets) and isinstance(fleet[1], RedisReplyCache)
    assert isinstance(fleet[2], RedisSpendingCap)
    fleet.append(budgets_for(server.url, limits, cache_dir=tmp_path))  # a URL will do too
    assert isinstance(fleet[-1], RedisBudgets)
    for thing in [*local, *fleet]:
        thing.close()


# --- through the provider ---------------------------------------------------------------------


CONFIG = ProjectConfig(name="Harbor Bakery", industry="Bakery", location="Portland, Maine")


class _Tagline(PhaseModel):
    tagline: str = Field(max_length=40)


def test_two_providers_share_replies_budgets_and_spend(server: RedisServer) -> None:
    """Two providers (two workers) on one Redis: the second is answered from the first's reply,
    and both count against the same key budget and the same spending ledger."""
    limits = KeyLimits(requests=2, tokens=0, images=0, window_s=60)
    options = OpenAIOptions(limits=limits, max_retries=0, max_cost_usd=1.0)
    request = ChatRequest(
        "copywriting", "site", "You write.", "A tagline.", _Tagline, NodeInputs(CONFIG)
    )
    other = ChatRequest(
        "copywriting", "site", "You write.", "Another one.", _Tagline, NodeInputs(CONFIG)
    )

    async def scenario(base_url: str):
        workers = []
        for _ in range(2):
            llm = OpenAILLM(
                keys=["sk-fleet-1"],
                options=OpenAIOptions(**{**options.__dict__, "base_url": base_url}),
                budgets=RedisBudgets(server.url, limits),
                cache=RedisReplyCache(server.url),
            )
            llm.spend = RedisSpendingCap(server.url, "run-7", options.max_cost_usd)
            workers.append(llm)
        first = await workers[0].chat(request)
        again = await workers[1].chat(request)
        second = await workers[1].chat(other)
        ledger = workers[0].spend.snapshot()
        remaining = workers[0].budgets.remaining(bucket_id("sk-fleet-1"))
        for llm in workers:
            await llm.aclose()
        return first, again, second, ledger, remaining

    with FakeOpenAI(ServerSettings(seed=5)) as fake:
        first, again, second, ledger, remaining = asyncio.run(scenario(fake.base_url))
    assert first.call.status == "ok" and not first.call.cache_hit
    assert again.call.cache_hit and again.value == first.value  # no request made
    assert second.call.status == "ok" and not second.call.cache_hit
    assert remaining == 0.0  # 2 of the key's 2 requests, one from each worker
    assert ledger["spent"] == pytest.approx(first.call.cost_usd + second.call.cost_usd)
    assert ledger["spent"] > 0 and ledger["reserved"] == 0.0
