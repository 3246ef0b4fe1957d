"""The benchmark's table, its JSON, and the issue's targets checked against the rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.table import Table

from merlin_assets.bench.runner import Row

# (field, header, format): every field of a row, in the table's order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("scenario", "scenario", "{}"),
    ("mode", "mode", "{}"),
    ("process_s", "process s", "{:.1f}"),
    ("run_s", "run s", "{:.2f}"),
    ("wall_s", "wall s", "{:.2f}"),
    ("sum_s", "sum s", "{:.2f}"),
    ("critical_path_s", "crit. path s", "{:.2f}"),
    ("bound_s", "rate bound s", "{:.1f}"),
    ("speedup", "speed-up", "{:.2f}x"),
    ("parallelism", "sum/wall", "{:.2f}"),
    ("efficiency", "efficiency", "{:.3f}"),
    ("calls", "calls", "{}"),
    ("cache_hits", "cache hits", "{}"),
    ("rate_limited", "429s", "{}"),
    ("peak_mb", "peak MB", "{:.0f}"),
    ("peak_run_mb", "peak/run MB", "{:.0f}"),
    ("status", "status", "{}"),
)
# Shown only when a row has them (the failover scenario), before the status.
FAILOVER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("sites", "sites", "{}"),
    ("fallbacks", "fallbacks", "{}"),
    ("extra_s", "extra s", "{:+.1f}"),
    ("by_endpoint", "calls by endpoint", "{}"),
)


# Shown only when a row has them (the fleet scenario; `many` gets CPU per site too).
FLEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("cpu_s_per_site", "CPU s/site", "{:.1f}"),
    ("peak_worker_mb", "peak/worker PSS MB", "{:.0f}"),
    ("peak_worker_rss_mb", "peak/worker RSS MB", "{:.0f}"),
    ("per_worker", "runs per worker", "{}"),
)


def columns(rows: list[Row]) -> tuple[tuple[str, str, str], ...]:
    """The table's columns for these rows: the failover ones only when a row has them."""
    extra = FLEET_COLUMNS if any(r.cpu_s_per_site is not None for r in rows) else ()
    if any(r.sites is not None for r in rows):
        extra += FAILOVER_COLUMNS
    return COLUMNS[:-1] + extra + COLUMNS[-1:]


@dataclass
class Verdict:
    scenario: str
    target: str
    measured: str
    met: bool | None  # None: not measured


def _cell(value: Any, fmt: str) -> str:
    return "-" if value is None else fmt.format(value)


def table(rows: list[Row], title: str = "merlin bench") -> Table:
    out = Table(title=title, show_edge=False, pad_edge=False)
    shown = columns(rows)
    for _, header, _ in shown:
        left = header in ("scenario", "mode", "calls by endpoint")
        out.add_column(header, justify="left" if left else "right")
    for row in rows:
        data = row.as_dict()
        out.add_row(*(_cell(data[name], fmt) for name, _, fmt in shown))
    return out


def markdown(rows: list[Row]) -> str:
    """The same table as GitHub markdown, for docs/benchmarks.md."""
    shown = columns(rows)
    lines = [
        "| " + " | ".join(h for _, h, _ in shown) + " |",
        "|" + "|".join("---" for _ in shown) + "|",
    ]
    for row in rows:
        data = row.as_dict()
        lines.append("| " + " | ".join(_cell(data[n], f) for n, _, f in shown) + " |")
    return "\n".join(lines)


def _row(rows: list[Row], scenario: str, mode: str | None = None) -> Row | None:
    return next(
        (r for r in rows if r.scenario == scenario and (mode is None or r.mode == mode)), None
    )


def _rate_limit_targets(out: list[Verdict], row: Row | None, scenario: str) -> None:
    """The targets every batch under the keys' limits has: near the bound, no 429 of its own."""
    _check(
        out,
        row,
        scenario,
        "<= 1.2x the rate-limit bound",
        lambda r: (
            f"{r.wall_s:.1f} s = {r.wall_s / r.bound_s:.2f}x bound {r.bound_s:.1f} s",
            r.wall_s <= 1.2 * r.bound_s,
        ),
    )
    _check(
        out,
        row,
        scenario,
        "zero self-inflicted 429s",
        lambda r: (str(r.rate_limited), r.rate_limited == 0),
    )


