"""One section regenerated (`merlin regenerate --section`): model calls and wall time at the
seed profile, for `merlin bench --scenario lifecycle`.

The bakery is built by rules, then its home page's second section is redone through the real
command, in its own process, against a FakeOpenAI that answers after the seed profile's chat
latency (1.0 s) with a section the content gate passes. Calls are the chat requests the server
received. Measured twice: with the fact-check judge off (the writer's call alone, the issue's
target of 1) and with it on (the default: the judge reads the new section in a second call).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from merlin_assets.bench.commands import timed_merlin
from merlin_assets.bench.scenarios import SEED
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings

BAKERY = Path(__file__).resolve().parents[2] / "examples" / "projects" / "crumb-and-co-bakery.yaml"
PROJECT = "crumb-co-bakery"
NOTE = "warmer, mention the harbour"
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


def _live_s(output: str) -> str:
    """The run's own seconds from its start to the release being live, as the command says."""
    for part in output.replace("\n", " ").split(";"):
        if part.strip().startswith("live after"):
            return part.strip().removeprefix("live after ").split()[0]
    return "?"


def measure(work: Path) -> list[tuple[str, str]]:
    """Rows of the lifecycle table for one section regenerated."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "home").mkdir(exist_ok=True)
    (work / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    _run(work, _env(work, MERLIN_LLM="offline"), "generate", str(BAKERY), "--rules")
    rows = []
    settings = ServerSettings(chat_latency_s=SEED.chat_s, responder=_answer)
    with FakeOpenAI(settings) as fake:
        for judge in ("false", "true"):
            fake.clear_requests()
            env = _env(
                work,
                MERLIN_LLM="openai",
                OPENAI_API_KEYS="sk-bench-section",
                OPENAI_BASE_URL=fake.base_url,
                MERLIN_CACHE="false",
                MERLIN_FACT_CHECK=judge,
            )
            wall, cpu, output = _run(
                work, env, "regenerate", PROJECT, "--page", "home", "--section", "2",
                "--note", NOTE,
            )  # fmt: skip
            calls = sum(1 for r in fake.requests if r["path"].endswith("/chat/completions"))
            what = "fact-check off" if judge == "false" else "fact-check on (default)"
            rows.append(
                (
                    f"one section regenerated, {what} (target 1 call, 3 s)",
                    f"{calls} call{'s' if calls != 1 else ''}, {wall:.3f} s wall, {cpu:.3f} s "
                    f"CPU; live {_live_s(output)} s into the run",
                )
            )
    return rows
