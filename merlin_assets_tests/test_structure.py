"""The shape of the code that the architecture promises: one home per phase, small modules,
and a scheduler that knows no node by name."""

from __future__ import annotations

import ast
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


# The kinds of node the framework offers, with their defaults: a node's module may declare one
# of them (a phase, a page written by rules) rather than a class of its own.
NODE_KINDS = {"merlin_assets.phases.base", "merlin_assets.phases.site_pages.declared"}


@pytest.mark.parametrize("name", sorted(GRAPH.nodes))
def test_every_asset_is_declared_by_its_own_module(name: str):
    node = GRAPH.nodes[name]
    home = f"merlin_assets.phases.{name}"
    assert _home(type(node).__module__) == home or type(node).__module__ in NODE_KINDS
    assert _home(node.preview.__module__) == home or node.preview.__module__ in NODE_KINDS
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


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module, modules: set[str]):
    """(line, imported module, names, inside a function) for each import of our package, leaving
    out `if TYPE_CHECKING:` blocks (annotations only, never run)."""

    def target(node: ast.ImportFrom, name: str) -> str:
        module = node.module or ""
        return f"{module}.{name}" if f"{module}.{name}" in modules else module

    def walk(node: ast.AST, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    yield from walk(sub, in_function)
                continue
            if isinstance(child, ast.ImportFrom) and (child.module or "").startswith(
                "merlin_assets"
            ):
                for alias in child.names:
                    yield child.lineno, target(child, alias.name), alias.name, in_function
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("merlin_assets"):
                        yield child.lineno, alias.name, None, in_function
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inner)

    yield from walk(tree, False)


def _import_table():
    paths = {_module_name(p): p for p in _python_modules()}
    return {
        name: list(_imports(ast.parse(path.read_text()), set(paths)))
        for name, path in sorted(paths.items())
    }


IMPORTS = _import_table()


def test_no_module_imports_a_private_name_from_another():
    # `from merlin_assets.x import _name`: the name was private to x, so the two modules are one
    # thing cut in two (render/site.py once took seven of its neighbours' names).
    found = {
        (importer, imported, name)
        for importer, imports in IMPORTS.items()
        for _, imported, name, _ in imports
        if name and name.startswith("_") and not name.startswith("__") and imported != importer
    }
    # None are left (the last twelve were made public with a docstring): a name another module
    # needs is part of its module's interface, so it is public or it moves to where it is used.
    table = "\n".join(f"  {a}  imports  {b}.{n}" for a, b, n in sorted(found))
    assert not found, f"private names imported from another module:\n{table}"
    # The walk read the imports: a wrong root would pass with no import at all.
    assert sum(len(i) for i in IMPORTS.values()) > 500


def _reaches(start: str, goal: str, edges: dict[str, set[str]]) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module == goal:
            return True
        if module not in seen:
            seen.add(module)
            todo.extend(edges.get(module, ()))
    return False


def test_no_function_level_import_dodges_a_cycle():
    # An import inside a function that would close a cycle if it were at the top (the imported
    # module already reaches the importer through top-level imports) hides a two-way dependency:
    # imaging/encode.py and phases/site_images.py once did this. Imports kept inside a function
    # only to start faster (the CLI's commands) close no cycle and pass.
    top = {
        importer: {imported for _, imported, _, inner in imports if not inner}
        for importer, imports in IMPORTS.items()
    }
    dodges = sorted(
        (importer, line, imported)
        for importer, imports in IMPORTS.items()
        for line, imported, _, inner in imports
        if inner and imported != importer and _reaches(imported, importer, top)
    )
    table = "\n".join(f"  {a}:{line}  imports  {b}" for a, line, b in dodges)
    assert not dodges, f"function-level imports that close a cycle:\n{table}"
