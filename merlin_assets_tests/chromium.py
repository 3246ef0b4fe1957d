"""The Chromium the browser tests start: the one `.ci/run` finds or installs.

`.ci/run` accepts any `chromium` on the PATH, so the tests look there first and fall back to
Debian's /usr/bin/chromium. Tests that need the browser carry `needs_chromium`; the rest of
their module runs without one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def find_chromium() -> Path:
    """The `chromium` on the PATH, else Debian's path (which may not exist: see HAVE_CHROMIUM)."""
    found = shutil.which("chromium")
    return Path(found) if found else DEBIAN_CHROMIUM


CHROMIUM = find_chromium()
HAVE_CHROMIUM = CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)

# Skipped where there is none, failed under CI (needs.py).
needs_chromium = pytest.mark.needs_service("chromium")

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
