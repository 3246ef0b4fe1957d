"""One recorded run as a terminal table or a JSON object (`merlin timings`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from merlin_assets.timings.rows import GROUP_ORDER

JSON_KEYS = (
    "run_id",
    "project",
    "status",
    "source",
    "provider",
    "concurrency",
    "config_hash",
    "started_at",
    "ended_at",
    "run_s",
    "wall_s",
    "sum_s",
    "speedup",
    "critical_path_s",
    "efficiency",
    "items",
    "images",
    "pages",
    "llm_calls",
    "cache_hits",
    "tokens",
    "tokens_in",
    "tokens_out",
    "cost_usd",
    "limiter_wait_s",
    "fallbacks",
    "gate_flagged",
    "regenerated",
    "field_fallbacks",
    "removed_sentences",
    "degraded",
    "checks_passed",
    "checks_failed",
    "error",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _group_key(row: Mapping[str, Any]) -> int:
    group = row["phase_group"]
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def as_json(summary: Mapping[str, Any], groups: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    data = {key: _plain(summary.get(key)) for key in JSON_KEYS}
    data["critical_path"] = [p for p in (summary.get("critical_path") or "").split(" > ") if p]
    data["groups"] = [{k: _plain(v) for k, v in g.items()} for g in sorted(groups, key=_group_key)]
    data["endpoints"] = [dict(e) for e in summary.get("endpoints") or []]
    return data


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_run(
    console: Console,
    summary: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    groups: Sequence[Mapping[str, Any]],
) -> None:
    s = summary
    started = s["started_at"].strftime("%Y-%m-%d %H:%M:%S UTC") if s["started_at"] else "-"
    setup = ", ".join(
        part
        for part in (
            s["source"],
            s["provider"],
            f"concurrency {s['concurrency']}" if s["concurrency"] else "",
        )
        if part
    )
    console.print(
        f"[bold]run {s['run_id']}[/]  {escape(s['project'])}  [bold]{s['status']}[/]",
        highlight=False,
    )
    console.print(
        f"{setup}; started {started}, {_s(s['run_s'])}s from start to end", highlight=False
    )
    speedup = f"{s['speedup']:.1f}x" if s["speedup"] is not None else "-"
    efficiency = f"{s['efficiency']:.0%}" if s["efficiency"] is not None else "-"
    figures = Table.grid(padding=(0, 2))
    figures.add_column(style="bold")
    figures.add_column(justify="right")
    figures.add_column()
    figures.add_row("wall", f"{_s(s['wall_s'])}s", "first item start to last item end")
    figures.add_row("sum", f"{_s(s['sum_s'])}s", f"item durations summed ({s['items']} items)")
    figures.add_row("speedup", speedup, "sum / wall")
    figures.add_row("critical path", f"{_s(s['critical_path_s'])}s", "longest dependency chain")
    figures.add_row("efficiency", efficiency, "critical path / wall (100% = nothing to gain)")
    figures.add_row(
        "LLM calls",
        str(s["llm_calls"]),
        f"{s['cache_hits']} cache hits, {s['fallbacks']} fallbacks, "
        f"limiter wait {_s(s['limiter_wait_s'])}s",
    )
    figures.add_row("tokens", str(s["tokens"]), f"{s['tokens_in']} in, {s['tokens_out']} out")
    figures.add_row("cost", f"${s['cost_usd']:.4f}", "")
    figures.add_row(
        "content gate",
        f"{s.get('gate_flagged') or 0} flagged",
        f"{s.get('regenerated') or 0} regenerated, "
        f"{s.get('removed_sentences') or 0} sentences removed, "
        f"{s.get('field_fallbacks') or 0} fields written by the rules",
    )
    figures.add_row("checks", f"{s['checks_passed']} passed", f"{s['checks_failed']} failed")
    if s.get("degraded"):
        figures.add_row(
            "degraded", f"{s['degraded']} polish nodes", "the site was published without them"
        )
    console.print(figures)
    if s["error"]:
        console.print(f"[red]error:[/] {escape(s['error'])}", highlight=False)
    console.print(
        "critical path: " + escape(s["critical_path"] or "-"), highlight=False, soft_wrap=True
    )

    table = Table(title="by phase group", show_edge=False, title_justify="left")
    for name, justify in (
        ("group", "left"),
        ("items", "right"),
        ("from s", "right"),
        ("to s", "right"),
        ("sum s", "right"),
        ("calls", "right"),
        ("wait s", "right"),
        ("tokens", "right"),
        ("cost $", "right"),
    ):
        table.add_column(name, justify=justify)
    for g in sorted(groups, key=_group_key):
        table.add_row(
            g["phase_group"],
            str(g["items"]),
            _s(g["first_start_s"]),
            _s(g["last_end_s"]),
            _s(g["sum_s"]),
            str(g["llm_calls"]),
            _s(g["limiter_wait_s"]),
            str(g["tokens"]),
            f"{g['cost_usd']:.4f}",
        )
    console.print(table)
    _print_endpoints(console, summary.get("endpoints") or [])

    slow = Table(title="slowest items", show_edge=False, title_justify="left")
    for name, justify in (
        ("item", "left"),
        ("depth", "right"),
        ("start s", "right"),
        ("seconds", "right"),
        ("wait s", "right"),
        ("status", "left"),
    ):
        slow.add_column(name, justify=justify)
    timed = [i for i in items if i["kind"] != "check"]
    for i in sorted(timed, key=lambda i: i["duration_s"], reverse=True)[:8]:
        name = escape(i["item"]) + (" *" if i["on_critical_path"] else "")
        slow.add_row(
            name,
            str(i["depth"]),
            _s(i["start_offset_s"]),
            _s(i["duration_s"]),
            _s(i["limiter_wait_s"]),
            i["status"],
        )
    console.print(slow)
    console.print("* on the critical path", style="dim")


def _print_endpoints(console: Console, endpoints: Sequence[Mapping[str, Any]]) -> None:
    """Calls and cost per service (an endpoint pool's endpoints; `openai` with one service)."""
    if not endpoints:
        return
    table = Table(title="by endpoint", show_edge=False, title_justify="left")
    for name, justify in (
        ("endpoint", "left"),
        ("calls", "right"),
        ("fallbacks", "right"),
        ("cost $", "right"),
    ):
        table.add_column(name, justify=justify)
    for e in endpoints:
        table.add_row(
            escape(str(e.get("endpoint") or "-")),
            str(e.get("calls") or 0),
            str(e.get("fallbacks") or 0),
            f"{e.get('cost_usd') or 0:.4f}",
        )
    console.print(table)
