"""The fleet's Dagster home: deploy/dagster.yaml with its variables filled in.

deploy/dagster.yaml reads every address from the environment (`{env: MERLIN_PG_URL}` ...), as a
multi-machine deployment wants; the local fleet writes a copy with those values written out, so
any `dagster` command pointed at the home (DAGSTER_HOME=...) works without the environment, and
with the integers fitted to the fleet (run slots = workers x concurrency, a faster monitoring
poll).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "deploy" / "dagster.yaml"


def resolve_env(node: Any, values: Mapping[str, str]) -> Any:
    """`{env: NAME}` nodes replaced by `values[NAME]` (others left for the environment)."""
    if isinstance(node, dict):
        if set(node) == {"env"} and node["env"] in values:
            return values[node["env"]]
        return {k: resolve_env(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve_env(v, values) for v in node]
    return node


def render(
    values: Mapping[str, str],
    *,
    run_slots: int,
    poll_interval_s: int = 30,
    template: Path = TEMPLATE,
) -> dict:
    config = yaml.safe_load(template.read_text())
    config = resolve_env(config, values)
    config["concurrency"]["runs"]["max_concurrent_runs"] = run_slots
    config["concurrency"]["pools"]["default_limit"] = run_slots
    config["run_monitoring"]["poll_interval_seconds"] = poll_interval_s
    return config


def write_home(home: Path, values: Mapping[str, str], **options: Any) -> Path:
    """Write `<home>/dagster.yaml` (and a workspace.yaml next to it); returns the home."""
    home.mkdir(parents=True, exist_ok=True)
    config = render(values, **options)
    header = "# Written by `merlin fleet up` from deploy/dagster.yaml; edit that file instead.\n"
    (home / "dagster.yaml").write_text(header + yaml.safe_dump(config, sort_keys=False))
    return home


def write_workspace(path: Path) -> Path:
    workspace = {
        "load_from": [
            {
                "python_module": {
                    "module_name": "merlin_assets.definitions",
                    "location_name": "merlin_assets",
                }
            }
        ]
    }
    path.write_text(yaml.safe_dump(workspace, sort_keys=False))
    return path


def write_celery_config(folder: Path) -> Path:
    """deploy/celery_config.py as `dagster_celery_config` (the module dagster_celery.app reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "dagster_celery_config.py"
    target.write_text((REPO / "deploy" / "celery_config.py").read_text())
    return target
