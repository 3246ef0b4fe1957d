"""The edits file: checked like a config, each kind of edit visible in the published site,
applied without a model call, pins kept through regeneration, and picked up by the sensor.

One site is built once per module (offline, a real Dagster instance); each test works on a
copy of its Dagster home, artifacts and sites.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import dagster as dg
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from typer.testing import CliRunner

from merlin_assets.config.errors import ConfigError
from merlin_assets.edits.loading import SiteShape, check_against, parse_edits
from merlin_assets.edits.model import CHOICES, TEXT_FIELDS
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.types.images import PlannedImage
from merlin_assets_tests.conftest import REPO
from merlin_assets_tests.test_pipeline import BAKERY

PROJECT = "crumb-co-bakery"
EDITS = "crumb-and-co-bakery.edits.yaml"
CALL_PATHS = ("/v1/chat/completions", "/v1/images/generations")

# --- checking the file, over the space of pages, sections and fields ------------------------

SHAPE = SiteShape(
    pages={
        "home": ["hero", "value-proposition", "testimonials", "cta"],
        "menu": ["services", "pricing"],
        "about": ["about"],
        "contact": ["faq", "contact"],
    },
    images={
        k: PlannedImage(key=k, section_key="hero", purpose="hero", prompt="", alt="", aspect="16:9")
        for k in ("hero", "gallery-1")
    },
)
BAD_PAGES = ["hom", "blog", "Home"]
BAD_SECTIONS = ["heroo", "team", "pricing-table"]
BAD_FIELDS = ["headline", "colour", "text"]
BAD_IMAGES = ["logo", "hero-2"]


# Words with single spaces, at most 23 characters: within every text field's limit (a
# button label's 30 is the least), and a line field keeps them as they are.
WORDS = st.from_regex(r"[a-kA-K&']{1,5}( [a-k]{1,5}){0,3}", fullmatch=True)


def _value(field: str):
    if field in ("hide", "pin"):
        return st.booleans()
    if field == "bullets":
        return st.lists(WORDS, max_size=3)
    return WORDS


@st.composite
def edits_files(draw) -> dict:
    pages = {}
    for slug in draw(st.lists(st.sampled_from([*SHAPE.pages, *BAD_PAGES]), unique=True)):
        keys = SHAPE.pages.get(slug, ["hero"])
        sections = {}
        for key in draw(st.lists(st.sampled_from([*keys, *BAD_SECTIONS]), unique=True)):
            names = draw(
                st.lists(
                    st.sampled_from([*TEXT_FIELDS, "hide", "pin", *BAD_FIELDS]),
                    unique=True,
                    max_size=3,
                )
            )
            sections[key] = {n: draw(_value(n)) for n in names}
        page: dict = {"sections": sections} if sections else {}
        if draw(st.booleans()):
            page["title"] = draw(WORDS)
        if draw(st.booleans()):
            page["pin"] = True
        pages[slug] = page
    images = {
        k: "media/shop.jpg"
        for k in draw(st.lists(st.sampled_from([*SHAPE.images, *BAD_IMAGES]), unique=True))
    }
    return {"pages": pages, "images": images}


def _expected_error(data: dict) -> tuple[set[str], str] | None:
    """The field paths one of which must be named, and what the reason lists; None: valid."""
    unknown_fields = {
        f"pages.{slug}.sections.{key}.{name}"
        for slug, page in data["pages"].items()
        for key, section in page.get("sections", {}).items()
        for name in section
        if name in BAD_FIELDS
    }
    if unknown_fields:
        return unknown_fields, "valid fields: " + ", ".join(CHOICES["section"])
    pages = {f"pages.{s}" for s in data["pages"] if s not in SHAPE.pages}
    sections = {
        f"pages.{slug}.sections.{key}"
        for slug, page in data["pages"].items()
        if slug in SHAPE.pages
        for key in page.get("sections", {})
        if key not in SHAPE.pages[slug]
    }
    hides_all = {
        f"pages.{slug}.sections"
        for slug, page in data["pages"].items()
        if slug in SHAPE.pages
        and set(SHAPE.pages[slug])
        <= {k for k, s in page.get("sections", {}).items() if s.get("hide")}
    }
    images = {f"images.{k}" for k in data["images"] if k not in SHAPE.images}
    # Checked page by page (its name, its sections, all hidden), then the images.
    semantic = pages | sections | hides_all
    if semantic:
        return semantic, ""
    if images:
        return images, "valid images: hero, gallery-1"
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits_files())
def test_an_edits_file_is_refused_exactly_when_it_names_what_the_site_lacks(data: dict):
    source = "/projects/" + EDITS
    expected = _expected_error(data)
    raw = yaml.safe_dump(data).encode()
    try:
        edits = parse_edits(raw, source=source)
        check_against(edits, SHAPE, source=source)
    except ConfigError as exc:
        assert expected is not None, f"refused a good file: {exc}"
        fields, listed = expected
        assert exc.path == source and exc.field in fields, (exc.field, fields)
        assert str(exc).startswith(f"{source}: field '{exc.field}'")
        assert listed in exc.reason
        if exc.field.startswith("pages.") and exc.field.count(".") == 1:
            assert "valid pages: home, menu, about, contact" in exc.reason
        if re.fullmatch(r"pages\.[^.]+\.sections\.[^.]+", exc.field):
            slug = exc.field.split(".")[1]
            assert f"valid sections: {', '.join(SHAPE.pages[slug])}" in exc.reason
        return
    assert expected is None, f"accepted a bad file, expected one of {expected[0]}"
    for slug, page in data["pages"].items():
        for key, section in page.get("sections", {}).items():
            for name in TEXT_FIELDS:
                if name in section:
                    assert getattr(edits.pages[slug].sections[key], name) == section[name]


@pytest.mark.parametrize(
    "text, field, words",
    [
        ("pages: {home: {titel: x}}", "pages.home.titel", "valid fields: title, description"),
        ("images: {hero: https://example.com/a.jpg}", "images.hero.file", "is a URL"),
        ("images: {hero: ../outside.jpg}", "images.hero.file", "leaves the config's folder"),
        ("images: {hero: /etc/shop.jpg}", "images.hero.file", "absolute path"),
        ("[home, about]", "", "top level must be a mapping"),
        ("pages: [home]", "pages", "valid dictionary"),
        (
            "pages: {home: {sections: {hero: {heading: ''}}}}",
            "pages.home.sections.hero.heading",
            "",
        ),
        ("pages: {home: {title: '" + "x" * 61 + "'}}", "pages.home.title", "at most 60"),
    ],
)
def test_each_kind_of_bad_entry_names_the_file_and_field(text: str, field: str, words: str):
    with pytest.raises(ConfigError) as caught:
        check_against(parse_edits(text.encode(), source=EDITS), SHAPE, source=EDITS)
    assert (caught.value.path, caught.value.field) == (EDITS, field)
    assert words in caught.value.reason


# --- a built site, and the job that applies the file ---------------------------------------


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bakery built once, offline, through `generate_site` on a real instance."""
    root = tmp_path_factory.mktemp("golden")
    home = root / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    with pytest.MonkeyPatch.context() as mp:
        _env(mp, root)
        from merlin_assets_tests.test_pipeline import _generate

        with dg.instance_for_test(temp_dir=str(home)) as instance:
            assert _generate(instance, BAKERY).success
    yield root


