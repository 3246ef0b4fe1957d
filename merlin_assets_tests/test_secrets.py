"""API keys stay secret: after a run with canary keys they are nowhere on disk or in what the
CLI printed; and the documented webserver listens on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.testing.processes import stop_group
from merlin_assets.testing.webserver import free_port
from merlin_assets_tests.conftest import REPO
from merlin_assets_tests.fault_support import cli_env, new_home, server_calls, start_generate
from merlin_assets_tests.test_pipeline import BAKERY

pytestmark = pytest.mark.slow

# The middle key is rejected by the server, so the 401 path (warning, drop) runs too.
CANARIES = [
    "sk-canary-7f3a9c1e5b2d4c8a96e1",
    "sk-canary-0b6e2f91d4a73c55a0f7",
    "sk-canary-c4d81e0f2a9b6e3d7711",
]


def needles(keys: list[str]) -> list[bytes]:
    """Each key, and its part after the common prefix (a masked or re-prefixed echo)."""
    out = []
    for key in keys:
        out += [key.encode(), key.removeprefix("sk-canary-").encode()]
    return out


def leaks(root: Path, keys: list[str]) -> list[str]:
    """Files under `root` whose bytes hold a key; Parquet files are also read as text, since
    their pages may be compressed."""
    found = []
    wanted = needles(keys)
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        hits = [n.decode() for n in wanted if n in data]
        if path.suffix == ".parquet":
            con = duckdb.connect(":memory:")
            try:
                text = str(con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall())
            finally:
                con.close()
            hits += [n.decode() for n in wanted if n.decode() in text]
        if hits:
            found.append(f"{path.relative_to(root)}: {sorted(set(hits))}")
    return found


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    settings = ServerSettings(
        chat_latency_s=0.02,
        image_latency_s=0.05,
        seed=2,
        rejected_keys={CANARIES[1]},
        faults={"429": 0.1, "500": 0.1, "malformed": 0.05, "bad_image": 0.2},
        retry_after_s=0.05,
    )
    with FakeOpenAI(settings) as server:
        yield server


def test_canary_keys_appear_nowhere_after_a_run(fake: FakeOpenAI, tmp_path: Path):
    work = tmp_path / "w"
    home = new_home(work)
    cache = tmp_path / "cache"
    log = tmp_path / "cli.log"
    env = {
        "MERLIN_LLM": "openai",
        "OPENAI_API_KEYS": ",".join(CANARIES),
        "OPENAI_BASE_URL": fake.base_url,
        "MERLIN_CACHE_DIR": str(cache),
        "MERLIN_KEY_IMAGES_PER_MIN": "120",
        "MERLIN_TIMEOUT_S": "5",
    }
    proc = start_generate(BAKERY, work, env, log)
    assert proc.wait(timeout=300) == 0, log.read_text()[-4000:]
    timings = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "timings", "--json"],
        cwd=work,
        env=cli_env(work, env),
        capture_output=True,
        timeout=120,
    )
    assert timings.returncode == 0, timings.stderr
    printed = log.read_bytes() + timings.stdout + timings.stderr

    # The keys did reach the server, each of them, so there was something to leak.
    calls = server_calls(fake.requests)
    assert {r["key"] for r in calls} == set(CANARIES)
    assert any(r["status"] == 401 for r in calls) and any(r["fault"] for r in calls)
    assert b"site ready" in printed and b"key#2" in printed  # the rejection, by alias

    assert (home / "merlin" / "artifacts").is_dir() and list(home.rglob("*.parquet"))
    assert list(home.rglob("*.duckdb")) and list(cache.rglob("*.db"))
    for root in (home, work / "sites", cache, work):
        assert leaks(root, CANARIES) == [], root
    assert [n for n in needles(CANARIES) if n in printed] == []


def _listening(port: int) -> list[str]:
    """Local addresses of sockets listening on `port`, from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                address, state = fields[1], fields[3]
                host, _, hexport = address.rpartition(":")
                if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                    found.append(host)
    return found


def _outside_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent; this only picks a route
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_merlin_dev_listens_on_loopback_only(tmp_path: Path):
    port = free_port()
    home = new_home(tmp_path)
    env = {**os.environ, "DAGSTER_HOME": str(home), "MERLIN_LLM": "offline"}
    env["MERLIN_PROJECTS_DIR"] = str(tmp_path / "projects")
    logs = tmp_path / "dev.log"
    with logs.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "merlin_assets.cli", "dev", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5)
                break
            assert proc.poll() is None, logs.read_text()[-3000:]
            assert time.monotonic() < deadline, logs.read_text()[-3000:]
            time.sleep(1)
        hosts = _listening(port)
        assert hosts, "nothing listens on the port"
        # 0100007F is 127.0.0.1 in /proc's byte order; nothing on 0.0.0.0 or ::.
        assert set(hosts) == {"0100007F"}, hosts
        outside = _outside_address()
        if outside is not None:
            with pytest.raises(OSError), socket.create_connection((outside, port), timeout=5):
                pass
    finally:
        stop_group(proc)


def test_the_leak_check_finds_a_key_in_any_file(tmp_path: Path):
    (tmp_path / "a.log").write_text(f"Authorization: Bearer {CANARIES[0]}\n")
    (tmp_path / "b.bin").write_bytes(b"\x00masked sk-***" + CANARIES[2][-20:].encode())
    con = duckdb.connect(":memory:")
    try:
        con.execute(
            f"COPY (SELECT repeat('x', 5000) || '{CANARIES[1]}' AS v FROM range(50)) "
            f"TO '{tmp_path / 'c.parquet'}' (FORMAT parquet, COMPRESSION zstd)"
        )
    finally:
        con.close()
    found = leaks(tmp_path, CANARIES)
    assert [f.split(":")[0] for f in found] == ["a.log", "b.bin", "c.parquet"], found
