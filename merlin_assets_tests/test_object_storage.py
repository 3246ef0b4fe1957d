"""Fleet mode on object storage: artifacts, published sites and timings in an S3 bucket.

Everything runs against moto's S3 server (in memory, 127.0.0.1, a free port) through s3fs,
the same client a worker uses against AWS or MinIO.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from merlin_assets.config.environment import Settings
from merlin_assets.config.project import load_config
from merlin_assets.engine import Calls, Scheduler
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.phases import graph
from merlin_assets.storage import StorageLocation, artifact_store, publisher
from merlin_assets.storage.artifacts import ObjectArtifactStore
from merlin_assets.storage.local import ArtifactStore, MissingArtifactError
from merlin_assets.storage.object_publisher import ObjectStorePublisher
from merlin_assets.testing.s3_server import S3Server, credentials
from merlin_assets.timings.rows import Entry, RunInfo, build_rows
from merlin_assets.timings.store import ObjectTimingsStore, TimingsStore
from merlin_assets.timings.store import timings_store as make_timings_store
from merlin_assets.types.pages import PagePlan
from merlin_assets_tests.html_refs import refs_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs_extra("fleet"),
    pytest.mark.needs_service("moto_server"),
]

ROOT = Path(__file__).resolve().parents[1]
BAKERY = ROOT / "examples" / "projects" / "crumb-and-co-bakery.yaml"
BUCKET = "merlin-fleet"
GRAPH = graph()
# Everything up to the published site; the quality assessment reads a local folder.
SITE_NODES = [n for n in GRAPH.project_nodes if n != "quality_assessment"]


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    saved = {k: os.environ.get(k) for k in credentials()}
    os.environ.update(credentials())
    try:
        with S3Server() as server:
            server.make_bucket(BUCKET)
            yield server
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def settings(s3: S3Server) -> Settings:
    return Settings(storage_url=f"s3://{BUCKET}/fleet", s3_endpoint_url=s3.endpoint_url)


# --- the factories ---------------------------------------------------------------------------


def test_unset_storage_url_keeps_local_folders(tmp_path: Path):
    plain = Settings(storage_url=None)
    store = artifact_store(plain, tmp_path / "artifacts")
    assert type(store) is ArtifactStore and store.root == tmp_path / "artifacts"
    assert publisher(plain, tmp_path / "sites").location("shop") == str(tmp_path / "sites/shop")
    timings = make_timings_store(plain, tmp_path / "t.duckdb")
    assert type(timings) is TimingsStore and timings.db_path == tmp_path / "t.duckdb"


def test_storage_url_is_parsed_strictly():
    assert StorageLocation.parse("s3://b/a/b/") == StorageLocation("b", "a/b")
    assert StorageLocation.parse("s3://b").path("x") == "b/x"
    for bad in ("/local/path", "gs://b/p", "s3://", "s3://b/../x"):
        with pytest.raises(ValueError):
            StorageLocation.parse(bad)


def test_settings_choose_the_bucket(settings: Settings, tmp_path: Path):
    store = artifact_store(settings, tmp_path / "unused")
    assert isinstance(store, ObjectArtifactStore)
    assert store.remote_root == f"{BUCKET}/fleet/artifacts"
    pub = publisher(settings, tmp_path / "unused")
    assert pub.location("shop") == f"s3://{BUCKET}/fleet/sites/shop"
    assert isinstance(make_timings_store(settings, tmp_path / "unused"), ObjectTimingsStore)
    assert not (tmp_path / "unused").exists()


# --- the artifact store ----------------------------------------------------------------------


def test_artifact_store_round_trip_across_workers(s3: S3Server):
    fs = s3.filesystem()
    root = f"{BUCKET}/round-trip/artifacts"
    one, two = ObjectArtifactStore(fs, root), ObjectArtifactStore(fs, root)
    config = load_config(BAKERY)
    one.save("shop", "project_config", config)
    assert two.has("shop", "project_config") and not two.has("shop", "nothing")
    assert two.load_config("shop") == config
    with pytest.raises(MissingArtifactError):
        two.load("shop", "nothing", PagePlan)

    # An item: its files, then its record; the record reaches the bucket last.
    images = one.images_dir("shop")
    images.mkdir(parents=True, exist_ok=True)
    (images / "hero-480.webp").write_bytes(b"w" * 480)
    (images / "hero.jpg").write_bytes(b"j" * 960)
    one.save_json(images / "hero.json", {"key": "hero"})
    keys = set(fs.find(f"{root}/shop/images"))
    assert keys == {f"{root}/shop/images/{n}" for n in ("hero-480.webp", "hero.jpg", "hero.json")}

    # Another worker, another scratch folder: the files are fetched on demand.
    theirs = two.images_dir("shop")
    assert theirs != images
    assert (theirs / "hero-480.webp").read_bytes() == b"w" * 480
    assert json.loads((theirs / "hero.json").read_text()) == {"key": "hero"}
    # Unchanged: nothing fetched again. Changed in the bucket: fetched again.
    assert two.download(theirs) == 0
    (images / "hero.jpg").write_bytes(b"J" * 960)
    one.save_json(images / "hero.json", {"key": "hero", "v": 2})
    assert two.download(theirs) == 2
    assert (theirs / "hero.jpg").read_bytes() == b"J" * 960

    # A file written here and not yet uploaded is never replaced by the bucket's older copy.
    (theirs / "hero.jpg").write_bytes(b"mine")
    fs.pipe_file(f"{root}/shop/images/hero.jpg", b"someone else's")
    two.images_dir("shop")
    assert (theirs / "hero.jpg").read_bytes() == b"mine"

    # Nothing local is needed: the scratch folder goes with the store.
    scratch = one.root
    del one
    import gc

    gc.collect()
    assert not scratch.exists()


# --- a whole site through the scheduler, on the bucket ----------------------------------------


def local_refs(html: str) -> set[str]:
    """Site-relative files a page links to or embeds (no anchors, mail, phone, or web URLs)."""
    found = set()
    for ref in refs_of(html):
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        found.add(parts.path.lstrip("./").lstrip("/") or "index.html")
    return found


def _scheduler(store, pub, selected_emit: dict | None = None) -> Scheduler:
    return Scheduler(
        graph=GRAPH,
        project_id=load_config(BAKERY).project_id,
        calls=Calls(OfflineLLM()),
        store=store,
        publisher=pub,
        max_concurrency=4,
        emit=(lambda e: selected_emit.__setitem__(e.asset, e.value))
        if selected_emit is not None
        else (lambda e: None),
        config_path=BAKERY,
    )


def _site_files(fs, pub: ObjectStorePublisher, project: str) -> dict[str, bytes]:
    pointer = pub.live(project)
    assert pointer is not None
    prefix = pub.live_url(project).removeprefix("s3://")
    return {rel: fs.cat_file(f"{prefix}/{rel}") for rel in pointer["files"]}


def _broken_links(files: dict[str, bytes]) -> dict[str, set[str]]:
    broken = {}
    for rel, data in files.items():
        if rel.endswith(".html"):
            missing = {r for r in local_refs(data.decode()) if r not in files}
            if missing:
                broken[rel] = missing
    return broken


@pytest.fixture(scope="module")
def built(s3: S3Server, settings: Settings, tmp_path_factory) -> dict:
    """The bakery built once through the scheduler with the bucket store and publisher."""
    store = artifact_store(settings, tmp_path_factory.mktemp("unused"))
    pub = publisher(settings, tmp_path_factory.mktemp("unused"))
    values: dict = {}
    started = time.perf_counter()
    import asyncio

    asyncio.run(_scheduler(store, pub, values).run(SITE_NODES))
    return {
        "store": store,
        "publisher": pub,
        "values": values,
        "project": load_config(BAKERY).project_id,
        "seconds": time.perf_counter() - started,
    }


def test_whole_site_builds_on_the_bucket(built: dict, s3: S3Server):
    fs, pub, project = s3.filesystem(), built["publisher"], built["project"]
    files = _site_files(fs, pub, project)
    pages = [r for r in files if r.endswith(".html")]
    images = [r for r in files if r.startswith("images/")]
    print(f"built in {built['seconds']:.1f}s: {len(pages)} pages, {len(images)} image files")
    assert "index.html" in files and "sitemap.xml" in files and len(pages) >= 3
    assert images, "the site has no images"
    assert _broken_links(files) == {}
    every_page_links = {r for p in pages for r in local_refs(files[p].decode())}
    assert any(r.startswith("images/") for r in every_page_links)
    assert "assets/site.css" in every_page_links
    # The artifacts are in the bucket, not only in the worker's scratch folder.
    art = f"{BUCKET}/fleet/artifacts/{project}"
    stored = set(fs.find(art))
    assert f"{art}/phases/page_plan.json" in stored
    assert any(k.startswith(f"{art}/images/") and k.endswith(".webp") for k in stored)
    assert any(k.startswith(f"{art}/pages/") and k.endswith(".html") for k in stored)
    assert any(k.startswith(f"{art}/brand/") for k in stored)


def test_another_worker_republishes_with_fewer_pages(built: dict, s3: S3Server, settings):
    """A fresh store (another machine) loads every upstream result from the bucket."""
    fs, project = s3.filesystem(), built["project"]
    pub = ObjectStorePublisher(fs, f"{BUCKET}/fleet/sites", keep=2)
    other = artifact_store(settings, Path("unused"))
    assert list(other.root.iterdir()) == []  # a new worker: an empty scratch folder
    plan = other.load(project, "page_plan", PagePlan)
    dropped = plan.pages[-1].slug
    fewer = plan.model_copy(update={"pages": plan.pages[:-1]})
    other.save(project, "page_plan", fewer)
    try:
        before = _site_files(fs, pub, project)
        # With the nodes that declare pages (the privacy notice): their navigation is the
        # plan's, so a plan with a page fewer remakes them, as a Dagster run of everything
        # downstream of the plan does; loaded as last built they would link the dropped page.
        declared = [name for name, node in graph().nodes.items() if node.pages]
        asyncio_run(_scheduler(other, pub).run(["site", *declared]))
        after = _site_files(fs, pub, project)
    finally:
        other.save(project, "page_plan", plan)
    gone = sorted(set(before) - set(after))
    assert gone and all(dropped in g for g in gone if g.endswith(".html")), gone
    assert _broken_links(after) == {}
    # Stale objects are gone: only the pointer, the live release and the one before it (kept
    # for rollback and for readers in flight), each with its manifest, remain.
    site = f"{BUCKET}/fleet/sites/{project}"
    pointer = pub.live(project)
    live, previous = pointer["release"], pointer["previous"]
    assert pub.releases(project) == [previous, live]
    kept = {f"{site}/LIVE"} | {f"{site}/manifests/{r}.json" for r in (previous, live)}
    kept |= {f"{site}/releases/{live}/{rel}" for rel in after}
    kept |= {f"{site}/releases/{previous}/{rel}" for rel in before}
    assert set(fs.find(site)) == kept


def asyncio_run(coro):
    import asyncio

    return asyncio.run(coro)


def test_reader_never_sees_a_page_linking_to_a_missing_object(built: dict, s3: S3Server):
    """A reader polls the bucket while the site is republished 10 times, alternating between
    the full site and one with a page fewer (so pages and their images come and go)."""
    fs, project = s3.filesystem(), built["project"]
    pub = ObjectStorePublisher(fs, f"{BUCKET}/fleet/sites", keep=2)
    full = _site_files(fs, pub, project)
    drop = sorted(r for r in full if r.endswith(".html") and r != "index.html")[-1]
    smaller = {r: d for r, d in full.items() if r != drop}
    for rel in list(smaller):
        if rel.endswith(".html"):
            html = smaller[rel].decode()
            smaller[rel] = html.replace(f'href="{drop}"', 'href="index.html"').encode()
    assert _broken_links(smaller) == {}

    published: list[str] = []
    problems: list[str] = []
    crashed: list[BaseException] = []
    checked = {"pages": 0, "links": 0, "rounds": 0, "releases": set()}
    stop = threading.Event()
    reader_fs = s3.filesystem()
    reader_pub = ObjectStorePublisher(reader_fs, f"{BUCKET}/fleet/sites")

    def read_once():
        pointer = reader_pub.live(project)
        release = pointer["release"]
        prefix = f"{BUCKET}/fleet/sites/{project}/releases/{release}"
        checked["releases"].add(release)
        present = {k.removeprefix(prefix + "/") for k in reader_fs.find(prefix)}
        for page in sorted(r for r in pointer["files"] if r.endswith(".html")):
            try:
                html = reader_fs.cat_file(f"{prefix}/{page}").decode()
            except FileNotFoundError:
                problems.append(f"{release}: listed page {page} missing")
                continue
            refs = local_refs(html)
            checked["pages"] += 1
            checked["links"] += len(refs)
            missing = refs - present
            for ref in list(missing):
                if reader_fs.exists(f"{prefix}/{ref}"):
                    missing.discard(ref)
            if missing:
                problems.append(f"{release}: {page} links to missing {sorted(missing)}")
        checked["rounds"] += 1

    def read():
        try:
            while not stop.is_set():
                read_once()
        except BaseException as err:
            crashed.append(err)

    reader = threading.Thread(target=read)
    reader.start()
    timings = []
    try:
        for i in range(10):
            t0 = time.perf_counter()
            pub.publish(project, smaller if i % 2 == 0 else full)
            timings.append(time.perf_counter() - t0)
            published.append(pub.live(project)["release"])
    finally:
        stop.set()
        reader.join()
    print(
        f"10 publishes of {len(full)} files: {min(timings):.2f}-{max(timings):.2f}s each; "
        f"reader checked {checked['pages']} pages, {checked['links']} links over "
        f"{checked['rounds']} rounds of {len(checked['releases'])} releases"
    )
    assert crashed == []
    assert problems == []
    assert checked["rounds"] >= 3 and len(checked["releases"]) >= 3
    # Only the live release and the one before it remain.
    assert pub.releases(project) == published[-2:]


def test_replace_files_makes_a_new_release_of_the_live_one(built: dict, s3: S3Server):
    fs, project = s3.filesystem(), built["project"]
    pub = ObjectStorePublisher(fs, f"{BUCKET}/fleet/sites")
    before = pub.live(project)
    pub.replace_files(project, {"robots.txt": "User-agent: *\n", "extra/new.txt": b"x"})
    after = pub.live(project)
    # Releases are never written again: the redone files make a new one, switched in whole.
    assert after["release"] != before["release"] and after["previous"] == before["release"]
    assert set(after["files"]) == set(before["files"]) | {"extra/new.txt"}
    prefix = pub.live_url(project).removeprefix("s3://")
    assert fs.cat_file(f"{prefix}/robots.txt") == b"User-agent: *\n"
    old = f"{BUCKET}/fleet/sites/{project}/releases/{before['release']}"
    assert fs.cat_file(f"{old}/robots.txt") != b"User-agent: *\n"
    pub.replace_files("nosuchsite", {"a.txt": b"x"})
    assert pub.live("nosuchsite") is None


# --- timings ---------------------------------------------------------------------------------


def _run_rows(run_id: str):
    entries = [
        Entry(
            "design_context",
            None,
            {
                "started_at": "2026-01-01T00:00:00+00:00",
                "finished_at": "2026-01-01T00:00:04+00:00",
                "duration_s": 4.0,
                "depth": 1,
            },
        )
    ]
    return build_rows(RunInfo(run_id=run_id, project="shop", status="SUCCESS"), entries)


def test_timings_in_the_bucket_read_from_any_machine(settings: Settings, s3: S3Server, tmp_path):
    store = make_timings_store(settings, tmp_path / "unused.duckdb")
    store.write_run(_run_rows("run-a"))
    store.write_run(_run_rows("run-b"))
    store.write_run(_run_rows("run-a"))  # again: replaces, no duplicate rows
    fs = s3.filesystem()
    keys = fs.find(f"{BUCKET}/fleet/timings")
    assert f"{BUCKET}/fleet/timings/runs/run-a.parquet" in keys
    assert not (tmp_path / "unused.duckdb").exists()
    assert sorted(store.run_ids()) == ["run-a", "run-b"]
    assert store.summary("run-a")["wall_s"] == 4.0

    # Another process with only the settings in its environment reads the same runs.
    env = {
        **os.environ,
        "MERLIN_STORAGE_URL": settings.storage_url,
        "MERLIN_S3_ENDPOINT_URL": settings.s3_endpoint_url,
    }
    code = (
        "from pathlib import Path\n"
        "from merlin_assets.config.environment import Settings\n"
        "from merlin_assets.timings.store import timings_store\n"
        "s = timings_store(Settings(), Path('nowhere.duckdb'))\n"
        "print(sorted(s.run_ids()), s.latest_run_id('shop') in {'run-a', 'run-b'})\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=True,
    )
    assert out.stdout.strip() == "['run-a', 'run-b'] True"
    assert not (tmp_path / "nowhere.duckdb").exists()
