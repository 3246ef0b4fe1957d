"""Project configs: what is accepted, and the one clear message for what is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from merlin_assets.config import MAX_CONFIG_BYTES, ConfigError, load_config, parse_config_text

EXAMPLES = sorted((Path(__file__).parents[1] / "examples" / "projects").iterdir())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_valid(path: Path):
    config = load_config(path)
    assert config.name and config.industry
    assert config.project_id == config.id
    assert len(config.services) >= 3


def test_examples_cover_different_industries():
    industries = {load_config(p).industry.split()[0].lower() for p in EXAMPLES}
    assert len(industries) >= 4


def test_id_is_derived_from_name():
    config = parse_config_text(
        "name: Crumb & Co Bakery\nindustry: bakery\n", source="x.yaml", suffix=".yaml"
    )
    assert config.project_id == "crumb-co-bakery"
    assert config.site_url == "https://crumb-co-bakery.example.com"


@pytest.mark.parametrize(
    ("text", "suffix", "field", "reason"),
    [
        ("name: [unclosed\nindustry: x", ".yaml", "", "invalid YAML"),
        ('{"name": "A", "industry": }', ".json", "", "invalid JSON"),
        ("- just\n- a list\n", ".yaml", "", "top level must be a mapping"),
        ("industry: bakery\n", ".yaml", "'name'", "Field required"),
        ("name: A\nindustry: bakery\nservices: cakes\n", ".yaml", "'services'", "valid list"),
        ("name: A\nindustry: bakery\nid: Big Bakery\n", ".yaml", "'id'", "a-z, 0-9"),
        ("name: A\nindustry: bakery\nid: ../../etc\n", ".yaml", "'id'", "a-z, 0-9"),
        ("name: A\nindustry: bakery\nid: /abs/path\n", ".yaml", "'id'", "a-z, 0-9"),
        (
            "name: A\nindustry: bakery\nbrand: {colors: {primary: red}}\n",
            ".yaml",
            "'brand.colors.primary'",
            "should match pattern",
        ),
        (
            "name: A\nindustry: bakery\nbrand: {colors: {primary: '#fff;} body{x:y'}}\n",
            ".yaml",
            "'brand.colors.primary'",
            "should match pattern",
        ),
        (
            "name: A\nindustry: bakery\nbrand: {fonts: {body: 'x;}</style>'}}\n",
            ".yaml",
            "'brand.fonts.body'",
            "should match pattern",
        ),
        ("name: A\nindustry: bakery\nservices: [ok, 7]\n", ".yaml", "'services[1]'", "string"),
        ("name: A\nindustry: bakery\nsevrices: [x]\n", ".yaml", "'sevrices'", "unknown field"),
        ("!!python/object/apply:os.system ['echo hi']\n", ".yaml", "", "invalid YAML"),
        ("name: !!python/name:os.system\nindustry: x\n", ".yaml", "", "invalid YAML"),
    ],
)
def test_bad_configs_name_file_and_field(text, suffix, field, reason):
    with pytest.raises(ConfigError) as info:
        parse_config_text(text, source=f"projects/bad{suffix}", suffix=suffix)
    message = str(info.value)
    assert message.startswith(f"projects/bad{suffix}")
    assert field in message
    assert reason in message


def test_oversized_config_is_refused_before_parsing():
    text = "name: A\nindustry: b\nnotes: " + "x" * MAX_CONFIG_BYTES
    with pytest.raises(ConfigError, match="limit is"):
        parse_config_text(text, source="big.yaml", suffix=".yaml")


def test_unknown_extension(tmp_path: Path):
    path = tmp_path / "site.toml"
    path.write_text("name = 'x'")
    with pytest.raises(ConfigError, match=r"expected a \.yaml"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "field"),
    [("name: A\nindustry: bakery\nid: ../escape\n", "id"), ("name: [oops\n", "")],
)
def test_cli_exits_2_and_writes_nothing(tmp_path: Path, text: str, field: str):
    config = tmp_path / "bad.yaml"
    config.write_text(text)
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert str(config) in proc.stderr
    assert field in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]
