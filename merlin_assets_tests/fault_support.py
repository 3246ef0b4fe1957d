"""Helpers for the fault tests: a reader that watches the sites folder, the CLI as a subprocess,
and what one run's event log says about its calls."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import dagster as dg
from PIL import Image

from merlin_assets.timings.run_report import RunReport
from merlin_assets_tests.conftest import REPO

CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")
IMAGE_SUFFIXES = {".webp", ".png", ".jpg", ".jpeg", ".ico"}


def problem_with(name: str, data: bytes) -> str | None:
    """Why `data` is not a whole file of its kind, or None when it is."""
    suffix = Path(name).suffix.lower()
    if not data:
        return "empty"
    try:
        if suffix == ".html":
            text = data.decode()
            if not text.lstrip().lower().startswith("<!doctype html"):
                return "no doctype"
            if not text.rstrip().endswith("</html>"):
                return "does not end with </html>"
        elif suffix in IMAGE_SUFFIXES:
            with Image.open(io.BytesIO(data)) as img:
                img.load()
        elif suffix == ".xml":
            ET.fromstring(data)
        elif suffix == ".css":
            if not data.rstrip().endswith(b"}"):
                return "CSS does not end with }"
        elif suffix == ".woff2":
            from fontTools.ttLib import TTFont

            TTFont(io.BytesIO(data)).getGlyphOrder()
        elif suffix == ".txt" and "LICENSE" in name:
            data.decode()
        else:
            data.decode()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


class SitesReader(threading.Thread):
    """Reads every file a visitor could fetch under `root`, over and over, until stopped.

    Hidden names (`.staging/`, `.index.html.1234.tmp`) are the publisher's work in progress, not
    part of any site, and are skipped; everything else must be whole each time it is read. Each
    distinct state of a file (inode, size, mtime) is checked once.
    """

    def __init__(self, root: Path):
        super().__init__(name="sites-reader", daemon=True)
        self.root = root
        self.halt = threading.Event()
        self.checked: set[tuple] = set()
        self.by_kind: Counter[str] = Counter()
        self.sweeps = 0
        self.partial: list[str] = []
        self.site_dirs: set[int] = set()  # inodes of sites/<id>: one per publish

    def run(self) -> None:
        while not self.halt.is_set():
            self.sweep()
            self.halt.wait(0.01)  # let the run have the GIL between sweeps

    def sweep(self) -> None:
        for dirpath, dirnames, filenames in os.walk(self.root):
            here = Path(dirpath)
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            if here.parent == self.root:
                with contextlib.suppress(OSError):
                    self.site_dirs.add(here.stat().st_ino)
            for name in filenames:
                if name.startswith("."):
                    continue
                self.read(here / name)
        self.sweeps += 1

    def read(self, path: Path) -> None:
        try:
            before = path.stat()
            state = (before.st_ino, before.st_size, before.st_mtime_ns)
            if state in self.checked:
                return
            with path.open("rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            return  # swapped out between listing and opening: the visitor gets a 404, not half
        self.checked.add(state)
        self.by_kind[path.suffix.lower()] += 1
        problem = problem_with(path.name, data)
        if problem:
            self.partial.append(f"{path.relative_to(self.root)}: {problem}")

    def __enter__(self) -> SitesReader:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.halt.set()
        self.join(timeout=30)
        self.sweep()  # and the final state


def run_calls(instance: dg.DagsterInstance, run_id: str) -> tuple[RunReport, list[dict]]:
    """The run's items and every call record in them (with `asset` and `partition` added)."""
    report = RunReport(run_id=run_id)
    report.refresh(instance)
    calls = [
        dict(c, asset=item.asset, partition=item.partition)
        for item in report.items
        for c in item.meta.get("calls") or []
    ]
    return report, calls


def server_calls(requests: list[dict]) -> list[dict]:
    return [r for r in requests if r["path"] in CALL_PATHS]


def new_home(workdir: Path) -> Path:
    home = workdir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    return home


def cli_env(workdir: Path, env: dict[str, str]) -> dict[str, str]:
    """The environment `merlin generate` gets: no MERLIN_/OPENAI_ from outside, then `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MERLIN_", "OPENAI_"))}
    clean.update(
        DAGSTER_HOME=str(workdir / "dagster_home"),
        MERLIN_SITES_DIR=str(workdir / "sites"),
        PYTHONUNBUFFERED="1",
    )
    clean.update(env)
    return clean


def start_generate(config: Path, workdir: Path, env: dict[str, str], out: Path):
    """`merlin generate config` in its own process group, output to `out`."""
    with out.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "merlin_assets.cli", "generate", str(config)],
            cwd=workdir,
            env=cli_env(workdir, env),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every non-hidden file under `root` by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def redo_page_from_ui(instance, project: str, slug: str):
    """Materialize the `site_pages` partition of one page, as the UI's button does, and return
    the `site` materialization record that follows it (the new release)."""
    import dagster as dg

    from merlin_assets.definitions import defs as load_defs

    pages = instance.fetch_materializations(dg.AssetKey("site_pages"), limit=100).records
    [slot] = {
        r.partition_key.split("|")[0]
        for r in pages
        if r.asset_materialization.metadata["page"].value == slug
    }
    job = load_defs().resolve_implicit_job_def_def_for_assets([dg.AssetKey("site_pages")])
    result = job.execute_in_process(
        instance=instance,
        partition_key=dg.MultiPartitionKey({"page": slot, "project": project}),
        asset_selection=[dg.AssetKey("site_pages")],
    )
    assert result.success
    [latest] = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("site"), asset_partitions=[project]),
        limit=1,
    ).records
    return latest
