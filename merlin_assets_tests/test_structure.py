"""The shape of the code that the architecture promises: one home per phase, small modules,
and a scheduler that knows no node by name."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from setuptools import find_namespace_packages

import merlin_assets
from merlin_assets.phases import graph
from merlin_assets.phases.base import Phase, keep

PACKAGE = Path(merlin_assets.__file__).parent
GRAPH = graph()


def _home(module: str) -> str:
    """A node's home: its module, or its package (`site_pages.copy` -> `site_pages`)."""
    parts = module.split(".")
    return ".".join(parts[:3])


@pytest.mark.parametrize("name", sorted(GRAPH.phases))
def test_every_phase_keeps_prompt_model_fallback_repair_and_preview_in_one_module(name: str):
    phase = GRAPH.phases[name]
    assert isinstance(phase, Phase)
    # The output model is a value type that renderers and providers read too: it lives in the
    # bottom layer (merlin_assets.types) or, when only its phase reads it, beside the phase.
    model_home = _home(phase.model.__module__)
    assert model_home.startswith("merlin_assets.types.") or model_home == _home(
        phase.prompt.__module__
    )
    homes = {
        "prompt": _home(phase.prompt.__module__),
        "fallback": _home(phase.fallback.__module__),
        "inputs": _home(phase.inputs.__module__),
    }
    if phase.repair is not keep:
        homes["repair"] = _home(phase.repair.__module__)
    if name in GRAPH.nodes:
        homes["preview"] = _home(phase.preview.__module__)
    assert len(set(homes.values())) == 1, homes
    assert next(iter(homes.values())).startswith("merlin_assets.phases.")


@pytest.mark.parametrize("name", sorted(GRAPH.nodes))
def test_every_asset_is_declared_by_its_own_module(name: str):
    node = GRAPH.nodes[name]
    home = f"merlin_assets.phases.{name}"
    assert _home(type(node).__module__) in {home, "merlin_assets.phases.base"}
    assert _home(node.preview.__module__) == home
    assert node.description and node.group and node.kinds


def test_the_graph_has_every_asset_of_the_phase_table():
    assert set(GRAPH.nodes) >= {
        "project_config",
        "design_strategy",
        "design_context",
        "section_plan",
        "style_system",
        "layout",
        "page_plan",
        "image_plan",
        "copywriting",
        "seo_strategy",
        "site_images",
        "site_pages",
        "site",
        "quality_assessment",
    }


def _python_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


MAX_LINES = 600


def test_no_module_is_longer_than_600_lines():
    # One test with a table of offenders, not one test per module: 165 one-line checks inflated
    # the suite's count and hid what it really tests.
    counts = {p.relative_to(PACKAGE): p.read_text().count("\n") for p in _python_modules()}
    offenders = {str(path): n for path, n in counts.items() if n > MAX_LINES}
    table = "\n".join(f"  {n:>5}  {path}" for path, n in sorted(offenders.items()))
    assert not offenders, f"modules over {MAX_LINES} lines:\n{table}"
    # The walk itself found the package: a wrong root would pass with no module at all.
    assert len(counts) > 100


def test_the_scheduler_names_no_node():
    source = (PACKAGE / "engine" / "scheduler.py").read_text()
    named = [n for n in [*GRAPH.nodes, *GRAPH.phases] if re.search(rf"\b{n}\b", source)]
    assert named == []


def test_the_wheel_packages_only_the_product():
    # The same discovery setuptools runs on [tool.setuptools.packages.find] when it builds the
    # wheel (namespaces on by default); "merlin_assets*" once matched merlin_assets_tests too.
    find = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]
    packages = find_namespace_packages(where=str(PACKAGE.parent), include=find["include"])
    outside = sorted(p for p in packages if p.split(".")[0] != "merlin_assets")
    assert outside == []
    assert {"merlin_assets", "merlin_assets.phases", "merlin_assets.writers"} <= set(packages)
