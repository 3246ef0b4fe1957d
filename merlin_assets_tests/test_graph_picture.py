"""The asset graph picture is drawn from the code, and the committed one shows the code's graph."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from merlin_assets.cli.docs_graph import CONTENTS_KEY, contents, draw, write
from merlin_assets.phases import graph

COMMITTED = Path(__file__).parent.parent / "docs" / "asset-graph.png"
REDRAW = "merlin graph --out docs/asset-graph.png"


def _declared_edges() -> set[tuple[str, str]]:
    return {(up, name) for name, node in graph().nodes.items() for up in node.upstream}


def test_the_picture_is_a_readable_png(tmp_path):
    target = tmp_path / "nested" / "graph.png"
    picture = write(target)
    image = Image.open(target)
    assert image.format == "PNG"
    width, height = image.size
    # Wide enough to read every box's name, not a poster.
    assert 1000 <= width <= 3000 and 400 <= height <= 1600, image.size
    assert width > height
    assert target.read_bytes() == picture.png


def test_the_picture_shows_every_declared_node_and_edge():
    picture = draw()
    g = graph()
    assert list(picture.nodes) == list(g.nodes)
    drawn = [(e.upstream, e.node) for e in picture.edges]
    assert len(drawn) == len(set(drawn)), "an edge was drawn twice"
    assert set(drawn) == _declared_edges()
    waits = {(n.name, name) for name, node in g.nodes.items() for n in node.waits}
    assert {(e.upstream, e.node) for e in picture.edges if e.waits} == waits
    assert waits, "the graph has waited-on inputs; the picture must dash some edges"


def test_the_png_records_what_it_shows():
    picture = draw()
    stored = Image.open(io.BytesIO(picture.png)).text[CONTENTS_KEY]
    assert stored == contents(picture.nodes, picture.edges)


def test_the_committed_picture_is_up_to_date():
    stored = json.loads(Image.open(COMMITTED).text[CONTENTS_KEY])
    assert stored["nodes"] == list(graph().nodes), f"docs/asset-graph.png is stale: {REDRAW}"
    edges = {(up, node) for up, node, _, _ in stored["edges"]}
    assert edges == _declared_edges(), f"docs/asset-graph.png is stale: {REDRAW}"
    assert stored == json.loads(contents(*_drawn())), f"docs/asset-graph.png is stale: {REDRAW}"


def _drawn():
    picture = draw()
    return picture.nodes, picture.edges
