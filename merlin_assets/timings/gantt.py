"""A run as a timeline: one bar per item, grouped by phase group, limiter waits shaded."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from merlin_assets.timings.rows import GROUP_ORDER

COLORS = {
    "project": "#6b7280",
    "design": "#7c3aed",
    "planning": "#2563eb",
    "content": "#0891b2",
    "media": "#d97706",
    "pages": "#059669",
    "site": "#be185d",
    "other": "#6b7280",
}
WAIT_COLOR = "#dc2626"
BLOCKED_COLOR = "#d1d5db"


def _label(item: Mapping[str, Any]) -> str:
    if item["partition"]:
        kind = {"site_images": "image", "site_pages": "page"}.get(item["asset"], item["asset"])
        return f"{kind} {item['partition']}"
    return str(item["item"])


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f}ms" if value < 0.1 else f"{value:.2f}s"


def _offset(value: Any, origin: datetime) -> float:
    return (value - origin).total_seconds()


def draw(
    items: Sequence[Mapping[str, Any]],
    calls: Sequence[Mapping[str, Any]] = (),
    *,
    title: str = "",
    summary: Mapping[str, Any] | None = None,
) -> bytes:
    """The timeline as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory

    bars = [i for i in items if i["kind"] != "check" and i["started_at"] and i["finished_at"]]
    order = {g: n for n, g in enumerate(GROUP_ORDER)}
    bars.sort(key=lambda i: (order.get(i["phase_group"], 99), i["started_at"], i["item"]))
    if not bars:
        raise ValueError("the run has no timed items to draw")
    origin = min(i["started_at"] for i in bars)
    end = max(_offset(i["finished_at"], origin) for i in bars)
    waits: dict[str, list[tuple[float, float]]] = {}
    call_ends: dict[str, float] = {}
    for call in calls:
        if call.get("finished_at"):
            done = _offset(call["finished_at"], origin)
            call_ends[call["item"]] = max(done, call_ends.get(call["item"], 0.0))
        if call.get("wait_s") and call.get("started_at"):
            start = _offset(call["started_at"], origin)
            waits.setdefault(call["item"], []).append((start, float(call["wait_s"])))

    height = max(3.0, 0.26 * len(bars) + 1.9)
    fig, ax = plt.subplots(figsize=(11, height), dpi=110)
    # Items of a few milliseconds still show as a sliver.
    least = end * 0.004
    for row, item in enumerate(bars):
        y = len(bars) - 1 - row
        start = _offset(item["started_at"], origin)
        span = max(_offset(item["finished_at"], origin) - start, least)
        color = COLORS.get(item["phase_group"], COLORS["other"])
        ax.barh(y, span, left=start, height=0.7, color=color, alpha=0.9, linewidth=0)
        if item["blocked_s"]:
            # The page waited for its images; the copy call came before, rendering after.
            copy_end = call_ends.get(item["item"], start)
            ax.barh(y, float(item["blocked_s"]), left=copy_end, height=0.7, color=BLOCKED_COLOR)
        for wait_start, wait in waits.get(item["item"], []):
            ax.barh(
                y, wait, left=wait_start, height=0.7, color=WAIT_COLOR, hatch="////", alpha=0.55
            )
        if item["on_critical_path"]:
            ax.barh(y, span, left=start, height=0.7, fill=False, edgecolor="black", linewidth=1.2)
        note = " " + _seconds(float(item["duration_s"]))
        if item["fallback"]:
            note += " fallback"
        ax.text(start + span, y, note, va="center", fontsize=7, color="#374151")

    ax.set_yticks(range(len(bars)))
    ax.set_yticklabels([_label(i) for i in reversed(bars)], fontsize=8)
    for tick, item in zip(ax.get_yticklabels(), reversed(bars), strict=True):
        tick.set_color(COLORS.get(item["phase_group"], COLORS["other"]))
        if item["on_critical_path"]:
            tick.set_fontweight("bold")
    # Group separators and names in the right margin, so phases read as blocks.
    margin = blended_transform_factory(ax.transAxes, ax.transData)
    previous = None
    for row, item in enumerate(bars):
        group = item["phase_group"]
        if group != previous:
            y = len(bars) - 1 - row + 0.5
            if previous is not None:
                ax.axhline(y, color="#9ca3af", linewidth=0.6)
            ax.text(
                1.01,
                y - 0.5,
                group,
                transform=margin,
                va="center",
                fontsize=8,
                fontweight="bold",
                color=COLORS.get(group, COLORS["other"]),
                clip_on=False,
            )
            previous = group
    ax.set_xlim(0, end * 1.1 if end else 1)
    ax.set_ylim(-0.6, len(bars) - 0.4)
    ax.set_xlabel("seconds since the first item started")
    ax.grid(axis="x", color="#e5e7eb", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    heading = title
    if summary:
        heading += (
            f"\nwall {summary['wall_s']:.2f}s · sum {summary['sum_s']:.2f}s · "
            f"speedup {summary['speedup'] or 0:.1f}x · critical path "
            f"{summary['critical_path_s']:.2f}s · efficiency {summary['efficiency'] or 0:.0%}"
        )
    ax.set_title(heading, fontsize=10, loc="left", pad=22)
    ax.legend(
        handles=[
            Patch(facecolor="white", edgecolor="black", label="critical path (bold label)"),
            Patch(facecolor=WAIT_COLOR, alpha=0.55, hatch="////", label="waiting for the limiter"),
            Patch(facecolor=BLOCKED_COLOR, label="page waiting for its images"),
        ],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=3,
        fontsize=7,
        frameon=False,
    )
    fig.tight_layout()
    fig.subplots_adjust(right=0.91)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def markdown(png: bytes, alt: str = "run timeline") -> str:
    """The picture inline, as the Dagster UI shows markdown metadata."""
    return f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})"
