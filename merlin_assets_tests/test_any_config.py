"""Any config the loader accepts builds a site offline that passes its markup checks.

Hypothesis draws config files (`config_strategies.configs`), writes each as YAML or JSON, loads
it through the real loader and builds the whole site in-process with the offline provider. Each
example asserts that the site completes, passes the markup checks, names the business on its
home page, and mentions every service the config lists.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from merlin_assets.config.project import load_config
from merlin_assets_tests.any_site import Routed, build_site, shown
from merlin_assets_tests.config_strategies import configs, within_size

# Per file format: 2 x 40 sites; with test_any_answer.py's 240, 320 in all.
EXAMPLES = 40
DUMPS = {
    ".json": lambda data: json.dumps(data, ensure_ascii=False, indent=2),
    ".yaml": lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
}


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@pytest.mark.parametrize("suffix", sorted(DUMPS))
# Forty whole sites a test: far longer than the suite's per-test hang guard assumes.
@pytest.mark.timeout(1800)
@given(data=configs())
def test_any_config_builds_a_site(data: dict, suffix: str) -> None:
    dump = DUMPS[suffix]
    data = within_size(data, lambda d: len(dump(d).encode()))
    with tempfile.TemporaryDirectory(prefix="merlin-any-config-") as scratch:
        root = Path(scratch)
        path = root / f"project{suffix}"
        path.write_text(dump(data), encoding="utf-8")
        config = load_config(path)
        built = build_site(path, config.project_id, Routed(None, set()), root)

        assert built.failed_markup() == {}
        pages = built.pages()
        assert shown(config.name) in pages["index.html"]
        everything = "\n".join(pages.values())
        missing = [s for s in config.services if shown(s) not in everything]
        assert missing == []
