"""One section regenerated (`merlin regenerate --section`): model calls and wall time at the
seed profile, for `merlin bench --scenario lifecycle`.

The bakery is built by rules, then its home page's second section is redone through the real
command, in its own process, against a FakeOpenAI that answers after the seed profile's chat
latency (1.0 s) with a section the content gate passes. Calls are the chat requests the server
received. Measured twice, each three times: as the command runs by default (the writer's call
alone, the issue's target of 1) and with `--fact-check` (the judge reads the new section in a
second call). The time is the new release going live, watched from outside the process from
the moment it starts; the command's whole wall and CPU, its Dagster and DuckDB records after
the page is live included, are printed beside it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from merlin_assets.bench.commands import live_release, timed_merlin
from merlin_assets.bench.scenarios import SEED
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings

BAKERY = Path(__file__).resolve().parents[2] / "examples" / "projects" / "crumb-and-co-bakery.yaml"
PROJECT = "crumb-co-bakery"
NOTE = "warmer, mention the harbour"
# How often the live pointer is looked at while the command runs.
POLL_S = 0.02
# A section the gate passes for the bakery: a rejected one would be a second call, measured
# by the tests (test_regenerate.py), not here.
SECTION = {
    "key": "value-proposition",
    "eyebrow": "Why neighbours come back",
    "heading": "A warm welcome down by the harbour",
    "body": "Pop in on your way along the harbour and the kettle is already on. Our sourdough "
    "and cakes are baked fresh for the neighbourhood.",
    "bullets": ["Sourdough baked fresh", "Cakes for every celebration"],
    "cta_label": "Visit us",
}


def _answer(request: dict[str, Any]) -> dict[str, Any] | None:
    name = request["response_format"]["json_schema"]["name"]
    if name == "SectionCopy":
        return SECTION
    return {"unsupported": []} if name == "Verdict" else None


def _env(work: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MERLIN_", "OPENAI_"))}
    return {
        **clean,
        "DAGSTER_HOME": str(work / "home"),
        "MERLIN_SITES_DIR": str(work / "sites"),
        "MERLIN_WORK_DIR": str(work / "work"),
        "MERLIN_TIMINGS_DB": str(work / "t.duckdb"),
        **extra,
    }


def _run(work: Path, env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of one `merlin` command in its own process, and its output."""
    wall, cpu, done = timed_merlin(work, env, *args)
    if done.returncode != 0:
        raise RuntimeError(f"merlin {args[0]} exited {done.returncode}: {done.stderr[-500:]}")
    return wall, cpu, done.stdout


def _redo(work: Path, env: dict[str, str], *args: str) -> Redo:
    """One `merlin regenerate` in its own process, the live release watched from outside:
    seconds from the process starting to the new release being live (the pointer file is
    written just after the site's folder is swapped in), and to the process ending."""
    before_live = live_release(work / "sites", PROJECT)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "merlin_assets.cli", "regenerate", *args],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    live_s = None
    while proc.poll() is None:
        if live_s is None and live_release(work / "sites", PROJECT) != before_live:
            live_s = time.perf_counter() - started
        time.sleep(POLL_S)
    wall = time.perf_counter() - started
    stdout, stderr = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"merlin regenerate exited {proc.returncode}: {stderr[-500:]}")
    if live_s is None:  # went live between two looks, in the last one
        live_s = wall
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Redo(live_s, wall, cpu, stdout)


@dataclass
class Redo:
    live_s: float
    wall_s: float
    cpu_s: float
    output: str


def measure(work: Path, *, repeats: int = 3) -> list[tuple[str, str]]:
    """Rows of the lifecycle table for one section regenerated: the default (the writer's
    call alone) and with --fact-check (the judge's second call), median of `repeats` each."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "home").mkdir(exist_ok=True)
    (work / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    _run(work, _env(work, MERLIN_LLM="offline"), "generate", str(BAKERY), "--rules")
    rows = []
    settings = ServerSettings(chat_latency_s=SEED.chat_s, responder=_answer)
    with FakeOpenAI(settings) as fake:
        env = _env(
            work,
            MERLIN_LLM="openai",
            OPENAI_API_KEYS="sk-bench-section",
            OPENAI_BASE_URL=fake.base_url,
            MERLIN_CACHE="false",
        )
        for judge in ((), ("--fact-check",)):
            fake.clear_requests()
            args = (PROJECT, "--page", "home", "--section", "2", "--note", NOTE, *judge)
            runs = [_redo(work, env, *args) for _ in range(repeats)]
            chats = [r for r in fake.requests if r["path"].endswith("/chat/completions")]
            calls = len(chats) / repeats
            what = "with --fact-check" if judge else "default"
            rows.append(
                (
                    f"one section regenerated, {what} (target 1 call, 3 s)",
                    f"{calls:g} call{'s' if calls != 1 else ''}; live "
                    f"{median(r.live_s for r in runs):.2f} s after the command started "
                    f"(median of {repeats}, worst {max(r.live_s for r in runs):.2f}); the "
                    f"command {median(r.wall_s for r in runs):.2f} s wall, "
                    f"{median(r.cpu_s for r in runs):.2f} s CPU with its records",
                )
            )
    return rows