def _check(
    verdicts: list[Verdict],
    row: Row | None,
    scenario: str,
    target: str,
    measure: Callable[[Row], tuple[str, bool]],
) -> None:
    if row is None:
        return
    if row.status.startswith("failed"):
        verdicts.append(Verdict(scenario, target, row.status, None))
        return
    try:
        measured, met = measure(row)
    except TypeError:  # a figure is missing: the scenario failed
        verdicts.append(Verdict(scenario, target, row.status, None))
        return
    verdicts.append(Verdict(scenario, target, measured, met))


def verdicts(rows: list[Row]) -> list[Verdict]:
    """The issue's targets, each with what was measured and whether it was met."""
    out: list[Verdict] = []
    seed = _row(rows, "seed", "parallel")
    _check(
        out,
        seed,
        "seed",
        "efficiency >= 0.90",
        lambda r: (f"{r.efficiency:.3f}", r.efficiency >= 0.90),
    )
    _check(
        out,
        seed,
        "seed",
        "speed-up over sequential >= 3.5x",
        lambda r: (f"{r.speedup:.2f}x", r.speedup >= 3.5),
    )
    _check(
        out,
        _row(rows, "original"),
        "original",
        "<= 25 s per site from run start",
        lambda r: (f"{r.run_s:.1f} s (critical path {r.critical_path_s:.1f} s)", r.run_s <= 25),
    )
    _check(
        out,
        _row(rows, "wide"),
        "wide",
        "efficiency >= 0.85",
        lambda r: (f"{r.efficiency:.3f}", r.efficiency >= 0.85),
    )
    many = _row(rows, "many")
    _rate_limit_targets(out, many, "many")
    _check(
        out,
        many,
        "many",
        "peak <= 3 GB, all processes",
        lambda r: (f"{r.peak_mb:.0f} MB", r.peak_mb <= 3 * 1024),
    )
    _check(
        out,
        many,
        "many",
        "peak <= 500 MB, one project's run",
        lambda r: (f"{r.peak_run_mb:.0f} MB", r.peak_run_mb <= 500),
    )
    cached = _row(rows, "cached")
    _check(out, cached, "cached", "0 calls", lambda r: (str(r.calls), r.calls == 0))
    _check(
        out, cached, "cached", "<= 5 s for the run", lambda r: (f"{r.run_s:.2f} s", r.run_s <= 5)
    )
    _check(
        out,
        _row(rows, "offline"),
        "offline",
        "<= 15 s, whole process",
        lambda r: (f"{r.process_s:.1f} s", r.process_s <= 15),
    )
    fleet = _row(rows, "fleet")
    _rate_limit_targets(out, fleet, "fleet")
    _check(
        out,
        fleet,
        "fleet",
        "peak <= 2 GB per worker",
        lambda r: (
            f"{r.peak_worker_mb:.0f} MB PSS, {r.peak_worker_rss_mb:.0f} MB summed RSS "
            f"({r.per_worker})",
            r.peak_worker_mb <= 2048,
        ),
    )
    outage = _row(rows, "failover", "outage")
    _check(
        out,
        outage,
        "failover",
        "every site complete, no rule fallback",
        lambda r: (
            f"{r.sites}/{r.runs} sites, {r.fallbacks} fallbacks",
            r.sites == r.runs and r.fallbacks == 0,
        ),
    )
    if outage is not None and outage.extra_s is not None:  # measured, no target set
        base = outage.wall_s - outage.extra_s
        out.append(
            Verdict(
                "failover",
                "wall time the outage added",
                f"{outage.extra_s:+.1f} s on {base:.1f} s",
                None,
            )
        )
    return out


def verdict_table(found: list[Verdict]) -> Table:
    out = Table(title="targets", show_edge=False, pad_edge=False)
    for header in ("scenario", "target", "measured", "met"):
        out.add_column(header)
    for v in found:
        mark = "-" if v.met is None else "yes" if v.met else "NO"
        out.add_row(v.scenario, v.target, v.measured, mark)
    return out


def as_json(rows: list[Row], machine: dict[str, Any], quick: bool) -> dict[str, Any]:
    return {
        "quick": quick,
        "machine": machine,
        "rows": [r.as_dict() for r in rows],
        "targets": [v.__dict__ for v in verdicts(rows)] if not quick else [],
    }
