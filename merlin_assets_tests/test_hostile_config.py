"""Configs built to exhaust time or memory, or to run code: refused fast, with a clear error.

Each case runs under a per-test timeout (pytest-timeout) and tracemalloc, so "quickly" and
"bounded memory" are checked without wall-clock asserts that would flake on a busy machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from merlin_assets.config.project import (
    MAX_CONFIG_BYTES,
    MAX_DEPTH,
    ConfigError,
    load_config,
    parse_config_text,
)

PEAK_BYTES = 16 * 1024 * 1024
HEADER = "name: Acme\nindustry: bakery\n"
TOO_DEEP = f"YAML nested more than {MAX_DEPTH} levels deep"


def _billion_laughs(levels: int = 10, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + f"\nservices: *a{levels - 1}\n" + HEADER


def _quadratic() -> str:
    big = "x" * 30_000
    return f"notes: &big {big}\ndescription: *big\ngoals: [{', '.join(['*big'] * 900)}]\n" + HEADER


HOSTILE_TEXTS = {
    # name: (text, suffix, what the message must say)
    "json-deep-100k": ("[" * 100_000 + "]" * 100_000, ".json", "limit is"),
    "json-deep-30k": (
        '{"name": ' + "[" * 30_000 + "]" * 30_000 + "}",
        ".json",
        "nested too deeply",
    ),
    "json-deep-40": (
        '{"name": "A", "industry": "bakery", "notes": ' + "[" * 40 + "]" * 40 + "}",
        ".json",
        f"nested more than {MAX_DEPTH} levels",
    ),
    "json-wide": (
        json.dumps({"name": "A", "x": [0] * 25_000}, separators=(",", ":")),
        ".json",
        "more than",
    ),
    "yaml-flow-deep-100k": ("[" * 100_000 + "]" * 100_000, ".yaml", "limit is"),
    # Our words, whichever PyYAML runs: 6.0.3 parses these and the loader counts the levels;
    # 6.0.4's libyaml refuses past 1,000 levels itself ("while increasing flow level").
    "yaml-flow-deep-30k": (HEADER + "notes: " + "[" * 30_000 + "]" * 30_000, ".yaml", TOO_DEEP),
    "yaml-flow-mapping-deep-10k": (
        HEADER + "notes: " + "{a: " * 10_000 + "}" * 10_000,
        ".yaml",
        TOO_DEEP,
    ),
    "yaml-block-deep": (HEADER + "notes:\n" + "- " * 20_000 + "x\n", ".yaml", TOO_DEEP),
    "yaml-indent-deep": (
        HEADER + "".join(f"{' ' * i}k{i}:\n" for i in range(300)) + " " * 300 + "v\n",
        ".yaml",
        TOO_DEEP,
    ),
    "yaml-billion-laughs": (_billion_laughs(), ".yaml", "alias bomb"),
    "yaml-quadratic-blowup": (_quadratic(), ".yaml", "alias bomb"),
    "yaml-recursive-alias": ("a: &a [*a]\n" + HEADER, ".yaml", "recursive"),
    "yaml-python-apply": (
        HEADER + "notes: !!python/object/apply:os.system ['touch PWNED-yaml']\n",
        ".yaml",
        "constructor",
    ),
    "yaml-python-name": (HEADER + "notes: !!python/name:os.system\n", ".yaml", "constructor"),
    "yaml-python-new": (
        HEADER + "notes: !!python/object/new:subprocess.Popen [['touch', 'PWNED-new']]\n",
        ".yaml",
        "constructor",
    ),
    "yaml-python-module": (HEADER + "notes: !!python/module:os\n", ".yaml", "constructor"),
    "yaml-custom-tag": (HEADER + "notes: !Exploit {cmd: id}\n", ".yaml", "constructor"),
    "yaml-many-documents": (HEADER + "---\n" + HEADER, ".yaml", "single document"),
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", sorted(HOSTILE_TEXTS))
def test_hostile_config_text_is_refused_quickly_in_bounded_memory(case, tmp_path, monkeypatch):
    text, suffix, says = HOSTILE_TEXTS[case]
    monkeypatch.chdir(tmp_path)  # a tag that ran a command would leave a file here
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError) as err:
            parse_config_text(text, source=f"bad{suffix}", suffix=suffix)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(err.value)
    assert message.startswith(f"bad{suffix}")
    assert says in message, message
    assert "\n" not in message and len(message) < 400
    assert peak < PEAK_BYTES, f"{case}: peak {peak / 1e6:.1f} MB"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.timeout(20)
def test_a_huge_file_is_refused_without_being_read(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:
        fh.truncate(4 * 1024**3)  # sparse: 4 GB on paper, nothing on disk
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError, match=f"the limit is {MAX_CONFIG_BYTES}"):
            load_config(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MAX_CONFIG_BYTES + 1024 * 1024


def test_ordinary_anchors_and_nesting_still_work():
    text = (
        "name: Acme Bakery\nindustry: bakery\n"
        "services: &s [Bread, Cakes]\n"
        "goals: *s\n"
        "brand: {colors: {primary: '#aa3300'}, fonts: {heading: Inter}}\n"
    )
    config = parse_config_text(text, source="ok.yaml", suffix=".yaml")
    assert config.goals == ["Bread", "Cakes"] and config.brand.colors.primary == "#aa3300"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", ["yaml-billion-laughs", "yaml-python-apply"])
def test_cli_refuses_hostile_yaml_with_exit_2_and_writes_nothing(case, tmp_path: Path):
    config = tmp_path / "bad.yaml"
    config.write_text(HOSTILE_TEXTS[case][0])
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(config), "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=110,
    )
    assert proc.returncode == 2, proc.stderr
    assert str(config) in proc.stderr and HOSTILE_TEXTS[case][2] in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]
