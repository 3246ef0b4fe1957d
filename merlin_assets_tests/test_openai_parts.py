"""The OpenAI provider's parts on their own: prices, rate budgets, the key pool, the cache."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from pathlib import Path

import pytest

from merlin_assets.gateway.cache import DiskReplyCache, reply_key
from merlin_assets.gateway.keys import KeyPool, NoUsableKeyError, bucket_id, parse_keys
from merlin_assets.gateway.limits import SAFETY_MS, Demand, KeyLimits, SQLiteBudgets
from merlin_assets.llm import pricing

# A 60 s window as the budgets keep it: longer by the arrival-lag slack.
WINDOW_WITH_SLACK = 60 + SAFETY_MS / 1000

# --- pricing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "tokens_in", "tokens_out", "usd"),
    [
        ("gpt-4o-mini", 1_000_000, 0, 0.15),
        ("gpt-4o-mini", 0, 1_000_000, 0.60),
        ("gpt-4o-mini-2024-07-18", 1000, 1000, 0.00075),  # a snapshot is priced as its family
        ("gpt-4o", 1000, 1000, 0.0125),
        ("gpt-4.1-mini", 2000, 500, 0.0016),
        ("my-local-llama", 1_000_000, 0, pricing.UNKNOWN_MODEL.input),
    ],
)
def test_chat_cost(model: str, tokens_in: int, tokens_out: int, usd: float) -> None:
    assert pricing.chat_cost(model, tokens_in, tokens_out) == pytest.approx(usd)


def test_image_cost_by_tokens_and_by_image() -> None:
    # gpt-image-1 medium square: 1056 image tokens at $40/1M is the list price of ~$0.042.
    by_tokens = pricing.image_cost(
        "gpt-image-1", size="1024x1024", quality="medium", tokens_in=50, tokens_out=1056
    )
    assert by_tokens == pytest.approx((50 * 5 + 1056 * 40) / 1e6)
    assert pricing.image_cost("gpt-image-1", size="1536x1024", quality="medium") == 0.063
    assert pricing.image_cost("dall-e-3", size="1792x1024", quality="hd") == 0.12
    assert pricing.image_cost("dall-e-3", size="1024x1024", quality="medium") == 0.04
    assert pricing.image_cost("mystery-painter", size="1024x1024", quality="low") == 0.25


# --- rate budgets ----------------------------------------------------------------------------


def test_budget_refuses_then_admits_after_the_window(tmp_path: Path) -> None:
    budgets = SQLiteBudgets(
        tmp_path / "limits.sqlite", KeyLimits(3, 0, 0, window_s=0.5), safety_ms=0
    )
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


def test_budget_windows_carry_slack_for_arrival_lag(tmp_path: Path) -> None:
    budgets = SQLiteBudgets(tmp_path / "limits.sqlite", KeyLimits(1, 0, 0, window_s=60))
    try:
        assert budgets.try_take("a", Demand()) == 0.0
        assert (
            WINDOW_WITH_SLACK - 0.1 < budgets.try_take("a", Demand()) <= WINDOW_WITH_SLACK + 0.001
        )
    finally:
        budgets.close()


def test_budget_takes_all_dimensions_or_none(tmp_path: Path) -> None:
    limits = KeyLimits(requests=10, tokens=1000, images=2, window_s=60)
    budgets = SQLiteBudgets(tmp_path / "limits.sqlite", limits)
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
    finally:
        budgets.close()


def _hammer(path: str, out, window_s: float) -> None:
    budgets = SQLiteBudgets(Path(path), KeyLimits(5, 0, 0, window_s=window_s), safety_ms=0)
    deadline = time.monotonic() + 2.5
    admitted = []
    while time.monotonic() < deadline:
        if budgets.try_take("shared", Demand()) == 0.0:
            admitted.append(time.time())
        time.sleep(0.005)
    budgets.close()
    out.put(admitted)


def test_budget_is_shared_by_processes(tmp_path: Path) -> None:
    """Four processes hammering one key together stay within its budget per window."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    window_s = 1.0
    procs = [
        ctx.Process(target=_hammer, args=(str(tmp_path / "l.sqlite"), out, window_s))
        for _ in range(4)
    ]
    for p in procs:
        p.start()
    stamps = sorted(t for _ in procs for t in out.get(timeout=60))
    for p in procs:
        p.join(timeout=30)
    # No window ever held more than 5 admissions. A process notes the time just after it was
    # admitted, which on a busy machine can lag, so windows are checked with 0.4 s to spare;
    # four processes counting on their own would admit about 20 per window.
    assert len(stamps) >= 8
    for i, start in enumerate(stamps):
        in_window = [t for t in stamps[i:] if t < start + window_s - 0.4]
        assert len(in_window) <= 5, (start, in_window)


