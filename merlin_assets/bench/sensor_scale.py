"""The projects sensor at scale: tick time and cursor size with N configs, folder and bucket.

    python -m merlin_assets.bench.sensor_scale --configs 10000

Each source gets N distinct configs; the sensor ticks three times (first look, nothing changed,
one file changed) against a real Dagster instance in a temporary home. The state the sensor
keeps apart from its cursor is reported too: before it was kept apart, that whole map was the
cursor, stored with every tick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import yaml

from merlin_assets.bench.runner import REPO


def _configs(n: int) -> Callable[[int], bytes]:
    base = yaml.safe_load((REPO / "examples" / "projects" / "crumb-and-co-bakery.yaml").read_text())

    def one(i: int) -> bytes:
        data = dict(base, name=f"Crumb Branch {i}")
        return yaml.safe_dump(data).encode()

    return one


def _ticks(instance: dg.DagsterInstance, change: Callable[[], None]) -> dict[str, float]:
    from merlin_assets.defs.projects.sensors import project_configs
    from merlin_assets.projects.sensor_state import read_cursor

    figures: dict[str, float] = {}
    cursor = None
    for label in ("first", "unchanged", "one_changed"):
        if label == "one_changed":
            change()
        started = time.perf_counter()
        result = project_configs(dg.build_sensor_context(instance=instance, cursor=cursor))
        figures[f"{label}_tick_s"] = round(time.perf_counter() - started, 3)
        figures[f"{label}_runs"] = len(result.run_requests or [])
        cursor = result.cursor
        figures[f"{label}_cursor_bytes"] = len(cursor or "")
    key, _ = read_cursor(cursor)
    figures["state_bytes_kept_apart"] = _state_size(key)
    return figures


def _state_size(key: str | None) -> float:
    from merlin_assets.config.environment import Settings
    from merlin_assets.defs.projects.sensors import SENSOR

    settings = Settings()
    if settings.storage_url:
        from merlin_assets import storage

        where = storage.location(settings)
        fs = storage.settings_filesystem(settings)
        return float(fs.size(where.path("sensors", f"{SENSOR}-{key}.json")))
    root = Path(os.environ["MERLIN_WORK_DIR"])
    return float((root / "sensors" / f"{SENSOR}-{key}.json").stat().st_size)


def folder(n: int) -> dict[str, float]:
    make = _configs(n)
    with tempfile.TemporaryDirectory() as tmp:
        home, projects = Path(tmp) / "home", Path(tmp) / "projects"
        home.mkdir()
        projects.mkdir()
        for i in range(n):
            (projects / f"branch-{i}.yaml").write_bytes(make(i))
        os.environ.update(MERLIN_PROJECTS_DIR=str(projects), MERLIN_WORK_DIR=str(Path(tmp) / "w"))
        with dg.instance_for_test(temp_dir=str(home)) as instance:
            return _ticks(instance, lambda: (projects / "branch-7.yaml").write_bytes(make(n + 7)))


def bucket(n: int) -> dict[str, float]:
    from merlin_assets.testing.s3_server import S3Server

    make = _configs(n)
    with tempfile.TemporaryDirectory() as tmp, S3Server() as s3:
        s3.make_bucket("merlin")
        fs = s3.filesystem()
        for start in range(0, n, 1000):  # s3fs sends each batch concurrently
            fs.pipe(
                {f"merlin/projects/b-{i}.yaml": make(i) for i in range(start, min(n, start + 1000))}
            )
        os.environ.update(
            AWS_ACCESS_KEY_ID="test",
            AWS_SECRET_ACCESS_KEY="test",
            AWS_DEFAULT_REGION="us-east-1",
            MERLIN_S3_ENDPOINT_URL=s3.endpoint_url,
            MERLIN_STORAGE_URL="s3://merlin/fleet",
            MERLIN_PROJECTS_DIR="s3://merlin/projects",
            MERLIN_WORK_DIR=str(Path(tmp) / "w"),
        )
        (Path(tmp) / "home").mkdir()
        try:
            with dg.instance_for_test(temp_dir=str(Path(tmp) / "home")) as instance:
                return _ticks(
                    instance, lambda: fs.pipe_file("merlin/projects/b-7.yaml", make(n + 7))
                )
        finally:
            for name in ("MERLIN_STORAGE_URL", "MERLIN_S3_ENDPOINT_URL"):
                os.environ.pop(name, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=10_000)
    parser.add_argument("--source", choices=["folder", "bucket", "both"], default="both")
    args = parser.parse_args()
    out = {}
    if args.source in {"folder", "both"}:
        out["folder"] = folder(args.configs)
    if args.source in {"bucket", "both"}:
        out["bucket"] = bucket(args.configs)
    sys.stdout.write(json.dumps({"configs": args.configs, **out}, indent=1) + "\n")


if __name__ == "__main__":
    main()
