"""Word lists the gate derives from maintained libraries, kept on disk as JSON.

Each process that checks copy built them again from their sources: GeoNames' 34k cities read
from JSON and indexed (0.44 s idle), gender-guesser's 61k names parsed line by line (0.34 s),
the web2 dictionary filtered to lowercase words (0.23 s), Babel's day names in eleven locales
(0.07 s idle, 0.4 s beside a model call): 1 s of CPU at load 4, and on the
critical path of a one-section redo, whose model call at the seed profile is 1.0 s. The
derived lists load from the cache in a tenth of that. A file is keyed by the versions of the
libraries it came from and a digest of our own tables that shaped it, so an upgrade or an
edit builds a new one; a missing, cut or unreadable file is built again; an unwritable cache
only costs the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """`MERLIN_WORDLIST_CACHE_DIR` (a fleet builds it into the image, as it does the font
    list: workers write nothing), else `$XDG_CACHE_HOME/merlin/wordlists`."""
    folder = os.environ.get("MERLIN_WORDLIST_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = str(Path(base) / "merlin" / "wordlists")
    return Path(folder)


def file_for(name: str, libraries: tuple[str, ...], shaped_by: Any = None) -> Path:
    """The cache file of list `name`, built from `libraries` (distribution names) and our own
    tables `shaped_by` (anything whose repr is stable)."""
    key = ",".join(f"{lib}={version(lib)}" for lib in libraries) + repr(shaped_by)
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return cache_dir() / f"{name}-{digest}.json"


def cached(path: Path, build: Callable[[], Any]) -> Any:
    """The JSON value in `path`, or `build()` written there atomically when the file is
    missing or unreadable."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    # As JSON gives it back: the first process reads the same shapes (lists, not tuples) as
    # every later one.
    value = json.loads(json.dumps(build()))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as f:
            json.dump(value, f)
        os.chmod(f.name, 0o644)  # built as root into an image, read by its workers' user
        os.replace(f.name, path)  # readers see the old file or the whole new one
    except OSError:
        with contextlib.suppress(OSError, NameError):
            os.unlink(f.name)
    return value
