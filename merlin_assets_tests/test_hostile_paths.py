"""Ids, slugs and image keys that try to leave the output root: refused, and nothing escapes.

Strings are built from traversal pieces (`../`, absolute paths, NUL, backslashes, Unicode
look-alikes of `/` and `.`, Cyrillic letters, bidi controls) mixed with arbitrary text. A
config id must be refused with an error naming the field; names from a model are repaired into
safe keys; and in every case the set of files outside the output roots stays the same.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from merlin_assets import paths
from merlin_assets.config.project import PROJECT_ID_RE, ConfigError, parse_config_text
from merlin_assets.imaging.encode import save_web_image
from merlin_assets.render.context import SLUG_RE, page_filename
from merlin_assets.types.images import ImagePlan, PlannedImage
from merlin_assets.types.pages import Page, PagePlan
from merlin_assets_tests.hostile_support import (
    HostileLLM,
    QuickImagesLLM,
    build_site,
    files_outside,
)
from merlin_assets_tests.phase_support import GRAPH, WRITERS, Inputs, repair, scheduler

OUT = "{OUT}"  # replaced by the sandbox's "outside" folder, so an escape would land there
PIECES = [
    "..",
    "../",
    "../../",
    "..\\",
    "/",
    "\\",
    f"{OUT}/escaped",
    f"{OUT}",
    "/tmp/merlin-escape-probe",
    "\x00",
    "\uff0f",  # fullwidth solidus
    "\u2215",  # division slash
    "\u2024",  # one dot leader
    "\u2025",  # two dot leader
    "\uff0e",  # fullwidth full stop
    "\u0430",  # Cyrillic a
    "\u0435",  # Cyrillic ie
    "\u043e",  # Cyrillic o
    "\u202e",  # right-to-left override
    "%2e%2e%2f",
    ".",
    "~",
    "C:\\",
    "\n",
    " ",
    "-",
    ".staging",
    "index.html",
    "a" * 70,
]
hostile_name = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=1, max_size=6
).map("".join)
SPECIFIC = [
    "../evil",
    "../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "evil\x00.html",
    "a\uff0fb",
    "\u2024\u2024\uff0fevil",
    "b\u0430kery",
    "\u0441afe",
    "UPPER",
    "-leading",
    "x" * 64,
    "",
]


def _sandbox() -> tuple[Path, Path, Path, Path]:
    """A temporary folder holding the output roots and an "outside" folder with a canary."""
    box = Path(tempfile.mkdtemp(prefix="merlin-paths-"))
    outside, sites, work = box / "outside", box / "sites", box / "work"
    outside.mkdir()
    (outside / "canary.txt").write_text("untouched")
    return box, outside, sites, work


def _resolve(name: str, outside: Path) -> str:
    return name.replace(OUT, str(outside))


# --- config ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", SPECIFIC)
def test_unsafe_config_ids_are_refused_naming_the_field(bad):
    text = json.dumps({"id": bad, "name": "Acme", "industry": "bakery"})
    with pytest.raises(ConfigError) as err:
        parse_config_text(text, source="p.json", suffix=".json")
    assert err.value.field == "id" and str(err.value).startswith("p.json: field 'id'")


@settings(max_examples=300, deadline=None)
@given(name=hostile_name)
def test_any_config_id_or_name_is_refused_or_safe(name):
    for data in ({"id": name, "name": "Acme", "industry": "bakery"}, {"name": name[:80] or "x"}):
        data.setdefault("industry", "bakery")
        try:
            config = parse_config_text(json.dumps(data), source="p.json", suffix=".json")
        except ConfigError as exc:
            assert exc.field in {"id", "name", "(config)"}, exc
            continue
        assert PROJECT_ID_RE.fullmatch(config.project_id)
        assert paths.site_dir(Path("/srv/sites"), config.project_id).parent == Path("/srv/sites")


# --- the path helpers on raw strings ------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=hostile_name)
def test_raw_names_are_refused_or_land_directly_in_the_root(name):
    box, outside, sites, _ = _sandbox()
    name = _resolve(name, outside)
    sites.mkdir()
    before = files_outside(box, skip=(sites,))
    for make in (
        lambda: paths.site_dir(sites, name),
        lambda: paths.safe_child(sites, name),
        lambda: sites / page_filename(name),
    ):
        try:
            target = make()
        except (paths.UnsafePathError, ValueError) as exc:
            assert str(exc)
            continue
        assert target.parent == sites and target.resolve().parent == sites.resolve()
        paths.write_atomic(target if target.suffix else target / "f.txt", "x")
    try:
        save_web_image(Image.new("RGB", (8, 8)), sites, key=name, alt="", source="offline")
    except ValueError as exc:
        assert "image key" in str(exc)
    assert files_outside(box, skip=(sites,)) == before


# --- names from a model, repaired ---------------------------------------------------------------


def _rules_inputs() -> Inputs:
    config = parse_config_text(
        json.dumps({"name": "Acme Bakery", "industry": "bakery"}), source="p.json", suffix=".json"
    )
    inputs = Inputs(config=config)
    for name in ("design_strategy", "design_context", "section_plan"):
        inputs = Inputs(**{**inputs.__dict__, name: WRITERS[name](inputs)})
    return inputs


RULES_INPUTS = _rules_inputs()


@settings(max_examples=200, deadline=None)
@given(slugs=st.lists(hostile_name, min_size=1, max_size=8), keys=st.lists(hostile_name))
def test_page_slugs_and_image_keys_from_a_model_are_repaired_to_safe_names(slugs, keys):
    sections = [s.key for s in RULES_INPUTS.section_plan.sections]
    plan = PagePlan(
        pages=[
            Page(slug=s, title=s, purpose=s, section_keys=[sections[i % len(sections)], s])
            for i, s in enumerate(slugs)
        ]
    )
    repaired, _ = repair.page_plan(plan, RULES_INPUTS, lambda: None)
    for page in repaired.pages:
        assert SLUG_RE.fullmatch(page.slug), page.slug
        assert "/" not in page_filename(page.slug)
    assert len({p.slug for p in repaired.pages}) == len(repaired.pages)

    images = ImagePlan(
        images=[
            PlannedImage(
                key=k, section_key=sections[0], purpose="hero", prompt=k, alt=k, aspect="16:9"
            )
            for k in keys
        ]
    )
    fixed, _ = repair.image_plan(images, RULES_INPUTS, lambda: images)
    for img in fixed.images:
        assert PROJECT_ID_RE.fullmatch(img.key), img.key
    assert len({i.key for i in fixed.images}) == len(fixed.images)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    project_id=st.from_regex(PROJECT_ID_RE, fullmatch=True),
    names=st.lists(hostile_name, min_size=3, max_size=12),
)
def test_whole_runs_with_hostile_names_from_the_model_never_write_outside(project_id, names):
    """The engine end to end, every model string (keys, slugs, image keys too) a hostile name."""
    box, outside, sites, work = _sandbox()
    config = box / "project.json"
    config.write_text(json.dumps({"id": project_id, "name": "Acme", "industry": "bakery"}))
    before = files_outside(box, skip=(sites, work))
    llm = HostileLLM([_resolve(n, outside) for n in names], keys=True)
    site, _ = build_site(config, llm=llm, sites=sites, work=work)
    assert site == sites / project_id and site.is_dir() and not site.is_symlink()
    assert (site / "index.html").is_file()
    for f in site.rglob("*"):
        assert f.resolve().is_relative_to(sites.resolve()), f
        assert PROJECT_ID_RE.fullmatch(f.name.split(".")[0].rsplit("-", 1)[0] or "x"), f.name
    assert files_outside(box, skip=(sites, work)) == before


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project_id=hostile_name)
def test_whole_runs_with_hostile_config_ids_stop_before_writing(project_id):
    box, outside, sites, work = _sandbox()
    config = box / "project.json"
    config.write_text(
        json.dumps({"id": _resolve(project_id, outside), "name": "Acme", "industry": "bakery"})
    )
    before = files_outside(box, skip=(sites, work))
    try:
        site, _ = build_site(config, llm=QuickImagesLLM(), sites=sites, work=work)
    except ConfigError as exc:
        assert exc.field == "id" and "project.json: field 'id'" in str(exc)
        assert not sites.exists() and not work.exists()
    else:  # the rare drawn string that is a valid id
        assert PROJECT_ID_RE.fullmatch(project_id) and site.parent == sites
    assert files_outside(box, skip=(sites, work)) == before


# --- symlinked output folders -------------------------------------------------------------------

EXAMPLE = Path(__file__).parents[1] / "examples" / "projects" / "greenline-plumbing.yaml"


def _example_id() -> str:
    from merlin_assets.config.project import load_config

    return load_config(EXAMPLE).project_id


def test_a_site_folder_that_is_a_symlink_is_refused(tmp_path: Path):
    sites, outside = tmp_path / "sites", tmp_path / "outside"
    sites.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("x")
    (sites / _example_id()).symlink_to(outside, target_is_directory=True)
    before = files_outside(tmp_path, skip=(tmp_path / "work",))
    with pytest.raises(paths.UnsafePathError, match="symlink"):
        build_site(EXAMPLE, llm=QuickImagesLLM(), sites=sites, work=tmp_path / "work")
    assert files_outside(tmp_path, skip=(tmp_path / "work",)) == before
    assert not any((sites / ".staging").glob("*"))  # nothing staged was left behind


def test_a_staging_folder_that_is_a_symlink_is_refused(tmp_path: Path):
    sites, outside = tmp_path / "sites", tmp_path / "outside"
    sites.mkdir()
    outside.mkdir()
    (sites / ".staging").symlink_to(outside, target_is_directory=True)
    with pytest.raises(paths.UnsafePathError, match="symlink"):
        build_site(EXAMPLE, llm=QuickImagesLLM(), sites=sites, work=tmp_path / "work")
    assert list(outside.iterdir()) == []


def test_a_symlinked_images_folder_in_a_live_site_is_refused_on_regeneration(tmp_path: Path):
    sites, outside = tmp_path / "sites", tmp_path / "outside"
    site, _ = build_site(EXAMPLE, llm=QuickImagesLLM(), sites=sites, work=tmp_path / "work")
    outside.mkdir()
    os.rename(site / "images", outside / "images")
    (site / "images").symlink_to(outside / "images", target_is_directory=True)
    before = files_outside(tmp_path, skip=(tmp_path / "work",))
    builder = scheduler(
        project_id=site.name,
        llm=QuickImagesLLM(),
        work=tmp_path / "work",
        sites=sites,
        max_concurrency=4,
    )
    with pytest.raises(paths.UnsafePathError, match="symlink"):
        asyncio.run(builder.run_items("site_images", ["hero"]))
    assert files_outside(tmp_path, skip=(tmp_path / "work",)) == before


def test_a_symlinked_work_images_folder_is_refused(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="symlink"):
        save_web_image(
            Image.new("RGB", (8, 8)), tmp_path / "link", key="hero", alt="", source="offline"
        )
    assert list(outside.iterdir()) == []


def test_a_sites_root_that_is_a_symlink_is_allowed(tmp_path: Path):
    """The operator may point the sites root anywhere; only what is below it is checked."""
    real = tmp_path / "disk" / "sites"
    real.mkdir(parents=True)
    (tmp_path / "sites").symlink_to(real, target_is_directory=True)
    site, _ = build_site(
        EXAMPLE, llm=QuickImagesLLM(), sites=tmp_path / "sites", work=tmp_path / "w"
    )
    assert (real / site.name / "index.html").is_file()
    assert sorted(p.name for p in real.iterdir()) == [".staging", site.name]


def test_phase_repairs_are_what_the_engine_runs():
    # The property tests above call repair functions directly; make sure they are the real ones.
    from merlin_assets.phases import image_plan, page_plan

    assert GRAPH.nodes["page_plan"].repair is page_plan.repair
    assert GRAPH.nodes["image_plan"].repair is image_plan.repair
