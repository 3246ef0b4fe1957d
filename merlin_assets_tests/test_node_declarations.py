"""What a node declares is collected without naming it: the site publishes every node that ships
files, the content review reads every node that declares copy, and the pages link every page a
node declares."""

from __future__ import annotations

import pytest

from merlin_assets.phases import graph
from merlin_assets.phases.base import Need, Node
from merlin_assets.phases.site import _refuse_clashes
from merlin_assets.types.pages import SitePage

GRAPH = graph()


def _collector(flag: str) -> Node:
    return next(node for node in GRAPH.nodes.values() if getattr(node, flag))


def test_the_content_review_needs_exactly_the_nodes_that_declare_copy():
    review = _collector("collects_copy")
    writers = {name for name, node in GRAPH.nodes.items() if node.copy_fields is not None}
    assert {"copywriting", "seo_strategy", "site_pages"} <= writers
    assert set(review.upstream) == {"project_config", *writers}
    # A partitioned writer is read whole: every page, not one.
    assert Need("site_pages", scope="all") in review.needs


def test_the_site_needs_every_node_that_ships_files():
    site = _collector("collects_files")
    shippers = {name for name, node in GRAPH.nodes.items() if node.ships_files}
    assert shippers and shippers <= set(site.upstream)


def test_declared_pages_are_the_pages_of_every_node_in_graph_order():
    pages = [p for node in GRAPH.nodes.values() for p in node.pages]
    assert list(GRAPH.declared_pages) == pages
    assert pages, "no node declares a page"
    for name in GRAPH.project_nodes:
        node = GRAPH.nodes[name]
        assert node.sitemap_slugs(None) == [p.slug for p in node.pages if p.sitemap]


def test_a_node_that_declares_a_page_must_ship_it():
    with pytest.raises(ValueError, match="ships_files"):
        Node(
            name="terms",
            group="pages",
            description="Terms.",
            kinds=frozenset({"html"}),
            needs=(),
            pages=(SitePage("terms", "Terms"),),
        )


def test_two_nodes_never_publish_one_file():
    shipped: dict[str, str] = {}
    _refuse_clashes(shipped, "site_pages", {"index.html": b"", "privacy.html": b""})
    _refuse_clashes(shipped, "site_pages", {"about.html": b""})  # another item of one node
    with pytest.raises(ValueError, match="'privacy_notice' and 'site_pages' both publish"):
        _refuse_clashes(shipped, "privacy_notice", {"privacy.html": b""})
