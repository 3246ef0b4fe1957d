"""Cumulative layout shift of built sites' pages in headless Chromium, as Lighthouse sees it.

Lighthouse loads a page on an emulated phone (412x823, 4x slower CPU, slow 4G), where a web font
or an image can arrive after the first paint; served locally it arrives before, and no shift
would ever show. Throttling alone made it a race (the bakery measured 0.094 on one run and 0 on
the next), so this serves the site over HTTP on 127.0.0.1 (fonts from file:// URLs are
cross-origin to Chromium and never load) with every font held back `FONT_DELAY_S` and every
image `IMAGE_DELAY_S`: they always arrive after the first paint, the worst case, every time.
It waits for the load event and a little more, and reads every 'layout-shift' entry with a
buffered PerformanceObserver. CLS is the largest session window (shifts less than 1 s apart,
at most 5 s long), as Chromium's web-vitals define it.

    python -m merlin_assets_tests.layout_shift [--repeat N] SITE_DIR [SITE_DIR ...]

prints the CLS of each site's home page (the worst of N loads) and the elements that moved.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from merlin_assets_tests.hostile_support import Chromium

# Lighthouse's mobile defaults (its `throttling.mobileSlow4G` and `screenEmulation.mobile`).
PHONE = {"width": 412, "height": 823, "deviceScaleFactor": 1.75, "mobile": True}
CPU_SLOWDOWN = 4
# Long enough for the first paint to come first on a loaded 2-core machine (1.5 s was not in
# 6 of 40 loads, at a load average near 30), short enough that a load takes seconds.
FONT_DELAY_S = 3.0
IMAGE_DELAY_S = 1.0
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif", ".svg")

_SHIFTS = """
new Promise(resolve => {
  const seen = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      seen.push({value: e.value, start: e.startTime, input: e.hadRecentInput,
                 sources: (e.sources || []).map(s => s.node ?
                   (s.node.nodeName + (s.node.className ? '.' + s.node.className : '')) : '?')});
    }
  }).observe({type: 'layout-shift', buffered: true});
  const paint = performance.getEntriesByName('first-paint')[0];
  const fonts = performance.getEntriesByType('resource')
    .filter(r => r.name.endsWith('.woff2')).map(r => r.responseEnd);
  setTimeout(() => resolve({shifts: seen, paint: paint ? paint.startTime : null,
                             fonts: fonts.length ? Math.min(...fonts) : null}), 50);
})
"""


@dataclass(frozen=True)
class Shift:
    value: float
    start_ms: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Load:
    """One page load: its shifts, when it was first painted and when its first font arrived
    (None: no font file), in ms from navigation."""

    shifts: list[Shift]
    first_paint_ms: float | None
    first_font_ms: float | None

    @property
    def cls(self) -> float:
        return cls_of(self.shifts)

    @property
    def fonts_came_late(self) -> bool:
        """Whether the fonts arrived after the first paint (what this measure is for)."""
        return (
            self.first_font_ms is not None
            and self.first_paint_ms is not None
            and self.first_font_ms > self.first_paint_ms
        )


def cls_of(shifts: list[Shift]) -> float:
    """The largest session window's sum: shifts under 1 s apart, a window at most 5 s long."""
    best = current = 0.0
    first = last = None
    for s in sorted(shifts, key=lambda s: s.start_ms):
        if first is None or s.start_ms - last > 1000 or s.start_ms - first > 5000:
            first, current = s.start_ms, 0.0
        current += s.value
        last = s.start_ms
        best = max(best, current)
    return best


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """An HTTP server for `folder` on 127.0.0.1, in a thread; yields its base URL."""

    class Late(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].lower()
            if path.endswith(".woff2"):
                time.sleep(FONT_DELAY_S)
            elif path.endswith(_IMAGE_SUFFIXES):
                time.sleep(IMAGE_DELAY_S)
            super().do_GET()

    handler = functools.partial(Late, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_load(browser: Chromium, url: str, settle_s: float = 1.0) -> Load:
    """Every layout shift of loading `url` on an emulated phone with a slow CPU."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    try:
        for domain in ("Page", "Runtime", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
        browser.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN}, session=session)
        browser.send("Emulation.setDeviceMetricsOverride", PHONE, session=session)
        browser.pending_events.clear()
        browser.send("Page.navigate", {"url": url}, session=session)
        browser._events_until(
            lambda e: e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session,
            timeout=60,
        )
        time.sleep(settle_s)
        found = browser.send(
            "Runtime.evaluate",
            {"expression": _SHIFTS, "awaitPromise": True, "returnByValue": True},
            session=session,
        )["result"]["value"]
        shifts = [
            Shift(float(e["value"]), float(e["start"]), tuple(e["sources"]))
            for e in found["shifts"]
            if not e["input"]
        ]
        return Load(shifts, found["paint"], found["fonts"])
    finally:
        with contextlib.suppress(Exception):
            browser.send("Target.closeTarget", {"targetId": target})
        browser.pending_events.clear()


def site_load(site: Path, page: str = "index.html") -> Load:
    """One load of one page of a built site."""
    browser = Chromium()
    try:
        with serve(site) as base:
            return page_load(browser, f"{base}/{page}")
    finally:
        browser.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built site folders")
    parser.add_argument(
        "--repeat", type=int, default=1, help="loads per page (a loaded machine varies)"
    )
    args = parser.parse_args(argv)
    for folder in args.sites:
        loads = [site_load(folder) for _ in range(max(1, args.repeat))]
        worst = max(loads, key=lambda load: load.cls)
        print(
            f"{folder.name}: CLS {worst.cls:.4f} worst of "
            f"{' '.join(f'{load.cls:.4f}' for load in loads)}; fonts after first paint in "
            f"{sum(load.fonts_came_late for load in loads)}/{len(loads)} loads"
        )
        for s in worst.shifts:
            print(f"  {s.value:.4f} at {s.start_ms:.0f} ms: {', '.join(s.sources)[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