# --- the key pool ----------------------------------------------------------------------------


@pytest.fixture
def budgets(tmp_path: Path):
    b = SQLiteBudgets(tmp_path / "limits.sqlite", KeyLimits(4, 0, 0, window_s=60))
    yield b
    b.close()


def test_keys_are_parsed_and_named_by_alias(budgets) -> None:
    assert parse_keys(" sk-a, sk-b ,,sk-a", "sk-single") == ["sk-a", "sk-b"]
    assert parse_keys(None, "sk-single") == ["sk-single"]
    assert parse_keys("", None) == []
    pool = KeyPool(["sk-secret-one", "sk-secret-two"], budgets)
    assert pool.aliases == ["key#1", "key#2"]
    assert "sk-secret" not in repr(pool.keys)
    assert bucket_id("sk-secret-one") == pool.keys[0].bucket_id != pool.keys[1].bucket_id
    leaked = "Incorrect API key provided: sk-secret-two; also sk-abc***xyz"
    assert pool.scrub(leaked) == "Incorrect API key provided: key#2; also [key]"


def test_pool_spreads_by_remaining_budget(budgets) -> None:
    pool = KeyPool(["sk-1", "sk-2", "sk-3"], budgets)
    # Another process already spent most of key#1's budget.
    for _ in range(3):
        budgets.try_take(pool.keys[0].bucket_id, Demand())
    picked = [asyncio.run(pool.acquire(Demand()))[0].alias for _ in range(6)]
    assert picked.count("key#1") == 0 or picked.index("key#1") >= 4
    assert picked.count("key#2") >= 2 and picked.count("key#3") >= 2
    # 9 of 12 calls are spent, so the spread leaves at most one call on every key.
    assert all(budgets.remaining(k.bucket_id) <= 0.25 for k in pool.keys)


def test_pool_cools_down_and_drops_keys(budgets) -> None:
    pool = KeyPool(["sk-1", "sk-2"], budgets)
    pool.cool_down(pool.keys[0], 30)
    assert {asyncio.run(pool.acquire(Demand()))[0].alias for _ in range(3)} == {"key#2"}
    pool.drop(pool.keys[1], "HTTP 401")
    until = pool.keys[0].cooldown_until = time.monotonic() + 0.2
    key, waited = asyncio.run(pool.acquire(Demand()))
    # The only usable key was handed out after its cooldown ended, not before.
    assert key.alias == "key#1" and waited > 0 and time.monotonic() >= until
    pool.drop(pool.keys[0], "HTTP 403")
    with pytest.raises(NoUsableKeyError) as caught:
        asyncio.run(pool.acquire(Demand()))
    assert str(caught.value) == "every API key was rejected: key#1 (HTTP 403), key#2 (HTTP 401)"


def test_pool_waits_for_budget_when_every_key_is_full(tmp_path: Path) -> None:
    budgets = SQLiteBudgets(tmp_path / "l.sqlite", KeyLimits(1, 0, 0, window_s=0.3), safety_ms=0)
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


# --- the reply cache -------------------------------------------------------------------------


def test_reply_key_covers_everything_that_shapes_a_reply() -> None:
    base = {"messages": [{"role": "user", "content": "hi"}], "schema": {"type": "object"}}
    key = reply_key("chat", "gpt-4o-mini", base)
    assert key == reply_key("chat", "gpt-4o-mini", dict(reversed(base.items())))
    assert key != reply_key("chat", "gpt-4o", base)
    assert key != reply_key("chat", "gpt-4o-mini", {**base, "schema": {"type": "array"}})
    assert key != reply_key("image", "gpt-4o-mini", base)
    assert key != reply_key("chat", "gpt-4o-mini", {**base, "params": {"max": 1}})


def _writer(directory: str, worker: int) -> None:
    cache = DiskReplyCache(Path(directory))
    for i in range(40):
        cache.set(f"k{i}", {"by": worker, "i": i, "blob": "x" * 2000})
        cache.set(f"w{worker}-{i}", b"\x89PNG" + bytes(5000))
    cache.close()


def test_cache_survives_concurrent_writers_in_processes(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path / "c"), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    cache = DiskReplyCache(tmp_path / "c")
    try:
        for i in range(40):
            value = cache.get(f"k{i}")
            assert value["i"] == i and value["by"] in range(4) and len(value["blob"]) == 2000
            for w in range(4):
                assert cache.get(f"w{w}-{i}") == b"\x89PNG" + bytes(5000)
        assert cache.get("missing") is None
    finally:
        cache.close()
