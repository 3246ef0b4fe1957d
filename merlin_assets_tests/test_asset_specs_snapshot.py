"""The asset graph, pinned: every asset spec and asset check of the code location, as a snapshot.

Refactors of the code that builds the specs must leave the graph exactly as it was. This test
describes the live graph (group, kinds, deps and their partition mappings, partitions and
description of every asset; asset, name and description of every check) and compares it with
`snapshots/asset_specs.json`. When the graph is meant to change, rewrite the file with

    MERLIN_UPDATE_SNAPSHOTS=1 python -m pytest merlin_assets_tests/test_asset_specs_snapshot.py

and commit it with the change, so the diff shows what moved.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from merlin_assets.definitions import defs as load_defs

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_specs.json"
UPDATE_VAR = "MERLIN_UPDATE_SNAPSHOTS"
UPDATE_COMMAND = f"{UPDATE_VAR}=1 python -m pytest merlin_assets_tests/test_asset_specs_snapshot.py"


def _describe_partitions(partitions_def: dg.PartitionsDefinition | None) -> Any:
    """A readable, deterministic account of a partitions definition."""
    if partitions_def is None:
        return None
    if isinstance(partitions_def, dg.DynamicPartitionsDefinition):
        return {"type": "dynamic", "name": partitions_def.name}
    if isinstance(partitions_def, dg.MultiPartitionsDefinition):
        return {
            "type": "multi",
            "dimensions": [
                {"name": dim.name, "partitions": _describe_partitions(dim.partitions_def)}
                for dim in partitions_def.partitions_defs
            ],
        }
    if isinstance(partitions_def, dg.StaticPartitionsDefinition):
        return {"type": "static", "keys": list(partitions_def.get_partition_keys())}
    return {"type": type(partitions_def).__name__, "repr": repr(partitions_def)}


def _describe_asset(spec: dg.AssetSpec) -> dict[str, Any]:
    deps = {dep.asset_key.to_user_string(): dep for dep in spec.deps}
    return {
        "group": spec.group_name,
        "kinds": sorted(spec.kinds),
        "deps": sorted(deps),
        # Only deps with an explicit mapping; the rest use Dagster's default for their partitions.
        "dep_partition_mappings": {
            key: repr(dep.partition_mapping)
            for key, dep in sorted(deps.items())
            if dep.partition_mapping is not None
        },
        "partitions": _describe_partitions(spec.partitions_def),
        "description": spec.description,
    }


def describe_graph() -> dict[str, Any]:
    """Every asset spec and asset check of the loaded code location, sorted by key."""
    defs = load_defs()
    assets = {
        spec.key.to_user_string(): _describe_asset(spec) for spec in defs.resolve_all_asset_specs()
    }
    graph = defs.resolve_asset_graph()
    checks = [
        {
            "asset": key.asset_key.to_user_string(),
            "name": key.name,
            "description": graph.get_check_spec(key).description,
        }
        for key in graph.asset_check_keys
    ]
    return {
        "assets": dict(sorted(assets.items())),
        "asset_checks": sorted(checks, key=lambda check: (check["asset"], check["name"])),
    }


def render(graph: dict[str, Any]) -> str:
    return json.dumps(graph, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_asset_specs_match_snapshot() -> None:
    live = render(describe_graph())

    if os.environ.get(UPDATE_VAR) == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(live, encoding="utf-8")
        return

    if not SNAPSHOT.exists():
        pytest.fail(
            f"No snapshot at {SNAPSHOT}. Write it with:\n    {UPDATE_COMMAND}", pytrace=False
        )
    pinned = SNAPSHOT.read_text(encoding="utf-8")
    if live != pinned:
        diff = "".join(
            difflib.unified_diff(
                pinned.splitlines(keepends=True),
                live.splitlines(keepends=True),
                fromfile=f"{SNAPSHOT.name} (committed)",
                tofile="live asset graph",
            )
        )
        pytest.fail(
            "The asset graph differs from the committed snapshot.\n"
            f"{diff}\n"
            "If the change is intended, rewrite the snapshot and commit it with the change:\n"
            f"    {UPDATE_COMMAND}",
            pytrace=False,
        )
