"""Shared fixtures: a real Dagster instance in a temporary home, and example configs."""

from __future__ import annotations

import signal
from pathlib import Path

import dagster as dg
import pytest

from merlin_assets_tests import needs

REPO = Path(__file__).parents[1]
EXAMPLES = REPO / "examples" / "projects"


# Signals whose "ignore" a child process inherits through exec. Something in a test worker (seen
# in CI runs: the worker's SigIgn held SIGHUP, SIGINT, SIGQUIT and SIGTERM, set below Python,
# where `signal.getsignal` does not see it) left them ignored, and every later `merlin generate`
# the worker started inherited that: Dagster's compute-log `tail -F` children ignored the
# SIGTERM meant to end them, outlived the command and held its output pipe open, so the test's
# `subprocess.run` waited until its timeout.
INHERITED = (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM)


@pytest.fixture(autouse=True)
def _default_signals():
    """Each test starts with these signals at their defaults, as a fresh process has them: the
    worker's own view (`getsignal`) already held SIG_IGN when the hangs happened, so restoring
    what a test found kept the ignore."""
    for number in INHERITED:
        signal.signal(
            number, signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL
        )
    yield


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


@pytest.fixture
def instance(dagster_home: Path):
    with dg.instance_for_test(temp_dir=str(dagster_home)) as inst:
        yield inst


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "sites"
    monkeypatch.setenv("MERLIN_SITES_DIR", str(root))
    monkeypatch.setenv("MERLIN_LLM", "offline")
    return root


# The suite runs on every core (`-n auto --dist loadgroup` in pyproject.toml). Tests that start a
# heavy set of processes of their own are kept to one worker per set, one test at a time, so two
# of them never fight over the cores they each assume (under -n 2 with a fleet test and a model
# test together, a fleet run waited out its 300 s on a loaded machine). Each entry says why.
HEAVY_GROUPS: dict[str, tuple[str, str]] = {
    # llama.cpp decodes on both cores; two models at once would each run at half speed.
    "test_real_model": ("llama", "a real model writes a whole site"),
    "test_llama_server": ("llama", "a real model behind llama.cpp's server"),
    "test_endpoint_pool::test_planning_on_a_local_llama_server": ("llama", "a real model plans"),
    # Postgres, Redis, an S3 server, two Celery workers and the Dagster daemon per test.
    "test_fleet": ("fleet", "a whole local fleet"),
    "test_fleet_state": ("fleet", "a whole local fleet"),
}


# First: xdist reads the groups in its own collection hook, and a mark added after it is lost.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        for prefix, (group, _why) in HEAVY_GROUPS.items():
            name, _, test = prefix.partition("::")
            if module == name and item.name.startswith(test):
                item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture starts a server the test could not use (see needs.py).
    needs.check(item)


@pytest.fixture
def redis_url(tmp_path: Path):
    """A redis-server of the test's own on 127.0.0.1, stopped after it."""
    from merlin_assets.testing.redis_server import RedisServer, redis_server_binary

    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed")
    with RedisServer(directory=tmp_path) as server:
        yield server.url
