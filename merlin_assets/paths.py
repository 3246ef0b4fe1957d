"""Output paths that stay inside their root, and atomic publishing of a whole site."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import uuid
from pathlib import Path

from merlin_assets.config.project import PROJECT_ID_RE


class UnsafePathError(ValueError):
    """A project id or file name that would leave the output root."""


def safe_child(root: Path, *parts: str) -> Path:
    """`root/parts...`, refusing anything that resolves outside `root` or crosses a symlink."""
    for part in parts:
        if not part or "\x00" in part or part in {".", ".."} or "/" in part or "\\" in part:
            raise UnsafePathError(f"unsafe path component {part!r}")
        # Past NAME_MAX the OS refuses the name anyway; say so as a refusal, not a crash.
        if len(part.encode("utf-8", "surrogatepass")) > 255:
            raise UnsafePathError(f"path component too long ({len(part)} characters)")
    candidate = root.joinpath(*parts)
    # Symlinks first: "is a symlink" says what is wrong better than "resolves outside".
    probe = candidate
    while probe != root and probe != probe.parent:
        if probe.is_symlink():
            raise UnsafePathError(f"{probe} is a symlink; refusing to write through it")
        probe = probe.parent
    root_resolved = root.resolve()
    resolved = candidate.resolve()
    if resolved != root_resolved and root_resolved not in resolved.parents:
        raise UnsafePathError(f"{candidate} resolves outside {root}")
    return candidate


def site_dir(sites_root: Path, project_id: str) -> Path:
    """The folder a project's site is published to, inside `sites_root`.

    `sites_root` itself may be a symlink (an operator choosing where sites live, e.g. on
    another disk); nothing below it may be, since those names come from configs and models.
    """
    if not PROJECT_ID_RE.fullmatch(project_id):
        raise UnsafePathError(f"project id {project_id!r} is not a safe folder name")
    return safe_child(sites_root, project_id)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write via a temporary file in the same folder, so a reader sees old or new, never half.

    The folder may not be a symlink: a published site's `images/` swapped for a link elsewhere
    would otherwise carry the next regenerated image out of the output root. (Replacing a
    symlinked file is harmless: the rename replaces the link, not what it points to.)
    """
    if path.parent.is_symlink():
        raise UnsafePathError(f"{path.parent} is a symlink; refusing to write through it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode() if isinstance(data, str) else data)
    os.replace(tmp, path)


def staging_dir(sites_root: Path, project_id: str) -> Path:
    """A fresh folder beside the published site (same filesystem, so the swap is a rename)."""
    site_dir(sites_root, project_id)
    staging = safe_child(sites_root, ".staging")
    staging.mkdir(parents=True, exist_ok=True)
    path = staging / f"{project_id}-{uuid.uuid4().hex[:12]}"
    path.mkdir()
    return path


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def publish(staged: Path, sites_root: Path, project_id: str) -> Path:
    """Make `staged` the live site in one step; the previous site stays whole until then."""
    final = site_dir(sites_root, project_id)
    if not final.exists():
        os.rename(staged, final)
        return final
    if not _exchange(staged, final):
        # Without renameat2 there is a moment with no site, but never a half-written one.
        old = staged.with_name(staged.name + ".old")
        os.rename(final, old)
        os.rename(staged, final)
        staged = old
    shutil.rmtree(staged, ignore_errors=True)
    return final


def discard(staged: Path) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(staged)
