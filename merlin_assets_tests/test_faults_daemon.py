"""The Dagster daemon killed and restarted while configs are dropped: exactly one run per config
content; the timings database held open by an analyst throughout: no run's rows lost."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from merlin_assets.config.project import load_config
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.conftest import EXAMPLES, REPO
from merlin_assets_tests.fault_support import new_home
from merlin_assets_tests.test_secrets import CANARIES, leaks
from merlin_assets_tests.test_timings import _hold_open

pytestmark = pytest.mark.slow

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
PLUMBING = EXAMPLES / "greenline-plumbing.yaml"
DENTAL = EXAMPLES / "brightsmile-dental.json"
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    settings = ServerSettings(chat_latency_s=0.05, image_latency_s=0.1, seed=4)
    with FakeOpenAI(settings) as server:
        yield server


def _start_daemon(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as sink:
        return subprocess.Popen(
            ["dagster-daemon", "run", "-w", "workspace.yaml"],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _runs(home: Path) -> list[dg.DagsterRun]:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return [r.dagster_run for r in instance.get_run_records()]


def _wait(what: str, check, timeout: float, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = check()
            if value:
                return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}\n{log.read_text(errors='replace')[-4000:]}")


def test_daemon_restart_while_configs_drop_gives_one_run_per_content(
    fake: FakeOpenAI, tmp_path: Path
):
    home = new_home(tmp_path)
    projects, sites = tmp_path / "projects", tmp_path / "sites"
    projects.mkdir()
    db = tmp_path / "timings" / "timings.duckdb"
    db.parent.mkdir()
    log = tmp_path / "daemon.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MERLIN_", "OPENAI_"))},
        "DAGSTER_HOME": str(home),
        "MERLIN_PROJECTS_DIR": str(projects),
        "MERLIN_SITES_DIR": str(sites),
        "MERLIN_TIMINGS_DB": str(db),
        "MERLIN_CACHE_DIR": str(tmp_path / "cache"),
        "MERLIN_LLM": "openai",
        "OPENAI_API_KEYS": ",".join(CANARIES),
        "OPENAI_BASE_URL": fake.base_url,
        "MERLIN_KEY_IMAGES_PER_MIN": "120",
    }
    changed = tmp_path / "bakery-v2.yaml"
    changed.write_text(BAKERY.read_text().replace("Leith, Edinburgh", "Portobello, Edinburgh"))
    contents = {load_config(p).content_hash() for p in (BAKERY, PLUMBING, DENTAL, changed)}
    assert len(contents) == 4

    analyst = _hold_open(db)  # the whole time: no writer may need the file's lock
    daemons = [_start_daemon(env, log)]
    try:
        shutil.copy(BAKERY, projects / "bakery.yaml")
        shutil.copy(PLUMBING, projects / "plumbing.yaml")
        _wait("the first sensor run", lambda: _runs(home), 180, log)
        shutil.copy(DENTAL, projects / "dental.json")
        time.sleep(2)  # somewhere in the next tick, or just before it
        os.kill(daemons[0].pid, signal.SIGKILL)  # the daemon only; runs it launched go on
        daemons[0].wait(timeout=30)

        # While it is down: the same bytes under another name, the same file rewritten
        # unchanged, and a real edit.
        shutil.copy(BAKERY, projects / "bakery-copy.yaml")
        (projects / "plumbing.yaml").write_bytes(PLUMBING.read_bytes())
        shutil.copy(changed, projects / "bakery-v2.yaml")
        daemons.append(_start_daemon(env, log))

        def all_done():
            runs = _runs(home)
            hashes = {r.tags.get("merlin/config_hash") for r in runs}
            if hashes == contents and all(r.status.value in FINISHED for r in runs):
                return runs
            return None

        _wait("one finished run per config content", all_done, 300, log)
        time.sleep(12)  # two more sensor ticks: nothing new may start
        runs = _runs(home)
    finally:
        for proc in daemons:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGINT)
        for proc in daemons:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        analyst.stdin.close()
        analyst.wait(timeout=30)

    per_content = Counter(r.tags.get("merlin/config_hash") for r in runs)
    assert per_content == dict.fromkeys(contents, 1), per_content
    per_key = Counter(r.tags.get("dagster/run_key") for r in runs)
    assert all(n == 1 for n in per_key.values()) and None not in per_key, per_key
    assert {r.status.value for r in runs} == {"SUCCESS"}
    assert {r.tags.get("dagster/sensor_name") for r in runs} == {"project_configs"}
    assert sorted(p.name for p in sites.iterdir() if not p.name.startswith(".")) == [
        "brightsmile-dental-studio",
        "crumb-co-bakery",
        "greenline-plumbing-heating",
    ]
    assert all((p / "index.html").is_file() for p in sites.iterdir() if p.name[0] != ".")
    # The edit's run is the bakery's last: its site says Portobello.
    assert "Portobello" in (sites / "crumb-co-bakery" / "contact.html").read_text()

    # Every run's rows were written while the file was locked; released, the file shows them.
    store = TimingsStore(db)
    assert sorted(store.run_ids()) == sorted(r.run_id for r in runs)
    assert store.ensure_views()
    con = duckdb.connect(str(db), read_only=True)
    try:
        in_file = con.execute("SELECT run_id, count(*) FROM runs GROUP BY run_id").fetchall()
        dup_items = con.execute(
            "SELECT run_id, item FROM items GROUP BY ALL HAVING count(*) > 1"
        ).fetchall()
    finally:
        con.close()
    assert sorted(in_file) == sorted((r.run_id, 1) for r in runs)
    assert dup_items == []

    # Runs launched by the daemon capture compute logs: the canary keys are not in them either.
    assert list((home / "storage").rglob("*.err")) or list((home / "storage").rglob("*.out"))
    assert leaks(home, CANARIES) == [] and leaks(db.parent, CANARIES) == []
    assert leaks(tmp_path / "cache", CANARIES) == []
    log_bytes = log.read_bytes()
    assert not any(k.encode() in log_bytes for k in CANARIES)
