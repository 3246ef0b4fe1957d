"""A run's copy of a config with the media files it names, laid out as beside the original.

The sensor hands a run a snapshot, so an edit after the tick cannot change what the run
builds. A config with media needs its files at the same relative paths (they are read beside
the config), so its snapshot is a folder: the config's bytes plus a copy of each media file.
Copies, not hard links: an editor that writes a photo in place would change a linked copy
under a running build. A symlink stays a symlink (to the same target) so the run refuses it as
it would the original, rather than reading through it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from merlin_assets.paths import write_atomic


def snapshot_with_media(dest: Path, name: str, raw: bytes, folder: Path, media: list[str]) -> Path:
    """Write `raw` as `dest/name` and copy each of `media` (relative to `folder`) under
    `dest`; returns the config's path. A complete `dest` is left as it is."""
    config = dest / name
    if config.exists():
        return config
    tmp = dest.with_name(f".{dest.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        for rel in media:
            _copy(folder, tmp, PurePosixPath(rel).parts)
        write_atomic(tmp / name, raw)
        try:
            tmp.rename(dest)
        except OSError:  # another tick made it meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return config


def _copy(folder: Path, dest: Path, parts: tuple[str, ...]) -> None:
    """Copy one file, stopping at the first symlink on its way (copied as a symlink)."""
    src, out = folder, dest
    for i, part in enumerate(parts):
        src, out = src / part, out / part
        if src.is_symlink():
            if not out.is_symlink():
                out.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(src), out)
            return
        if i < len(parts) - 1:
            continue
        if src.is_file():
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out)
