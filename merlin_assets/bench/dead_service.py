"""How long `merlin generate` takes on a dead or wrong service: the seconds, printed.

    python -m merlin_assets.bench.dead_service [--json]

Each case is one real `merlin generate` process on the bakery example, in a fresh folder and
Dagster home, with one key:

- `closed-port`: `OPENAI_BASE_URL` on a port nothing listens on (bound, then closed);
- `no-such-host`: a name in the reserved `.invalid` domain;
- `keys-rejected`: a local OpenAI-compatible server that answers 401 to the key;
- `dies-mid-run`: that server answers three chat calls, then stops for good; the images keep
  the default budget of five a minute per key (the case that took 324 s when each image waited
  for its key's budget).

The first three should exit 2 within 10 s; the last should publish the site in the time an
offline run takes, plus the three answers.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings

REPO = Path(__file__).resolve().parents[2]
BAKERY = REPO / "examples" / "projects" / "crumb-and-co-bakery.yaml"
KEY = "sk-bench-deadsvc-0001"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _generate(work: Path, env: dict[str, str]) -> dict:
    """One `merlin generate`: exit status, seconds from start to exit, and its last line."""
    home = work / "dagster_home"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MERLIN_", "OPENAI_"))}
    clean.update(
        DAGSTER_HOME=str(home),
        MERLIN_SITES_DIR=str(work / "sites"),
        MERLIN_CACHE_DIR=str(work / "cache"),
        MERLIN_LLM="openai",
        OPENAI_API_KEY=KEY,
        **env,
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(BAKERY)],
        cwd=work,
        env=clean,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.monotonic() - started
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return {
        "exit": done.returncode,
        "seconds": round(seconds, 2),
        "last_line": lines[-1] if lines else "",
        "key_shown": KEY in done.stdout + done.stderr,
    }


def _dies_after(answers: int) -> FakeOpenAI:
    fake = FakeOpenAI(ServerSettings(seed=8))
    seen: list[object] = []
    lock = threading.Lock()

    def respond(request: dict) -> None:
        with lock:
            seen.append(request.get("model"))
            if len(seen) > answers:
                fake.stop()
        return None

    fake.settings.responder = respond
    return fake


def run() -> dict[str, dict]:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="merlin-deadsvc-") as tmp:
        root = Path(tmp)
        url = f"http://127.0.0.1:{_closed_port()}/v1"
        results["closed-port"] = _generate(root / "closed", {"OPENAI_BASE_URL": url})
        results["no-such-host"] = _generate(
            root / "dns", {"OPENAI_BASE_URL": "http://merlin-no-such-host.invalid/v1"}
        )
        with FakeOpenAI(ServerSettings(rejected_keys={KEY})) as fake:
            results["keys-rejected"] = _generate(root / "keys", {"OPENAI_BASE_URL": fake.base_url})
        fake = _dies_after(3)
        fake.start()
        try:
            results["dies-mid-run"] = _generate(root / "mid", {"OPENAI_BASE_URL": fake.base_url})
        finally:
            fake.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = run()
    if args.json:
        print(json.dumps(results))  # noqa: T201 - the bench's output
        return
    for name, r in results.items():
        line = f"{name:<14} exit {r['exit']}  {r['seconds']:7.2f} s  {r['last_line']}"
        print(line)  # noqa: T201 - the bench's output


if __name__ == "__main__":
    main()
