"""Living with a site: `merlin history` with 200 releases, rollback, and unchanged redeploys.

    merlin bench --scenario lifecycle
    python -m merlin_assets.bench.lifecycle [--site sites/crumb-co-bakery] [--releases 200]

Without `--site` the bakery example is generated offline first.

Publishes the site `--releases` times into a scratch sites root (each publish rewrites one
page's text, so every release has changes to count), then times `merlin history --json`
through the real command (a new process, imports included) and in process, and rollback:
the switch alone, and `merlin rollback` with its Dagster and DuckDB records. Then the site is
deployed three times to every host (`bench/hosts.py`) and the unchanged redeploy's files are
printed against the target of 0. Then one section of the bakery's home page is regenerated
through `merlin regenerate` against a FakeOpenAI at the seed profile (`bench/one_section.py`),
and an edits file is written beside the bakery's config and timed until its release is live
(`bench/edits.py`): once with the sensor evaluated and its run executed in process, once under
`dagster dev` (the daemon's ticks and run processes).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from merlin_assets.bench import edits, hosts, one_section
from merlin_assets.bench.commands import timed_merlin
from merlin_assets.releases.manifest import ReleaseInfo
from merlin_assets.releases.summary import history_row
from merlin_assets.storage.publishing import LocalPublisher

PROJECT = "bench-site"
KEEP = 10_000


def _site(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def _variant(files: dict[str, bytes], n: int) -> dict[str, bytes]:
    out = dict(files)
    pages = sorted(r for r in files if r.endswith(".html"))
    page = pages[n % len(pages)]
    out[page] = files[page].replace(b"</main>", f"<p>Release {n} of the bench</p></main>".encode())
    return out


def _env(root: Path, work: Path) -> dict[str, str]:
    # The scratch store keeps every release made; with the default of 20 the first command
    # would spend its time deleting the 180 older ones, which a real store never holds.
    return {
        "MERLIN_SITES_DIR": str(root),
        "DAGSTER_HOME": str(work / "home"),
        "MERLIN_KEEP_RELEASES": str(KEEP),
    }


def _cli(root: Path, work: Path, *args: str) -> tuple[str, subprocess.CompletedProcess]:
    """Wall and CPU seconds of one `merlin` command in its own process: on a shared machine
    the CPU figure is the one that says what the command costs."""
    wall, cpu, done = timed_merlin(work, {**os.environ, **_env(root, work)}, *args)
    return f"{wall:.3f} s wall, {cpu:.3f} s CPU", done


def _rollback_cli(root: Path, work: Path) -> tuple[float, str]:
    """Seconds from starting `merlin rollback` until it says the site is live, and the whole
    command (it records the switch in Dagster and DuckDB after)."""
    env = {**os.environ, **_env(root, work), "PYTHONUNBUFFERED": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "merlin_assets.cli", "rollback", PROJECT],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    live_s = float("nan")
    for line in proc.stdout:
        if line.startswith("live:"):
            live_s = time.perf_counter() - started
    assert proc.wait() == 0
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return live_s, f"{wall:.3f} s wall, {cpu:.3f} s CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: generate the bakery)")
    parser.add_argument("--releases", type=int, default=200)
    args = parser.parse_args(argv)
    if args.releases < 3:
        parser.error("--releases must be at least 3 (rollbacks need releases before the live one)")
    if args.site is not None and not (args.site / "index.html").is_file():
        sys.stderr.write(f"no site at {args.site}: run `merlin generate` first\n")
        return 2
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="merlin-lifecycle-") as tmp:
        work = Path(tmp)
        built = args.site or hosts._generate(work / "built")
        files = _site(built)
        (work / "home").mkdir()
        (work / "home" / "dagster.yaml").write_text("")
        root = work / "sites"
        pub = LocalPublisher(root, keep=KEEP)
        publish_s = []
        for n in range(args.releases):
            started = time.perf_counter()
            pub.publish_release(PROJECT, _variant(files, n), ReleaseInfo(run_id=f"bench-{n}"))
            publish_s.append(time.perf_counter() - started)
        store = pub.release_store
        size = sum(len(b) for b in files.values())
        rows.append(("site", f"{len(files)} files, {size / 1e6:.1f} MB"))
        rows.append(("publish, median of all", f"{statistics.median(publish_s):.3f} s"))

        started = time.perf_counter()
        live = store.live(PROJECT)
        listed = [history_row(m, live=live) for m in store.manifests(PROJECT)]
        rows.append((f"history in process, {len(listed)} releases", _s(started)))
        took, done = _cli(root, work, "history", PROJECT, "--json")
        assert done.returncode == 0, done.stderr
        rows.append((f"`merlin history --json`, {len(listed)} releases", took))
        took, done = _cli(root, work, "history", PROJECT)
        rows.append(("`merlin history` (table)", took))

        switches = []
        # Each rollback goes one release further back: at most one fewer than were published.
        for _ in range(min(10, args.releases - 2)):
            started = time.perf_counter()
            store.rollback(PROJECT)
            switches.append(time.perf_counter() - started)
        rows.append(
            (f"rollback switch, median of {len(switches)}", f"{statistics.median(switches):.3f} s")
        )
        live_s, took = _rollback_cli(root, work)
        rows.append(("`merlin rollback`, until the site is live", f"{live_s:.3f} s wall"))
        rows.append(("`merlin rollback`, with its records", took))
        deploys = hosts.measure(built, work / "hosts")
        redeploy = [d for d in deploys if d["deploy"] == "unchanged"]
        for d in redeploy:
            rows.append((f"unchanged redeploy to {d['host']} (target 0)", f"{d['files']} files"))
        rows += one_section.measure(work / "one-section")
        rows += edits.measure(work / "edits")
        rows += edits.measure_dev(work / "edits-dev")
    load = os.getloadavg()[0]
    rows.append(("load average (1 min) at the end", f"{load:.1f} on {os.cpu_count()} CPUs"))
    width = max(len(k) for k, _ in rows)
    sys.stdout.write("".join(f"{k:<{width}}  {v}\n" for k, v in rows))
    return 0 if all(d["files"] == 0 and not d["error"] for d in redeploy) else 1


def _s(started: float) -> str:
    return f"{time.perf_counter() - started:.3f} s"


if __name__ == "__main__":
    sys.exit(main())
