"""Debian's Chromium as the browser tests start it (`.ci/run` installs it)."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

# Headless as root on a machine with no network: without the background-networking flags
# Chromium's own connections are refused many at a time; each test gets its own profile.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
