"""Whole runs through a real Dagster instance: the site, its partitions and its metadata."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import dagster as dg
import pytest
from PIL import Image

from merlin_assets.config.project import load_config
from merlin_assets.definitions import defs as load_defs
from merlin_assets.phases import graph
from merlin_assets.render.context import page_filename
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.phase_support import PHASE_ORDER

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.imgs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in {"img"} and a.get("src"):
            self.imgs.append(a["src"])
        if tag == "source" and a.get("srcset"):
            self.imgs += [c.strip().split(" ")[0] for c in a["srcset"].split(",")]

    def handle_data(self, data):
        self.text.append(data)


def _generate(instance, config_path: Path, **kwargs) -> dg.ExecuteInProcessResult:
    config = load_config(config_path)
    instance.add_dynamic_partitions("projects", [config.project_id])
    job = load_defs().resolve_job_def("generate_site")
    return job.execute_in_process(
        instance=instance,
        partition_key=config.project_id,
        run_config={"ops": {"site_pipeline": {"config": {"config_path": str(config_path)}}}},
        **kwargs,
    )


def test_bakery_site_end_to_end(instance, sites: Path):
    result = _generate(instance, BAKERY)
    assert result.success
    site = sites / "crumb-co-bakery"
    pages = sorted(p.name for p in site.glob("*.html"))
    assert "index.html" in pages and "contact.html" in pages and len(pages) >= 3

    # Every planned page and every page a node declares exists, every nav link and image
    # resolves.
    plan = instance.get_latest_materialization_event(dg.AssetKey("page_plan"))
    slugs = plan.asset_materialization.metadata["slugs"].value
    declared = [p.slug for p in graph().declared_pages]
    assert sorted(pages) == sorted(page_filename(s) for s in [*slugs, *declared])
    all_text = ""
    for page in site.glob("*.html"):
        parser = _Links()
        parser.feed(page.read_text())
        for href in parser.hrefs:
            if href.startswith(("http", "mailto:", "tel:", "#")):
                continue
            assert (site / href.split("#")[0]).is_file(), f"{page.name}: {href}"
        for src in parser.imgs:
            with Image.open(site / src) as img:
                img.verify()
        all_text += " ".join(parser.text)
    config = load_config(BAKERY)
    assert config.name in all_text.replace("&amp;", "&")
    for service in config.services:
        assert service.lower() in all_text.lower(), service
    assert "lorem" not in all_text.lower()
    assert (site / "sitemap.xml").read_text().count("<loc>") == len(pages)
    assert "Sitemap:" in (site / "robots.txt").read_text()
    assert "--color-primary" in (site / "assets" / "site.css").read_text()


def test_every_item_is_its_own_materialization(instance, sites: Path):
    assert _generate(instance, BAKERY).success
    for name in ("project_config", *PHASE_ORDER, "site", "quality_assessment"):
        event = instance.get_latest_materialization_event(dg.AssetKey(name))
        assert event is not None, name
        meta = event.asset_materialization.metadata
        assert meta["duration_s"].value >= 0
        assert re.match(r"\d{4}-\d\d-\d\dT", meta["started_at"].value)
        # The rule-based writers agree with each other: nothing needed repairing.
        assert "repairs" not in meta, (name, meta["repairs"].value)
    image_keys = (
        instance.get_latest_materialization_event(dg.AssetKey("image_plan"))
        .asset_materialization.metadata["keys"]
        .value
    )
    # Items are keyed by their place in the plan; each one's metadata names it.
    images = instance.get_materialized_partitions(dg.AssetKey("site_images"))
    assert images == {f"{n:02d}|crumb-co-bakery" for n in range(1, len(image_keys) + 1)}
    assert sorted(_item_names(instance, "site_images", "image").values()) == sorted(image_keys)
    pages = instance.get_materialized_partitions(dg.AssetKey("site_pages"))
    assert len(pages) >= 3
    assert "home" in _item_names(instance, "site_pages", "page").values()
    # LLM call figures ride along with each phase.
    strategy = instance.get_latest_materialization_event(dg.AssetKey("design_strategy"))
    calls = strategy.asset_materialization.metadata["calls"].value
    assert calls[0]["provider"] == "offline" and calls[0]["duration_s"] >= 0


def test_quality_checks_recorded_and_pass(instance, sites: Path):
    result = _generate(instance, BAKERY)
    evaluations = result.get_asset_check_evaluations()
    names = {e.check_name: e.passed for e in evaluations}
    assert set(names) >= {
        "links_resolve",
        "alt_text",
        "single_h1",
        "html_parses",
        "title_length",
        "description_length",
        "text_contrast",
    }
    failed = {n for n, ok in names.items() if not ok}
    assert not failed, [e.metadata for e in evaluations if not e.passed]


def test_single_phase_rematerializes_from_storage(instance, sites: Path):
    assert _generate(instance, BAKERY).success
    job = load_defs().resolve_job_def("generate_site")
    result = job.execute_in_process(
        instance=instance,
        partition_key="crumb-co-bakery",
        asset_selection=[dg.AssetKey("seo_strategy")],
    )
    assert result.success
    mats = result.asset_materializations_for_node("site_pipeline")
    assert [m.asset_key.to_user_string() for m in mats] == ["seo_strategy"]


def _item_names(instance, asset: str, dim: str) -> dict[str, str]:
    """Each materialized partition's item name, from its latest materialization."""
    records = instance.fetch_materializations(dg.AssetKey(asset), limit=1000).records
    return {
        r.partition_key: r.asset_materialization.metadata[dim].value
        for r in sorted(records, key=lambda r: r.storage_id)
    }