def _env(mp: pytest.MonkeyPatch, root: Path) -> None:
    mp.setenv("DAGSTER_HOME", str(root / "home"))
    mp.setenv("MERLIN_SITES_DIR", str(root / "sites"))
    mp.setenv("MERLIN_LLM", "offline")
    mp.setenv("MERLIN_PROJECTS_DIR", str(root / "projects"))
    mp.delenv("MERLIN_WORK_DIR", raising=False)


class Site:
    """A copy of the built site: its instance, folders and the edits file beside its config."""

    def __init__(self, root: Path, instance: dg.DagsterInstance):
        self.root = root
        self.instance = instance
        self.projects = root / "projects"
        self.live = root / "sites" / PROJECT
        self.artifacts = root / "home" / "merlin" / "artifacts" / PROJECT

    def page(self, name: str = "index.html") -> str:
        return (self.live / name).read_text()

    def copy(self, slug: str) -> dict:
        return json.loads((self.artifacts / "phases" / f"page_copy-{slug}.json").read_text())

    def write_edits(self, data: dict | str) -> Path:
        path = self.projects / EDITS
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
        return path

    def apply(self, llm=None, **kw) -> dg.ExecuteInProcessResult:
        from merlin_assets.definitions import defs

        config = {"project": PROJECT, "edits_path": str(self.projects / EDITS)}
        return (
            defs()
            .resolve_job_def("apply_site_edits")
            .execute_in_process(
                instance=self.instance,
                run_config={"ops": {"apply_edits": {"config": config}}},
                resources={"llm": llm} if llm is not None else None,
                **kw,
            )
        )

    def live_release(self) -> str:
        return json.loads((self.root / "sites" / ".releases" / PROJECT / "LIVE").read_text())[
            "release"
        ]


