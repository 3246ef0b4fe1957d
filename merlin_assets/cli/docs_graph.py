"""The asset graph as a picture, drawn from the phase modules' declarations (`graph()`).

Columns are depths (rounds of dependent work), colours are groups, solid arrows are `needs`,
dashed arrows are `waits` (awaited while the node runs), and a stacked box is a node made once
per item of a plan. `docs/asset-graph.png` is this picture; redraw it with

    merlin graph --out docs/asset-graph.png
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from merlin_assets.phases import Graph, graph
from merlin_assets.phases.base import CONFIG_NODE
from merlin_assets.timings.gantt import COLORS
from merlin_assets.timings.rows import GROUP_ORDER

BOX_W, BOX_H = 2.55, 0.62
COL_W, ROW_H = 3.25, 1.25
# What an edge from a partitioned node carries, by the need's scope.
SCOPE_LABELS = {"all": "every {kind}", "own": "its {kind}s"}
# Groups the Gantt has no colour for yet get one of these, in name order.
SPARE_COLORS = ("#65a30d", "#0f766e", "#9333ea", "#ea580c", "#4f46e5", "#a16207")


@dataclass(frozen=True)
class Edge:
    upstream: str
    node: str
    waits: bool
    scope: str


@dataclass(frozen=True)
class Picture:
    """The PNG and what it shows, so a test can compare the picture with the code."""

    png: bytes
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]


# The PNG text chunk that lists what the picture shows, so a test can tell a stale picture.
CONTENTS_KEY = "merlin-asset-graph"


def contents(nodes: tuple[str, ...], edges: tuple[Edge, ...]) -> str:
    """What a picture shows, as the JSON stored in its PNG."""
    rows = [[e.upstream, e.node, "waits" if e.waits else "needs", e.scope] for e in edges]
    return json.dumps({"nodes": list(nodes), "edges": rows})


def _edges(g: Graph) -> list[Edge]:
    edges = []
    for name, node in g.nodes.items():
        waited = {n.name for n in node.waits}
        for need in (*node.needs, *node.waits):
            if need.name == name or any(e.upstream == need.name and e.node == name for e in edges):
                continue
            edges.append(Edge(need.name, name, need.name in waited, need.scope))
    return edges


def _positions(g: Graph) -> dict[str, tuple[float, float]]:
    order = {grp: i for i, grp in enumerate(GROUP_ORDER)}
    columns: dict[int, list[str]] = {}
    for name in g.nodes:
        columns.setdefault(g.depth(name), []).append(name)
    tallest = max(len(c) for c in columns.values())
    pos = {}
    for depth, names in columns.items():
        names.sort(key=lambda n: (order.get(g.nodes[n].group, 99), n))
        top = (tallest - 1) * ROW_H / 2 + (len(names) - 1) * ROW_H / 2
        for row, name in enumerate(names):
            pos[name] = (depth * COL_W, top - row * ROW_H - (tallest - 1) * ROW_H / 2)
    return pos


def _colors(g: Graph) -> dict[str, str]:
    order = {grp: i for i, grp in enumerate(GROUP_ORDER)}
    groups = sorted({n.group for n in g.nodes.values()}, key=lambda grp: (order.get(grp, 99), grp))
    new = [grp for grp in groups if grp not in COLORS]
    spare = {grp: SPARE_COLORS[i % len(SPARE_COLORS)] for i, grp in enumerate(new)}
    return {grp: COLORS.get(grp) or spare[grp] for grp in groups}


def _per(node) -> str | None:
    return f"per {node.partitioning.dimension}" if node.partitioning else None


def draw(g: Graph | None = None) -> Picture:
    """The picture of `g` (the declared graph by default) as PNG bytes, with what it shows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    g = g or graph()
    pos = _positions(g)
    colors = _colors(g)
    edges = _edges(g)
    depth_max = max(g.depths.values())
    ys = [y for _, y in pos.values()]
    fig, ax = plt.subplots(figsize=(2.15 * (depth_max + 1) + 1, 1.05 * (max(ys) - min(ys)) + 2))
    ax.set_xlim(-BOX_W / 2 - 0.3, depth_max * COL_W + BOX_W / 2 + 0.3)
    ax.set_ylim(min(ys) - 1.0, max(ys) + 0.9)
    ax.axis("off")

    for depth in range(depth_max + 1):
        ax.text(depth * COL_W, max(ys) + 0.6, f"depth {depth}", ha="center", color="#6b7280")

    for edge in edges:
        (x0, y0), (x1, y1) = pos[edge.upstream], pos[edge.node]
        config = edge.upstream == CONFIG_NODE
        span = round((x1 - x0) / COL_W)
        if span == 0:
            # Within a column (a page waits on its images): straight down or up, box to box.
            down = 1 if y1 < y0 else -1
            start, end = (x0, y0 - down * BOX_H / 2), (x1, y1 + down * BOX_H / 2)
        else:
            start, end = (x0 + BOX_W / 2, y0), (x1 - BOX_W / 2, y1)
        # Arrows that skip columns bend, so they do not run through the boxes between.
        rad = 0.0 if span <= 1 else (0.25 if y1 >= y0 else -0.25)
        arrow = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=9 if config else 12,
            connectionstyle=f"arc3,rad={rad}",
            linestyle=(0, (4, 3)) if edge.waits else "-",
            linewidth=0.6 if config else 1.2,
            color="#c7cbd1" if config else "#374151",
            shrinkA=1,
            shrinkB=1,
            zorder=1 if config else 2,
        )
        ax.add_patch(arrow)
        upstream = g.nodes[edge.upstream]
        if upstream.partitioning and edge.scope in SCOPE_LABELS:
            label = SCOPE_LABELS[edge.scope].format(kind=upstream.partitioning.dimension)
            if span == 0:
                where, align = ((start[0] + 0.1, (start[1] + end[1]) / 2), ("left", "center"))
            else:
                above = y0 >= y1
                where = (end[0] - 0.12, end[1] + (0.1 if above else -0.1))
                align = ("right", "bottom" if above else "top")
            ax.text(
                *where,
                label,
                ha=align[0],
                va=align[1],
                fontsize=8,
                style="italic",
                color="#111827",
                zorder=4,
            )

    drawn = []
    for name, node in g.nodes.items():
        x, y = pos[name]
        color = colors[node.group]
        per = _per(node)
        # A node made per item is drawn as a stack of cards.
        for back in ((0.14, 0.12), (0.07, 0.06)) if per else ():
            ax.add_patch(
                FancyBboxPatch(
                    (x - BOX_W / 2 + back[0], y - BOX_H / 2 + back[1]),
                    BOX_W,
                    BOX_H,
                    boxstyle="round,pad=0.02,rounding_size=0.1",
                    facecolor=color,
                    edgecolor="white",
                    alpha=0.45,
                    zorder=3,
                )
            )
        ax.add_patch(
            FancyBboxPatch(
                (x - BOX_W / 2, y - BOX_H / 2),
                BOX_W,
                BOX_H,
                boxstyle="round,pad=0.02,rounding_size=0.1",
                facecolor=color,
                edgecolor="white",
                zorder=3,
            )
        )
        ax.text(
            x,
            y + (0.09 if per else 0),
            name,
            ha="center",
            va="center",
            color="white",
            fontsize=10 if len(name) < 16 else 8.5,
            fontweight="bold",
            zorder=5,
        )
        if per:
            ax.text(x, y - 0.17, per, ha="center", va="center", color="white", fontsize=8, zorder=5)
        drawn.append(name)

    handles = [Patch(color=color, label=grp) for grp, color in colors.items()]
    handles += [
        Line2D([], [], color="#374151", label="needs (before it starts)"),
        Line2D([], [], color="#374151", linestyle=(0, (4, 3)), label="waits (while it runs)"),
        Line2D([], [], color="#c7cbd1", label=f"needs {CONFIG_NODE}"),
        Patch(facecolor="#9ca3af", edgecolor="white", label="stacked: one per item"),
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        ncol=len(handles),
        frameon=False,
        fontsize=8.5,
        bbox_to_anchor=(0.5, 0),
        handlelength=2.2,
    )
    ax.set_title(
        "The Merlin asset graph, drawn from merlin_assets.phases.graph()",
        loc="left",
        fontsize=12,
    )
    buf = io.BytesIO()
    # No software version in the file, so the same graph gives the same bytes.
    meta = {"Software": None, CONTENTS_KEY: contents(tuple(drawn), tuple(edges))}
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", pad_inches=0.2, metadata=meta)
    plt.close(fig)
    return Picture(png=buf.getvalue(), nodes=tuple(drawn), edges=tuple(edges))


def write(path: Path) -> Picture:
    """Draw the declared graph to `path`."""
    picture = draw()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(picture.png)
    return picture


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/asset-graph.png")
    drawn = write(target)
    sys.stdout.write(f"{len(drawn.nodes)} nodes, {len(drawn.edges)} edges drawn to {target}\n")
