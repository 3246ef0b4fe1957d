"""Three-way merge of a hand-edited file with the newly generated one.

`git merge-file` does the merge where git is installed; the `merge3` library where it is not.
Pages are full of identical lines (`</div>`, `</section>`), and there merge3 aligns edits
wrongly: base six equal lines, ours changed the first, theirs the fifth, and merge3 returned
seven lines with ours inserted, not replaced (found by the property test); git's xdiff
returns the six expected.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import merge3

# Files merged as text; anything else (images, fonts) is kept or replaced whole.
TEXT_SUFFIXES = (".html", ".css", ".js", ".txt", ".xml", ".json", ".svg", ".webmanifest")


@dataclass(frozen=True)
class Merged:
    """The merged bytes, or None on a conflict (the caller keeps the hand edit)."""

    data: bytes | None
    conflicts: int = 0


def is_text(rel: str) -> bool:
    return rel.endswith(TEXT_SUFFIXES)


def merge(rel: str, base: bytes, ours: bytes, theirs: bytes) -> Merged:
    """Merge `ours` (the live file, edited by hand) and `theirs` (newly generated), both
    changed from `base` (what was generated last time)."""
    if theirs == base or ours == theirs:
        return Merged(ours)
    if ours == base:
        return Merged(theirs)
    if not is_text(rel):
        return Merged(None, 1)
    try:
        texts = [b.decode("utf-8") for b in (base, ours, theirs)]
    except UnicodeDecodeError:
        return Merged(None, 1)
    if shutil.which("git"):
        return _git_merge(base, ours, theirs)
    return _merge3(texts)


def _git_merge(base: bytes, ours: bytes, theirs: bytes) -> Merged:
    with tempfile.TemporaryDirectory(prefix="merlin-merge-") as tmp:
        names = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            (Path(tmp) / name).write_bytes(data)
            names.append(str(Path(tmp) / name))
        done = subprocess.run(
            ["git", "merge-file", "-p", "--quiet", *names], capture_output=True, check=False
        )
    if done.returncode < 0 or done.returncode > 127:
        raise RuntimeError(f"git merge-file failed: {done.stderr.decode(errors='replace')}")
    if done.returncode:
        return Merged(None, done.returncode)
    return Merged(done.stdout)


def _merge3(texts: list[str]) -> Merged:
    lines = [t.splitlines(keepends=True) for t in texts]
    m = merge3.Merge3(lines[0], lines[1], lines[2])
    out: list[str] = []
    conflicts = 0
    for region in m.merge_regions():
        what = region[0]
        if what == "unchanged":
            out.extend(lines[0][region[1] : region[2]])
        elif what in ("a", "same"):
            out.extend(lines[1][region[1] : region[2]])
        elif what == "b":
            out.extend(lines[2][region[1] : region[2]])
        else:
            conflicts += 1
    if conflicts:
        return Merged(None, conflicts)
    return Merged("".join(out).encode("utf-8"))