def _latest(instance, asset: str, key: str) -> int:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[key]), limit=1
    ).records
    return records[0].storage_id


def test_single_image_and_page_regenerate(instance, sites: Path):
    assert _generate(instance, BAKERY).success
    defs = load_defs()
    site = sites / "crumb-co-bakery"
    index = site / "index.html"
    index.write_text("stale")
    hero = next((site / "images").glob("hero*.jpg"))
    hero.unlink()
    for asset, name in (("site_images", "hero"), ("site_pages", "home")):
        dim = "image" if asset == "site_images" else "page"
        [key] = [k for k, n in _item_names(instance, asset, dim).items() if n == name]
        before = _latest(instance, asset, key)
        job = defs.resolve_implicit_job_def_def_for_assets([dg.AssetKey(asset)])
        result = job.execute_in_process(
            instance=instance,
            partition_key=dg.MultiPartitionKey(
                {dim: key.split("|")[0], "project": "crumb-co-bakery"}
            ),
            asset_selection=[dg.AssetKey(asset)],
        )
        assert result.success
        # The regeneration is recorded on the same partition, naming the same item.
        assert _latest(instance, asset, key) > before
        assert _item_names(instance, asset, dim)[key] == name
    assert "<h1" in index.read_text()
    assert hero.is_file()


def test_item_partitions_are_places_shared_by_every_project(instance, sites: Path):
    """Two projects whose plans name their images and pages differently add no keys of their
    own: the item dimensions hold places up to the longest plan, and each partition's metadata
    says which item of which project it is."""
    plumber = EXAMPLES / "greenline-plumbing.yaml"
    assert _generate(instance, BAKERY).success
    assert _generate(instance, plumber).success
    names = {}
    for path in (BAKERY, plumber):
        project = load_config(path).project_id
        plan = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("image_plan"), asset_partitions=[project]),
            limit=1,
        ).records[0]
        names[project] = plan.asset_materialization.metadata["keys"].value
    assert set(names["crumb-co-bakery"]) != set(names[load_config(plumber).project_id])
    longest = max(len(v) for v in names.values())
    assert instance.get_dynamic_partitions("image_slots") == [
        f"{n:02d}" for n in range(1, longest + 1)
    ]
    recorded = _item_names(instance, "site_images", "image")
    for project, keys in names.items():
        mine = {k: v for k, v in recorded.items() if k.endswith(f"|{project}")}
        assert [mine[f"{n:02d}|{project}"] for n in range(1, len(keys) + 1)] == list(keys)


def test_regenerating_a_place_past_the_plan_fails_clearly(instance, sites: Path):
    assert _generate(instance, BAKERY).success
    job = load_defs().resolve_implicit_job_def_def_for_assets([dg.AssetKey("site_images")])
    instance.add_dynamic_partitions("image_slots", ["39"])
    result = job.execute_in_process(
        instance=instance,
        partition_key=dg.MultiPartitionKey({"image": "39", "project": "crumb-co-bakery"}),
        asset_selection=[dg.AssetKey("site_images")],
        raise_on_error=False,
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.error.to_string()
    assert "images [39] are not in the image plan of 'crumb-co-bakery', which has" in message


def test_failed_run_keeps_last_good_site(instance, sites: Path, tmp_path: Path):
    assert _generate(instance, BAKERY).success
    before = (sites / "crumb-co-bakery" / "index.html").read_text()
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        BAKERY.read_text().replace("name: Crumb & Co Bakery", "id: crumb-co-bakery\nname: 7: x")
    )
    result = _generate_unvalidated(instance, broken)
    assert not result.success
    assert (sites / "crumb-co-bakery" / "index.html").read_text() == before
    assert not list((sites / ".staging").iterdir())


def _generate_unvalidated(instance, path: Path):
    job = load_defs().resolve_job_def("generate_site")
    return job.execute_in_process(
        instance=instance,
        partition_key="crumb-co-bakery",
        run_config={"ops": {"site_pipeline": {"config": {"config_path": str(path)}}}},
        raise_on_error=False,
    )


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.stem)
def test_every_example_builds(instance, sites: Path, path: Path):
    assert _generate(instance, path).success
    config = load_config(path)
    site = sites / config.project_id
    assert len(list(site.glob("*.html"))) >= 3
    assert len(list((site / "images").glob("*.webp"))) >= 5
