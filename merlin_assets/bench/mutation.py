"""Mutation score of the code whose bugs publish something false or break a limit.

`merlin bench --scenario mutation` (or `python -m merlin_assets.bench.mutation`) runs mutmut 3
over the modules listed in pyproject.toml's `[tool.mutmut]` (the content gate, the gate's
redo/fall-back decision, the budgets and breaker, config loading and its limits), then prints,
per module, how many mutants the tests killed and which survived. It runs outside the normal
test command because it is long: each mutant re-runs the tests that reach its function.

mutmut keeps its verdicts in `mutants/<path>.meta` (JSON), keyed by mutant name, and reuses
them on the next run for functions whose text did not change; this module reads those files,
so `--report-only` prints the last run's table without running anything.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mutmut.stats import status_by_exit_code

REPO = Path(__file__).resolve().parents[2]
TARGET = 0.85
# Module groups a run can be limited to (`--only budgets`), as mutmut name patterns.
GROUPS: dict[str, tuple[str, ...]] = {
    "budgets": (
        "merlin_assets.gateway.limits.*",
        "merlin_assets.gateway.redis_budgets.*",
        "merlin_assets.gateway.redis_spending.*",
        "merlin_assets.gateway.breaker.*",
    ),
    "config": ("merlin_assets.config.*", "merlin_assets.types.field_limits.*"),
    "gate": ("merlin_assets.engine.gate.*", "merlin_assets.engine.calls.*"),
    "content_gate": ("merlin_assets.content_gate.*",),
}


def _gate_modules(*names: str) -> tuple[str, ...]:
    return tuple(
        "merlin_assets.content_gate.x_*" if n == "__init__" else f"merlin_assets.content_gate.{n}.*"
        for n in names
    )


# The content gate is 4,800 mutants, hours on a shared 2-core machine: these batches let it be
# scored a part at a time (the shared pieces, the typed claims, the sense checks, the audit).
GROUPS |= {
    "content_gate_core": _gate_modules("__init__", "findings", "text", "numbers", "verdict"),
    "content_gate_claims": _gate_modules(
        "claims", "contact", "places", "days", "figures", "awards", "facts", "wordlists"
    ),
    "content_gate_sense": _gate_modules(
        "degenerate",
        "style",
        "relevance",
        "language",
        "lexicon",
        "nonsense",
        "vocabulary",
        "trades",
        "incongruity",
    ),
    "content_gate_audit": _gate_modules("audit"),
}
# Verdicts that count as caught: a test failed, or the mutant hung past mutmut's timeout
# (an endless loop is a failure the suite would show).
CAUGHT = {"killed", "timeout", "caught by type check"}


@dataclass
class ModuleScore:
    module: str
    counts: Counter[str] = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)  # "no tests": none reached the function

    @property
    def checked(self) -> int:
        return sum(n for s, n in self.counts.items() if s not in ("not checked", "skipped"))

    @property
    def killed(self) -> int:
        return sum(self.counts[s] for s in CAUGHT)

    @property
    def score(self) -> float | None:
        return self.killed / self.checked if self.checked else None


def _module_name(meta: Path, root: Path) -> str:
    rel = meta.relative_to(root / "mutants").with_suffix("").with_suffix("")
    return ".".join(rel.parts)


def scores(root: Path = REPO, patterns: tuple[str, ...] = ()) -> list[ModuleScore]:
    """Per module, the verdict counts and surviving mutants of mutmut's last run."""
    import fnmatch

    rows = []
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        verdicts = json.loads(meta.read_text())["exit_code_by_key"]
        if patterns:
            verdicts = {
                k: v for k, v in verdicts.items() if any(fnmatch.fnmatch(k, p) for p in patterns)
            }
        if not verdicts:
            continue
        row = ModuleScore(_module_name(meta, root))
        for name, code in verdicts.items():
            status = status_by_exit_code[code]
            row.counts[status] += 1
            if status == "survived":
                row.survivors.append(name)
            elif status == "no tests":
                row.untested.append(name)
        rows.append(row)
    return rows


def table(rows: list[ModuleScore]) -> str:
    head = (
        f"{'module':42} {'mutants':>7} {'not run':>7} {'killed':>6} {'survived':>8} "
        f"{'no tests':>8} {'timeout':>7} {'other':>5} {'score':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        other = r.checked - r.killed - r.counts["survived"] - r.counts["no tests"]
        score = "-" if r.score is None else f"{r.score:.2f}"
        flag = "" if r.score is None or r.score >= TARGET else "  < target"
        lines.append(
            f"{r.module:42} {sum(r.counts.values()):>7} {r.counts['not checked']:>7} "
            f"{r.killed:>6} {r.counts['survived']:>8} {r.counts['no tests']:>8} "
            f"{r.counts['timeout']:>7} {other:>5} {score:>6}{flag}"
        )
    return "\n".join(lines)


def run_mutmut(patterns: tuple[str, ...], max_children: int, root: Path = REPO) -> int:
    """`mutmut run` from the repository root; its progress goes to this process's stderr."""
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    return subprocess.run([*cmd, *patterns], cwd=root, stdout=sys.stderr).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="merlin bench --scenario mutation")
    parser.add_argument("--only", action="append", choices=sorted(GROUPS), default=[])
    # Two children: the machines this runs on have two cores.
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--report-only", action="store_true", help="Print the last run's table.")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="Re-run only the mutants the last run left alive or untested (after adding tests).",
    )
    args = parser.parse_args(argv)
    patterns = tuple(p for g in args.only for p in GROUPS[g])
    started = time.monotonic()
    if not args.report_only:
        chosen = patterns
        if args.survivors:
            rows = scores(REPO, patterns)
            chosen = tuple(name for r in rows for name in (*r.survivors, *r.untested))
            if not chosen:
                return 0 if all(r.score is None or r.score >= TARGET for r in scores()) else 1
        code = run_mutmut(chosen, args.max_children)
        if code != 0:
            sys.stderr.write(f"mutmut run exited {code}\n")
            return code
    rows = scores(REPO, patterns)
    lines = [table(rows)]
    if not args.report_only:
        lines.append(f"\nrun took {time.monotonic() - started:.0f} s")
    for r in rows:
        if r.survivors:
            lines.append(f"\nsurviving in {r.module} (`mutmut show NAME` prints the change):")
            lines.extend(f"  {name}" for name in r.survivors)
    print("\n".join(lines))  # noqa: T201 - the bench's output
    below = [r.module for r in rows if r.score is not None and r.score < TARGET]
    return 1 if below else 0


if __name__ == "__main__":
    raise SystemExit(main())
