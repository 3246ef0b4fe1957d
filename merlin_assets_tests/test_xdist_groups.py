"""The suite's heavy groups (conftest.HEAVY_GROUPS) each keep to one worker: pytest 9.2.0 with
pytest-xdist 3.8 dropped every xdist_group under `--dist loadgroup`, both fleet test files
started a whole fleet on both workers at once, and their runs timed out. A release pair that
breaks grouping again fails here, in seconds, rather than as timeouts half an hour in."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

TESTS = """
import pytest

def test_alone_1(): pass
def test_alone_2(): pass
"""
# The same hook as conftest.py's: the mark added at collection, before xdist reads it.
CONFTEST = """
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.xdist_group("heavy"))
"""


def test_a_group_runs_on_one_worker(tmp_path: Path):
    (tmp_path / "test_grouped.py").write_text(TESTS)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    args = ["-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider", str(tmp_path)]
    out = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    ran = re.findall(r"\[(gw\d)\].*PASSED \S*::(test_alone_\d)(@\w+)?", out.stdout)
    assert sorted(t for _, t, _ in ran) == ["test_alone_1", "test_alone_2"], out.stdout[-3000:]
    assert {g for _, _, g in ran} == {"@heavy"}, ran
    assert len({w for w, _, _ in ran}) == 1, ran