@pytest.fixture
def built(golden: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    root = tmp_path / "w"
    shutil.copytree(golden, root, symlinks=True)
    (root / "projects").mkdir()
    shutil.copy(BAKERY, root / "projects" / BAKERY.name)
    _env(monkeypatch, root)
    with dg.instance_for_test(temp_dir=str(root / "home")) as instance:
        yield Site(root, instance)


def _title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def _description(html: str) -> str:
    return unescape(re.search(r'<meta name="description" content="([^"]*)"', html).group(1))


def _photo(path: Path, colour=(200, 40, 40)) -> None:
    """A camera-like JPEG with an Artist and a GPS-ish comment in its EXIF."""
    exif = Image.Exif()
    exif[0x013B] = "Jane Doe Photographer"
    exif[0x010E] = "55.9760N 3.1740W at the shop"
    Image.new("RGB", (1200, 800), colour).save(path, "JPEG", exif=exif.tobytes())


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(ServerSettings(seed=3)) as server:
        yield server


def test_every_kind_of_edit_is_published_without_a_model_call(
    built: Site, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
):
    from merlin_assets.defs.resources import LLMResource

    before, about = built.page(), built.page("about.html")
    home = {s["key"]: s for s in built.copy("home")["sections"]}
    testimonials = home["testimonials"]["heading"]
    assert testimonials in unescape(before) and "Bread worth getting up for" not in before
    _photo(built.projects / "shop.jpg")
    built.write_edits(
        {
            "pages": {
                "home": {
                    "title": "Crumb & Co | Sourdough in Leith",
                    "description": "Sourdough, pastries and cakes baked before dawn in Leith, "
                    "Edinburgh: order a celebration cake a week ahead or drop in for a loaf.",
                    "sections": {
                        "hero": {
                            "heading": "Bread worth getting up for",
                            # Text from the file is text: markup in it is shown, never run.
                            "body": "Fresh <script>alert(1)</script> every morning.",
                            "bullets": ["Baked before dawn", "Slow-fermented sourdough"],
                        },
                        "testimonials": {"hide": True},
                    },
                }
            },
            "images": {"hero": {"file": "shop.jpg", "alt": "Our red shop front on Leith Walk"}},
        }
    )
    # A real model endpoint behind the job: any call the fast path made would reach it.
    monkeypatch.setenv("OPENAI_API_KEYS", "sk-test-alpha-0001")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    llm = LLMResource.from_env(provider="openai")
    result = built.apply(llm=llm)
    assert result.success
    assert [r for r in fake.requests if r["path"] in CALL_PATHS] == []

    after = built.page()
    assert _title(after) == "Crumb & Co | Sourdough in Leith"
    assert _description(after).startswith("Sourdough, pastries and cakes baked before dawn")
    assert "Bread worth getting up for" in after
    assert "Baked before dawn" in after and "Slow-fermented sourdough" in after
    assert "<script>alert(1)" not in after and "&lt;script&gt;alert(1)" in after
    assert testimonials not in unescape(after)
    # The other pages are rendered again from their stored copy: byte for byte the same.
    assert built.page("about.html") == about
    # The hero is the user's photo, cut to the slot, with its camera data gone.
    own = built.live / "images" / "hero.own.jpg"
    assert own.is_file() and "images/hero.own-" in after
    assert "Our red shop front on Leith Walk" in after
    for path in (built.live / "images").glob("hero.own*"):
        data = path.read_bytes()
        assert b"Jane Doe" not in data and b"55.9760N" not in data, path.name
    with Image.open(own) as img:
        assert dict(img.getexif()) == {}
        assert img.getpixel((img.width // 2, img.height // 2))[0] > 150  # the red photo
    # Recorded: a release of kind "edits", a `site` materialization naming the file.
    manifest = json.loads(
        (built.root / "sites" / ".releases" / PROJECT / "manifests" / built.live_release())
        .with_suffix(".json")
        .read_text()
    )
    assert manifest["kind"] == "edits"
    [record] = built.instance.fetch_materializations(
        dg.AssetRecordsFilter(
            asset_key=dg.AssetKey("site"), asset_partitions=[PROJECT], after_storage_id=None
        ),
        limit=1,
    ).records
    meta = record.asset_materialization.metadata
    assert meta["edits_file"].value == EDITS and meta["release"].value == built.live_release()
    wheres = {c["where"] for c in meta["edits"].value}
    assert {"pages.home.title", "pages.home.sections.testimonials", "images.hero"} <= wheres
    # The count above could have seen a call: a page with no stored copy is written again,
    # through the same endpoint.
    (built.artifacts / "phases" / "page_copy-about.json").unlink()
    assert built.apply(llm=llm).success
    asked = [r for r in fake.requests if r["path"] == "/v1/chat/completions"]
    assert len(asked) >= 1


def test_merlin_edits_lists_each_entry_with_what_it_changed(built: Site):
    from merlin_assets.cli.app import app

    built.write_edits({"pages": {"home": {"sections": {"hero": {"heading": "Hot loaves"}}}}})
    assert built.apply().success
    generated = {s["key"]: s for s in built.copy("home")["sections"]}["hero"]["heading"]
    shown = CliRunner().invoke(app, ["edits", PROJECT, "--out", str(built.root / "sites")])
    assert shown.exit_code == 0, shown.output
    assert f"edits file {EDITS} (1 entries)" in shown.output
    assert f"set pages.home.sections.hero.heading: {generated!r} -> 'Hot loaves'" in shown.output


def test_bad_edits_write_nothing(built: Site):
    release = built.live_release()
    page = built.page()
    images = sorted(p.name for p in (built.artifacts / "images").iterdir())
    _photo(built.projects / "shop.jpg")
    (built.projects / "link.jpg").symlink_to(built.projects / "shop.jpg")
    for bad in (
        {"pages": {"home": {"sections": {"heroo": {"heading": "x"}}}}},
        {"pages": {"home": {"title": "New"}}, "images": {"hero": "link.jpg"}},
        {"images": {"hero": "missing.jpg"}},
    ):
        built.write_edits(bad)
        result = built.apply(raise_on_error=False)
        assert not result.success
        failure = next(e for e in result.all_events if e.is_failure)
        assert EDITS in failure.event_specific_data.error.message
    (built.projects / "evil.jpg").write_bytes(b"<svg onload=alert(1)></svg>")
    built.write_edits({"images": {"hero": "evil.jpg"}})
    assert not built.apply(raise_on_error=False).success
    assert built.live_release() == release and built.page() == page
    assert not (built.artifacts / "phases" / "edits.json").exists()
    assert sorted(p.name for p in (built.artifacts / "images").iterdir()) == images


def test_a_pin_keeps_the_published_page_through_a_changed_config(built: Site):
    about = built.page("about.html")
    pinned_body = built.copy("about")["sections"][0]["body"]
    assert unescape(pinned_body.split(".")[0]) in unescape(about)
    built.write_edits({"pages": {"about": {"pin": True}}})
    assert built.apply().success
    # The owner rewrites the business's description; the site is generated again.
    config = yaml.safe_load(BAKERY.read_text())
    config["description"] = (
        "A harbour-side bakery of rye and spelt loaves, open from six every morning for "
        "fishermen and early walkers."
    )
    changed = built.projects / BAKERY.name
    changed.write_text(yaml.safe_dump(config))
    from merlin_assets_tests.test_pipeline import _generate

    assert _generate(built.instance, changed).success
    # The model's new copy says the new description; the pinned page does not.
    assert "harbour-side bakery" in built.copy("about")["sections"][0]["body"]
    after = unescape(built.page("about.html"))
    assert "harbour-side" not in after
    assert unescape(pinned_body) in after


def _sensor_tick(built: Site, cursor: str | None = None) -> dg.SensorResult:
    from merlin_assets.defs.projects.sensors import project_configs

    result = project_configs(dg.build_sensor_context(instance=built.instance, cursor=cursor))
    assert isinstance(result, dg.SensorResult)
    return result


def _releases_rows(built: Site) -> list[tuple]:
    import duckdb

    data = built.root / "home" / "merlin" / "timings_data" / "releases"
    with duckdb.connect() as con:
        return con.execute(
            "SELECT release, project, run_id, kind FROM read_parquet(?) ORDER BY switched_at",
            [str(data / "*.parquet")],
        ).fetchall()


def test_the_sensor_applies_a_new_or_changed_edits_file_in_its_tick(built: Site):
    built.instance.add_dynamic_partitions("projects", [PROJECT])
    built.write_edits({"pages": {"home": {"sections": {"hero": {"heading": "Warm rolls"}}}}})
    # The config and its edits at once: the site is (re)built first; the edits wait a tick.
    first = _sensor_tick(built)
    assert [r.job_name for r in first.run_requests] == ["generate_site"]
    assert not first.asset_events and "Warm rolls" not in built.page()
    # Next tick: applied there and then, no run; the publish is a `site` materialization
    # naming the release now live, and a row of the DuckDB `releases` table.
    second = _sensor_tick(built, first.cursor)
    assert second.run_requests == []
    [event] = second.asset_events
    assert isinstance(event, dg.AssetMaterialization)
    assert event.asset_key == dg.AssetKey("site") and event.partition == PROJECT
    release = built.live_release()
    assert event.metadata["release"].value == release
    assert event.metadata["edits_file"].value == EDITS
    assert "Warm rolls" in built.page()
    [row] = _releases_rows(built)
    assert row[:2] == (release, PROJECT) and row[2].startswith(f"{PROJECT}-edits-")
    # Unchanged: nothing; changed: applied again, as a newer release.
    unchanged = _sensor_tick(built, second.cursor)
    assert unchanged.run_requests == [] and not unchanged.asset_events
    assert built.live_release() == release
    built.write_edits({"pages": {"home": {"sections": {"hero": {"heading": "Cinnamon buns"}}}}})
    fourth = _sensor_tick(built, second.cursor)
    [again] = fourth.asset_events
    assert again.metadata["release"].value == built.live_release() != release
    assert "Cinnamon buns" in built.page() and "Warm rolls" not in built.page()
    assert [r[0] for r in _releases_rows(built)] == [release, built.live_release()]


def _in_flight(built: Site, tags: dict[str, str]) -> None:
    """A run of the project the instance holds as started (a build the daemon launched)."""
    from merlin_assets.definitions import defs

    job = defs().resolve_job_def("apply_site_edits")
    config = {"ops": {"apply_edits": {"config": {"project": PROJECT, "edits_path": EDITS}}}}
    built.instance.create_run_for_job(
        job, run_config=config, status=dg.DagsterRunStatus.STARTED, tags=tags
    )


def _run_instead(built: Site, heading: str) -> dg.RunRequest:
    """The next tick leaves the site as it is and asks for an `apply_site_edits` run."""
    built.instance.add_dynamic_partitions("projects", [PROJECT])
    first = _sensor_tick(built)  # the config seen (its build asked for), the edits not yet
    release = built.live_release()
    built.write_edits({"pages": {"home": {"sections": {"hero": {"heading": heading}}}}})
    second = _sensor_tick(built, first.cursor)
    assert not second.asset_events
    assert built.live_release() == release and heading not in built.page()
    [request] = second.run_requests
    assert request.job_name == "apply_site_edits"
    assert request.run_key.startswith(f"{PROJECT}-edits-")
    config = request.run_config["ops"]["apply_edits"]["config"]
    assert config == {"project": PROJECT, "edits_path": str(built.projects / EDITS)}
    return request


@pytest.mark.parametrize(
    "tags", [{"dagster/partition": PROJECT}, {"merlin/config_file": EDITS}], ids=["build", "edits"]
)
def test_edits_wait_for_a_run_of_their_project_in_flight(built: Site, tags: dict[str, str]):
    from merlin_assets.definitions import defs

    _in_flight(built, tags)
    request = _run_instead(built, "Warm rolls")
    job = defs().resolve_job_def(request.job_name)
    assert job.execute_in_process(instance=built.instance, run_config=request.run_config).success
    assert "Warm rolls" in built.page()


def test_edits_refused_in_the_tick_become_a_run_that_names_the_field(built: Site):
    from merlin_assets.definitions import defs

    built.instance.add_dynamic_partitions("projects", [PROJECT])
    first = _sensor_tick(built)
    release = built.live_release()
    built.write_edits({"pages": {"home": {"sections": {"heroo": {"heading": "x"}}}}})
    second = _sensor_tick(built, first.cursor)
    assert not second.asset_events and built.live_release() == release
    [request] = second.run_requests
    job = defs().resolve_job_def(request.job_name)
    done = job.execute_in_process(
        instance=built.instance, run_config=request.run_config, raise_on_error=False
    )
    assert not done.success
    message = next(e for e in done.all_events if e.is_failure).event_specific_data.error.message
    assert EDITS in message and "heroo" in message
    assert built.live_release() == release


@pytest.mark.parametrize(
    "hosts, in_tick",
    [
        ([{"host": "folder", "path": "COPY"}], True),
        ([{"host": "s3", "bucket": "site-bucket"}], False),
        ([{"host": "folder"}, {"host": "netlify", "site_id": "abc"}], False),
    ],
    ids=["folder", "s3", "netlify"],
)
def test_edits_for_a_site_deployed_over_the_network_go_to_a_run(
    built: Site, hosts: list[dict], in_tick: bool, tmp_path: Path
):
    """A deploy over the network belongs in a run, where its time and failure show; a local
    folder copy does not hold the tick up."""
    hosts = [{**h, "path": str(tmp_path / "copy")} if h.get("path") else h for h in hosts]
    stored = built.artifacts / "phases" / "project_config.json"
    config = json.loads(stored.read_text())
    stored.write_text(json.dumps({**config, "publish": hosts}))
    if in_tick:
        built.instance.add_dynamic_partitions("projects", [PROJECT])
        first = _sensor_tick(built)
        built.write_edits({"pages": {"home": {"sections": {"hero": {"heading": "Warm rolls"}}}}})
        [event] = _sensor_tick(built, first.cursor).asset_events
        assert event.metadata["release"].value == built.live_release()
        assert "Warm rolls" in built.page()
        assert "Warm rolls" in (tmp_path / "copy" / "index.html").read_text()
    else:
        _run_instead(built, "Warm rolls")
