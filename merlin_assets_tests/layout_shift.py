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

    python -m merlin_assets_tests.layout_shift SITE_DIR [SITE_DIR ...]

prints the CLS of each site's home page and the elements that moved.
"""

from __future__ import annotations

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
# Long enough for the first paint to come first on a loaded 2-core machine, short enough that
# the page's load event still comes within a few seconds.
FONT_DELAY_S = 1.5
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
  setTimeout(() => resolve(seen), 50);
})
"""


@dataclass(frozen=True)
class Shift:
    value: float
    start_ms: float
    sources: tuple[str, ...]


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


def page_shifts(browser: Chromium, url: str, settle_s: float = 1.0) -> list[Shift]:
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
        return [
            Shift(float(e["value"]), float(e["start"]), tuple(e["sources"]))
            for e in found
            if not e["input"]
        ]
    finally:
        with contextlib.suppress(Exception):
            browser.send("Target.closeTarget", {"targetId": target})
        browser.pending_events.clear()


def site_cls(site: Path, page: str = "index.html") -> tuple[float, list[Shift]]:
    """The CLS of one page of a built site, and its shifts."""
    browser = Chromium()
    try:
        with serve(site) as base:
            shifts = page_shifts(browser, f"{base}/{page}")
    finally:
        browser.close()
    return cls_of(shifts), shifts


def main(argv: list[str]) -> int:
    for folder in argv:
        score, shifts = site_cls(Path(folder))
        print(f"{Path(folder).name}: CLS {score:.4f} ({len(shifts)} shifts)")
        for s in shifts:
            print(f"  {s.value:.4f} at {s.start_ms:.0f} ms: {', '.join(s.sources)[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
