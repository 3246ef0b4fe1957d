"""Shared fixtures: a real Dagster instance in a temporary home, and example configs."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from merlin_assets_tests import needs

REPO = Path(__file__).parents[1]
EXAMPLES = REPO / "examples" / "projects"


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


@pytest.fixture
def instance(dagster_home: Path):
    with dg.instance_for_test(temp_dir=str(dagster_home)) as inst:
        yield inst


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "sites"
    monkeypatch.setenv("MERLIN_SITES_DIR", str(root))
    monkeypatch.setenv("MERLIN_LLM", "offline")
    return root


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture starts a server the test could not use (see needs.py).
    needs.check(item)
