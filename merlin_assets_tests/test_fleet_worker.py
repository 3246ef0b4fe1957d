"""A run worker loads Dagster and Merlin once, before its pool forks (merlin_assets/fleet/worker.py,
deploy/celery_config.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# In a process of its own: preloading freezes the collector, which the test process must not.
PRELOAD = """
import gc, json, sys
from merlin_assets.fleet.worker import preload
before = "merlin_assets.definitions" in sys.modules
failed = preload()
print(json.dumps({"before": before, "failed": failed, "frozen": gc.get_freeze_count(),
                  "loaded": [m for m in ("merlin_assets.definitions", "matplotlib.pyplot",
                                         "PIL.Image", "duckdb", "openai") if m in sys.modules]}))
"""


def test_preload_imports_the_run_modules_and_freezes_them():
    out = subprocess.run(
        [sys.executable, "-c", PRELOAD], capture_output=True, text=True, check=True, cwd=REPO
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["before"] is False
    assert result["failed"] == []
    assert result["loaded"] == [
        "merlin_assets.definitions",
        "matplotlib.pyplot",
        "PIL.Image",
        "duckdb",
        "openai",
    ]
    # Every loaded object is out of the collector's reach (tens of thousands of them).
    assert result["frozen"] > 10_000


def test_preload_reports_a_module_it_cannot_import():
    code = (
        "import json; from merlin_assets.fleet.worker import preload; "
        "print(json.dumps(preload(('json', 'merlin_assets.no_such_module'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["merlin_assets.no_such_module"]
    assert "merlin_assets.no_such_module not imported" in out.stderr


CONFIG = """
import json, os, sys
os.environ["MERLIN_CELERY_BROKER"] = "redis://127.0.0.1:1/0"
os.environ["MERLIN_WORKER_MAX_MEMORY_MB"] = "900"
import importlib.util
spec = importlib.util.spec_from_file_location("dagster_celery_config", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
from celery.signals import worker_init
receivers = [r[1]() for r in worker_init.receivers]
worker_init.send(sender=None)
print(json.dumps({
    "receivers": [getattr(r, "__name__", "") for r in receivers],
    "max_kib": module.worker_max_memory_per_child,
    "preloaded": "merlin_assets.definitions" in sys.modules,
}))
"""


@pytest.mark.needs_extra("fleet")  # Celery
def test_the_celery_config_preloads_when_the_worker_starts():
    out = subprocess.run(
        [sys.executable, "-c", CONFIG, str(REPO / "deploy" / "celery_config.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"receivers": ["_preload"], "max_kib": 900 * 1024, "preloaded": True}
