"""Industry profiles are data files: each loads and validates, and matching stays unambiguous."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

from merlin_assets import industries
from merlin_assets.config.project import ProjectConfig
from merlin_assets.industries import (
    DATA,
    GENERIC,
    PROFILES,
    IndustryDataError,
    IndustryProfile,
    load_profile,
    load_profiles,
    profile_for,
)

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((f for f in DATA.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
ALL = (*PROFILES, GENERIC)


def _forms(keyword: str) -> list[str]:
    """The spellings `_pattern` accepts for a keyword: as written and its plurals."""
    forms = [keyword, f"{keyword}s", f"{keyword}es"]
    if keyword.endswith("y"):
        forms.append(f"{keyword[:-1]}ies")
    return forms


def _config(industry: str) -> ProjectConfig:
    return ProjectConfig(name="Northwind", industry=industry)


@pytest.mark.parametrize("path", FILES, ids=lambda f: f.name)
def test_every_file_loads_and_its_key_is_its_file_name(path):
    profile = load_profile(path)
    assert isinstance(profile, IndustryProfile)
    assert profile.key == path.name.removesuffix(".yaml")


def test_every_file_is_a_profile_and_keys_are_unique():
    keys = [load_profile(f).key for f in FILES]
    assert len(keys) == len(set(keys))
    assert set(keys) == {p.key for p in ALL}
    assert len(PROFILES) == len(FILES) - 1
    assert GENERIC.key == "generic" and GENERIC not in PROFILES


def test_generic_matches_nothing_by_keyword():
    assert GENERIC.keywords == () and GENERIC.variants == ()


def test_profiles_are_immutable_tuples():
    with pytest.raises(ValueError, match="frozen"):
        GENERIC.label = "changed"  # type: ignore[misc]
    assert isinstance(GENERIC.process, tuple) and isinstance(GENERIC.process[0], tuple)
    assert isinstance(GENERIC.faqs[0], tuple) and isinstance(GENERIC.font_pairs[0], tuple)


def test_no_keyword_belongs_to_two_profiles():
    # A shared keyword would make the match depend on the order profiles are loaded in.
    owners: dict[str, set[str]] = defaultdict(set)
    for profile in PROFILES:
        for keyword in profile.keywords:
            owners[keyword.lower()].add(profile.key)
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert shared == {}


def test_no_profile_keyword_matches_another_profiles_keyword():
    # Stricter than equality: "pet" must not catch another profile's "pets" through plurals.
    for profile in PROFILES:
        for other in PROFILES:
            if other is profile:
                continue
            for keyword in profile.keywords:
                pattern = industries._pattern(keyword)
                hits = [k for k in other.keywords if pattern.fullmatch(k)]
                assert not hits, (profile.key, keyword, other.key, hits)


def test_every_keyword_routes_to_its_own_profile_whatever_the_order(monkeypatch):
    def routes() -> dict[str, str]:
        found = {}
        for profile in PROFILES:
            for keyword in profile.keywords:
                for form in _forms(keyword):
                    match = industries._match(form)
                    assert match is not None, form
                    found[form] = match[0].key
        return found

    forward = routes()
    assert all(forward[form] == p.key for p in PROFILES for k in p.keywords for form in _forms(k))
    monkeypatch.setattr(industries, "PROFILES", tuple(reversed(PROFILES)))
    assert routes() == forward


def test_variant_keywords_do_not_collide():
    seen: dict[str, tuple[str, str]] = {}
    for profile in PROFILES:
        others = {k.lower() for p in PROFILES if p is not profile for k in p.keywords}
        for variant in profile.variants:
            for keyword in variant.keywords:
                # Only the profile's own words can lead to the variant (the loader checks that).
                assert keyword in profile.keywords
                assert keyword.lower() not in others, (profile.key, variant.label, keyword)
                assert keyword.lower() not in seen, (keyword, seen.get(keyword.lower()))
                seen[keyword.lower()] = (profile.key, variant.label)


@pytest.mark.parametrize(
    ("profile", "variant"),
    [(p, v) for p in PROFILES for v in p.variants],
    ids=lambda x: getattr(x, "key", None) or x.label,
)
def test_each_variant_keyword_narrows_to_its_variant(profile, variant):
    for keyword in variant.keywords:
        found = profile_for(_config(keyword))
        assert (found.key, found.label, found.schema_type) == (
            profile.key,
            variant.label,
            variant.schema_type,
        ), keyword


def test_package_data_ships_the_files():
    with (ROOT / "pyproject.toml").open("rb") as f:
        package_data = tomllib.load(f)["tool"]["setuptools"]["package-data"]
    patterns = package_data.get("merlin_assets", [])
    for path in FILES:
        assert any(fnmatch(f"data/industries/{path.name}", p) for p in patterns), path.name


def _bakery() -> dict:
    return yaml.safe_load((DATA / "bakery.yaml").read_text(encoding="utf-8"))


def _with(**changes) -> dict:
    data = _bakery()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (_with(scene="kitchen"), "scene", "literal"),
        (_with(colour="red"), "colour", "Extra inputs"),
        (_with(palette=["#8b4a2b", "brown", "#e0a526"]), "palette.1", "pattern"),
        (_with(process=[{"title": "Order", "body": "By phone."}]), "process.0", "'text'"),
        (_with(faqs=[{"q": "Why?", "a": "Because."}]), "faqs", "at least 3"),
        (_with(extra_sections=["menu"]), "extra_sections.0", "literal"),
        (_with(keywords=["Bakery"]), "keywords.0", "pattern"),
        (_with(variants=[{"label": "deli", "schema_type": "Store", "keywords": ["deli"]}]),
         "variants", "deli"),
        ({k: v for k, v in _bakery().items() if k != "setting"}, "setting", "Field required"),
    ],
)  # fmt: skip
def test_a_malformed_file_names_the_file_and_the_field(tmp_path, data, field, reason):
    path = tmp_path / "bakery.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IndustryDataError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert message.startswith("bakery.yaml: ")
    assert field in message and reason in message


def test_a_key_that_is_not_the_file_name_is_refused(tmp_path):
    path = tmp_path / "patisserie.yaml"
    path.write_text(yaml.safe_dump(_bakery(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(IndustryDataError, match=r"^patisserie\.yaml: key 'bakery'"):
        load_profile(path)


@pytest.mark.parametrize("text", ["key: [unclosed", "- just\n- a list\n"])
def test_unreadable_yaml_names_the_file(tmp_path, text):
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(IndustryDataError, match=r"^broken\.yaml: "):
        load_profiles(tmp_path)
