"""`merlin bench --scenario lighthouse`: Lighthouse's scores for a site's home page.

With no site given, the harbour-loaf example (a logo and eight photos) is built by the rules
with its hero replaced by a 12 MP photo, as a business would hand one over: the page Issue 20
holds to performance >= 0.95 and best-practices 1.00. The site is served from 127.0.0.1 by
Python's http.server (no compression, no cache headers: a plain static host) and audited by
Lighthouse from the npm registry (`npx`) in Debian's chromium, mobile (Lighthouse's default,
simulated slow 4G and a 4x slower CPU) and desktop. Printed: the four category scores and the
metrics performance is made of, per form factor and run.

Lighthouse 12 is pinned: 13 needs Node 22.19 and this machine has Node 20.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LIGHTHOUSE = "lighthouse@12.8.2"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "largest-contentful-paint": ("LCP", "ms"),
    "first-contentful-paint": ("FCP", "ms"),
    "total-blocking-time": ("TBT", "ms"),
    "cumulative-layout-shift": ("CLS", ""),
    "speed-index": ("SI", "ms"),
    "total-byte-weight": ("bytes", "B"),
}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "with-media" / "harbour-loaf"
HERO = "media/shopfront.jpg"
HERO_SIZE = (4000, 3000)  # 12 MP, a phone camera's


def chrome() -> str:
    """Debian's chromium (or CHROME_PATH): Lighthouse downloads no browser here."""
    found = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chrome")
    if not found:
        raise SystemExit("no chromium found: apt-get install chromium, or set CHROME_PATH")
    return found


@contextmanager
def serving(site: Path):
    """The site folder over HTTP on 127.0.0.1, on a free port, for as long as the block runs."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def audit(url: str, *, desktop: bool, browser: str) -> dict:
    """One Lighthouse run; its JSON report (the parts printed)."""
    args = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if desktop:
        args.append("--preset=desktop")
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CHROME_PATH": browser},
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed ({done.returncode}): {done.stderr[-800:]}")
    report = json.loads(done.stdout)
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    metrics = {
        name: report["audits"][key].get("numericValue") for key, (name, _) in METRICS.items()
    }
    failed = sorted(
        a["id"]
        for c in ("best-practices", "accessibility")
        for ref in report["categories"][c]["auditRefs"]
        if ref.get("weight")
        for a in [report["audits"][ref["id"]]]
        if a.get("score") is not None and a["score"] < 1
    )
    return {
        "scores": scores,
        "metrics": metrics,
        "failed": failed,
        "version": report["lighthouseVersion"],
    }


def build_example(workdir: Path) -> Path:
    """The harbour-loaf example built by the rules, its hero a 12 MP photo; the site folder."""
    from merlin_assets.testing.media_files import jpeg_with_metadata, photo

    project = workdir / "harbour-loaf"
    shutil.copytree(EXAMPLE, project)
    (project / HERO).write_bytes(jpeg_with_metadata(photo(*HERO_SIZE, seed=7), quality=90))
    sites = workdir / "sites"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "merlin_assets.cli",
            "generate",
            str(project / "harbour-loaf.yaml"),
            "--rules",
            "--out",
            str(sites),
        ],
        cwd=workdir,
        check=True,
        capture_output=True,
        env={**os.environ, "DAGSTER_HOME": str(workdir / "dagster")},
    )
    return sites / "harbour-loaf-bakery"


def table(rows: list[tuple[str, int, dict]]) -> str:
    head = ["form", "run", *CATEGORIES, *(n for n, _ in METRICS.values()), "below 1"]
    lines = [" | ".join(head)]
    for form, run, found in rows:
        metrics = [
            f"{v:.3f}" if n == "CLS" else f"{v:.0f}"
            for (n, _), v in zip(METRICS.values(), found["metrics"].values(), strict=True)
        ]
        scores = [f"{found['scores'][c]:.2f}" for c in CATEGORIES]
        lines.append(" | ".join([form, str(run), *scores, *metrics, ",".join(found["failed"])]))
    return "\n".join(lines)


def main(site: Path | None = None, runs: int = 1, keep: Path | None = None) -> str:
    """Audit `site` (or the example, built first) `runs` times per form factor; the table."""
    browser = chrome()
    with tempfile.TemporaryDirectory(prefix="merlin-lighthouse-") as tmp:
        workdir = keep.absolute() if keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        target = site or build_example(workdir)
        rows = []
        with serving(target) as url:
            for form in ("mobile", "desktop"):
                for run in range(1, runs + 1):
                    rows.append((form, run, audit(url, desktop=form == "desktop", browser=browser)))
    version = rows[0][2]["version"]
    hero = f"; hero {HERO_SIZE[0]}x{HERO_SIZE[1]}" if site is None else ""
    return f"Lighthouse {version}, {target.name}/index.html{hero}\n{table(rows)}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site folder (default: build)")
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    sys.stdout.write(main(options.site, options.runs) + "\n")
