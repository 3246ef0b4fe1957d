"""Build the five example sites offline at two commits and say which published files differ.

A refactor of how pages are put together must leave every offline page, stylesheet and image
byte-identical; a new page may add only itself and its links. Run from the repository:

    python -m merlin_assets_tests.site_hashes main HEAD --work /tmp/site-hashes

Each commit is exported with `git archive` (the working tree is not read), and the examples are
generated with `merlin generate --rules` from a scratch folder of their own, so the two builds
share no `.merlin/` state. Each is hashed and the hashes are kept as `<work>/<commit>.json`; a
second call with the same commit reads them instead of building again. For the text files that
changed, it then prints each line added (+) or removed (-), and how often.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = "examples/projects"


def _commit(rev: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short=12", rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _export(commit: str, into: Path) -> Path:
    tree = into / "tree"
    tree.mkdir(parents=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, stdout=archive)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(tree, filter="data")
    return tree


def _hash_sites(sites: Path) -> dict[str, str]:
    """Every published file of every site, by `<site>/<path>`; release bookkeeping left out."""
    hashes = {}
    for path in sorted(sites.rglob("*")):
        rel = path.relative_to(sites)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            hashes[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def build(rev: str, work: Path) -> dict[str, str]:
    """The published files of the five examples as built offline by commit `rev`."""
    commit = _commit(rev)
    record = work / f"{commit}.json"
    if record.exists():
        return json.loads(record.read_text())
    into = work / commit
    tree = _export(commit, into)
    env = {**os.environ, "PYTHONPATH": str(tree), "MERLIN_LLM": "offline"}
    for config in sorted((tree / EXAMPLES).iterdir()):
        scratch = into / "run" / config.stem
        scratch.mkdir(parents=True)
        command = ["generate", str(config), "--out", str(into / "sites"), "--rules"]
        done = subprocess.run(
            [sys.executable, "-m", "merlin_assets.cli", *command],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode not in (0, 3):
            raise SystemExit(f"{commit}: {config.name} failed:\n{done.stdout}\n{done.stderr}")
    hashes = _hash_sites(into / "sites")
    record.write_text(json.dumps(hashes, indent=1))
    return hashes


def compare(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """One line per file added, removed or changed."""
    lines = [f"added    {p}" for p in sorted(after.keys() - before.keys())]
    lines += [f"removed  {p}" for p in sorted(before.keys() - after.keys())]
    lines += [
        f"changed  {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]
    ]
    return lines


def changed_lines(work: Path, before: str, after: str, paths: list[str]) -> Counter[str]:
    """Every line added (+) or removed (-) in the changed text files, and how often."""
    lines: Counter[str] = Counter()
    for path in paths:
        old, new = (work / _commit(rev) / "sites" / path for rev in (before, after))
        if path.endswith((".html", ".xml", ".css", ".txt")) and old.is_file() and new.is_file():
            diff = difflib.unified_diff(
                old.read_text().splitlines(), new.read_text().splitlines(), n=0, lineterm=""
            )
            lines.update(d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---")))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="a commit, e.g. main")
    parser.add_argument("after", help="a commit, e.g. HEAD")
    parser.add_argument("--work", type=Path, default=Path("/tmp/site-hashes"))
    args = parser.parse_args()
    before, after = build(args.before, args.work), build(args.after, args.work)
    lines = compare(before, after)
    print("\n".join(lines) if lines else "no differences")
    changed = [line.split(maxsplit=1)[1] for line in lines if line.startswith("changed")]
    for text, count in sorted(changed_lines(args.work, args.before, args.after, changed).items()):
        print(f"{count:4d} x {text.strip()}")
    print(f"{len(before)} files before, {len(after)} after, {len(lines)} differ")


if __name__ == "__main__":
    main()
