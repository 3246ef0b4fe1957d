"""Releases: every publish kept whole, the live site switched in one step, retention that never
loses the live release or the one before it, and hand edits carried by three-way merge.

The same model runs over a local folder and an S3 bucket (moto's server, through s3fs)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merlin_assets.releases import retention
from merlin_assets.releases.backends import FolderBackend
from merlin_assets.releases.manifest import Changes, HandEdit, Manifest, ReleaseInfo, sha256
from merlin_assets.releases.merge import merge
from merlin_assets.releases.releases import ReleaseError, Releases
from merlin_assets.releases.text import visible_lines
from merlin_assets.storage.publishing import LocalPublisher

PROJECT = "shop"


def page(title: str, body: list[str], marker: str = "") -> str:
    """A page whose lines are far apart, as rendered pages are (one element per line)."""
    paras = "\n".join(f"<p>{line}</p>\n<hr>" for line in body)
    return (
        f"<!doctype html>\n<html>\n<head><title>{title}</title></head>\n<body>\n"
        f'<main data-release="{marker}">\n<h1>{title}</h1>\n{paras}\n</main>\n</body>\n</html>\n'
    )


def site(version: int, *, pages: int = 3) -> dict[str, bytes]:
    """A site whose every file says which version it is, with pages that come and go."""
    marker = f"v{version}"
    files = {
        "index.html": page("Home", [f"welcome {marker}", "open daily", "call us"], marker),
        "assets/site.css": f"/* {marker} */ body {{ color: black; }}",
        "images/hero.webp": marker.encode() * 500,
    }
    for i in range(pages + version % 2):
        files[f"page-{i}.html"] = page(f"Page {i}", [f"text {marker}", "more"], marker)
    return {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}


def folder(root: Path, **kw) -> Releases:
    return Releases(FolderBackend(root), **kw)


# --- the switch ---------------------------------------------------------------------------------


def _read_pinned(site_dir: Path) -> dict[str, bytes]:
    """Every file of the site read through one open folder, as a server pins its root for a
    request: what a reader that started before a switch goes on reading."""
    out: dict[str, bytes] = {}

    def walk(fd: int, prefix: str) -> None:
        for entry in os.scandir(fd):
            rel = f"{prefix}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                sub = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                try:
                    walk(sub, rel + "/")
                finally:
                    os.close(sub)
            else:
                file_fd = os.open(entry.name, os.O_RDONLY, dir_fd=fd)
                with os.fdopen(file_fd, "rb") as fh:
                    out[rel] = fh.read()

    root = os.open(site_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        walk(root, "")
    finally:
        os.close(root)
    return out


def test_a_reader_polling_during_switches_never_sees_a_mixed_site(tmp_path: Path):
    """Twenty publishes and five rollbacks while a thread reads the whole live site over and
    over: each pass finds one release's files, all of them, each whole."""
    pub = LocalPublisher(tmp_path, keep=4)
    versions = {0: site(0)}
    pub.publish(PROJECT, versions[0])
    live = tmp_path / PROJECT
    switches = [0]  # switches completed, read by the reader before and after each pass
    passes: list[tuple[int, int, dict[str, bytes]]] = []
    crashed: list[BaseException] = []
    stop = threading.Event()

    def poll() -> None:
        try:
            while not stop.is_set():
                before = switches[0]
                try:
                    files = _read_pinned(live)
                except FileNotFoundError as exc:  # judged below by when it happened
                    files = {"error": str(exc).encode()}
                passes.append((before, switches[0], files))
        except BaseException as exc:  # the main thread reports it
            crashed.append(exc)

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for v in range(1, 21):
            versions[v] = site(v)
            pub.publish(PROJECT, versions[v])
            switches[0] += 1
            if v % 4 == 0:
                pub.release_store.rollback(PROJECT)
                switches[0] += 1
    finally:
        stop.set()
        reader.join()
    assert crashed == []
    seen = set()
    for before, after, files in passes:
        # A reader keeps its folder until the second switch after it opened it (the swapped
        # out copy is kept until the next switch); passes that outlived two are not judged.
        if after - before >= 2:
            continue
        assert "error" not in files, files["error"]
        version = int(files["index.html"].split(b'data-release="v')[1].split(b'"')[0])
        seen.add(version)
        assert files == versions[version], f"pass mixed versions: {sorted(files)}"
    judged = [p for p in passes if p[1] - p[0] < 2]
    assert len(judged) >= 10 and len(seen) >= 3, (len(judged), seen)


def test_first_publish_lays_out_a_release_and_a_live_copy(tmp_path: Path):
    pub = LocalPublisher(tmp_path)
    published = pub.publish_release(PROJECT, site(1), ReleaseInfo(run_id="run-1"))
    live = tmp_path / PROJECT
    assert not live.is_symlink() and (live / "index.html").read_bytes() == site(1)["index.html"]
    release = tmp_path / ".releases" / PROJECT / "releases" / published.release
    assert {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} == set(
        site(1)
    )
    manifest = pub.release_store.manifest(PROJECT, published.release)
    assert manifest.run_id == "run-1" and manifest.parent is None
    assert manifest.files == {rel: sha256(data) for rel, data in site(1).items()}
    pointer = json.loads((tmp_path / ".releases" / PROJECT / "LIVE").read_text())
    assert pointer == {"release": published.release, "previous": None}


def test_a_release_records_what_changed_against_its_parent(tmp_path: Path):
    pub = LocalPublisher(tmp_path)
    first = pub.publish_release(PROJECT, site(2))
    changed = dict(site(2))
    changed["index.html"] = page("Home", ["welcome v2", "open on sundays too", "call us"], "v2")
    del changed["page-0.html"]
    changed["page-9.html"] = page("New", ["brand new words here"])
    changed["images/hero.webp"] = b"other"
    second = pub.publish_release(PROJECT, changed)
    c = second.manifest.changes
    assert second.manifest.parent == first.release
    assert (c.pages_added, c.pages_changed, c.pages_removed) == (
        ["page-9.html"],
        ["index.html"],
        ["page-0.html"],
    )
    assert c.images_changed == ["images/hero.webp"] and c.images_added == []
    # "open daily" became "open on sundays too": 1 word out, 3 in.
    assert c.words_changed["index.html"] == 4
    assert c.words_changed["page-9.html"] == 6  # title and heading "New", "brand new words here"


# --- retention ------------------------------------------------------------------------------


ids = st.lists(
    st.integers(min_value=0, max_value=60).map(lambda i: f"r{i:03d}"), unique=True, max_size=40
)


@settings(max_examples=300, deadline=None)
@given(complete=ids, extra=ids, keep=st.integers(0, 25), data=st.data())
def test_retention_never_deletes_live_or_protected_and_keeps_the_newest(
    complete, extra, keep, data
):
    live = data.draw(st.sampled_from(complete)) if complete else None
    protected = data.draw(st.lists(st.sampled_from(complete), max_size=2)) if complete else []
    gone = retention.to_delete(complete, extra, live=live, protected=protected, keep=keep)
    assert live not in gone and not set(protected) & set(gone)
    newest = sorted(complete)[-keep:] if keep else []
    assert not set(newest) & set(gone)
    assert set(gone) <= set(complete) | set(extra)
    # Every complete release past the newest `keep` and unprotected goes.
    assert {r for r in complete if r not in {live, *protected, *newest}} <= set(gone)
    # An incomplete release newer than the live one may be a publish still writing.
    assert all(r < live for r in gone if r not in complete) if live else True


def test_retention_keeps_the_last_n_and_the_one_before_live_after_a_rollback(tmp_path: Path):
    pub = LocalPublisher(tmp_path, keep=5)
    made = [pub.publish_release(PROJECT, site(v)).release for v in range(8)]
    kept = [m.release for m in pub.release_store.manifests(PROJECT)]
    assert kept == made[-5:]
    on_disk = sorted(os.listdir(tmp_path / ".releases" / PROJECT / "releases"))
    assert on_disk == made[-5:]
    # Roll back to the oldest kept one, then publish 5 more: the rolled-back release was live
    # and is the parent of the next, so it is kept while newer ones go.
    pub.release_store.rollback(PROJECT, made[3][:20])
    assert pub.release_store.live(PROJECT) == made[3]
    after = [pub.publish_release(PROJECT, site(10 + v)).release for v in range(5)]
    kept = [m.release for m in pub.release_store.manifests(PROJECT)]
    assert kept == after  # five newest: made[3] is neither live nor the one before any more
    pub.release_store.rollback(PROJECT)
    assert pub.release_store.live(PROJECT) == after[-2]
    assert after[-1] in [m.release for m in pub.release_store.manifests(PROJECT)]


def test_rollback_is_atomic_and_says_what_was_live(tmp_path: Path):
    pub = LocalPublisher(tmp_path)
    one = pub.publish_release(PROJECT, site(1)).release
    two = pub.publish_release(PROJECT, site(2)).release
    done = pub.release_store.rollback(PROJECT)
    assert (done.release, done.previous, done.snapshot) == (one, two, None)
    live = tmp_path / PROJECT
    assert {p.relative_to(live).as_posix() for p in live.rglob("*") if p.is_file()} == set(site(1))
    assert (live / "index.html").read_bytes() == site(1)["index.html"]
    with pytest.raises(ReleaseError, match="matches no release"):
        pub.release_store.rollback(PROJECT, "2001")


# --- hand edits -----------------------------------------------------------------------------


def test_a_hand_edit_is_merged_into_the_next_publish(tmp_path: Path):
    pub = LocalPublisher(tmp_path)
    pub.publish(PROJECT, site(1))
    about = tmp_path / PROJECT / "index.html"
    about.write_text(about.read_text().replace("call us", "call us on 0131 496 0000"))
    edits = pub.release_store.hand_edits(PROJECT)
    assert [(e.path, e.what, e.since_publish) for e in edits] == [("index.html", "edited", True)]
    new = site(3)  # "welcome v3" instead of "welcome v1", far from the edit
    published = pub.publish_release(PROJECT, new)
    text = about.read_text()
    assert "call us on 0131 496 0000" in text and "welcome v3" in text
    assert [(e.path, e.outcome) for e in published.manifest.hand_edits] == [
        ("index.html", "merged")
    ]
    # Still a hand edit (of the new generated page), carried again by the publish after.
    assert [e.since_publish for e in pub.release_store.hand_edits(PROJECT)] == [False]
    pub.publish(PROJECT, site(5))
    assert "call us on 0131 496 0000" in about.read_text() and "welcome v5" in about.read_text()


def test_a_conflicting_hand_edit_stays_live_with_the_new_page_beside_it(tmp_path: Path):
    pub = LocalPublisher(tmp_path)
    pub.publish(PROJECT, site(1))
    index = tmp_path / PROJECT / "index.html"
    mine = index.read_text().replace("welcome v1", "welcome, friends")
    index.write_text(mine)
    published = pub.publish_release(PROJECT, site(3))
    assert index.read_text() == mine
    beside = tmp_path / PROJECT / "index.html.new"
    assert beside.read_bytes() == site(3)["index.html"]
    assert [(c.path, c.new_path) for c in published.conflicts] == [("index.html", "index.html.new")]
    # Everything else is the new site.
    assert (tmp_path / PROJECT / "page-0.html").read_bytes() == site(3)["page-0.html"]


def test_a_file_added_by_hand_is_kept_and_rollback_snapshots_unpublished_edits(tmp_path: Path):
    pub = LocalPublisher(tmp_path)
    first = pub.publish_release(PROJECT, site(1)).release
    pub.publish(PROJECT, site(2))
    verify = tmp_path / PROJECT / "google123.html"
    verify.write_text("google-site-verification: google123.html")
    known = tmp_path / PROJECT / ".well-known" / "security.txt"
    known.parent.mkdir()
    known.write_text("Contact: mailto:hello@shop.example")
    pub.publish(PROJECT, site(3))
    assert verify.read_text() == "google-site-verification: google123.html"
    assert known.read_text() == "Contact: mailto:hello@shop.example"
    index = tmp_path / PROJECT / "index.html"
    index.write_text(index.read_text().replace("call us", "ring us"))
    done = pub.release_store.rollback(PROJECT, first)
    assert done.snapshot is not None and done.previous == done.snapshot
    assert "ring us" not in index.read_text()
    snap = pub.release_store.manifest(PROJECT, done.snapshot)
    assert snap.kind == "snapshot"
    assert b"ring us" in pub.release_store.read(PROJECT, done.snapshot, "index.html")
    # Rolling forward to the snapshot brings the edit back, still counted as a hand edit.
    pub.release_store.rollback(PROJECT, done.snapshot)
    assert "ring us" in index.read_text()
    assert {e.path for e in pub.release_store.hand_edits(PROJECT)} == {
        "index.html",
        "google123.html",
        ".well-known/security.txt",
    }


def test_redoing_items_makes_a_new_release_from_the_generated_files(tmp_path: Path):
    pub = LocalPublisher(tmp_path)
    first = pub.publish_release(PROJECT, site(1))
    index = tmp_path / PROJECT / "index.html"
    index.write_text(index.read_text().replace("call us", "ring us"))
    pub.replace_files(PROJECT, {"images/hero.webp": b"redrawn"})
    live = pub.release_store.live(PROJECT)
    assert live != first.release
    manifest = pub.release_store.manifest(PROJECT, live)
    assert manifest.kind == "items" and manifest.changes.images_changed == ["images/hero.webp"]
    assert (tmp_path / PROJECT / "images" / "hero.webp").read_bytes() == b"redrawn"
    assert "ring us" in index.read_text()  # the hand edit carried, not lost
    # The first release is untouched by either.
    assert pub.release_store.read(PROJECT, first.release, "index.html") == site(1)["index.html"]
    # Asking for the edited page itself again: the new page goes live over the edit, and the
    # edit is kept in a snapshot release, one rollback away.
    index.write_text(index.read_text().replace("open daily", "open most days"))
    redone = page("Home", ["welcome again", "open daily", "call us"], "v1")
    pub.replace_files(PROJECT, {"index.html": redone})
    assert index.read_text() == redone
    live = pub.release_store.manifest(PROJECT, pub.release_store.live(PROJECT))
    assert [(e.path, e.outcome) for e in live.hand_edits] == [("index.html", "replaced")]
    snapshot = pub.release_store.manifest(PROJECT, live.parent)
    assert snapshot.kind == "snapshot"
    kept = pub.release_store.read(PROJECT, snapshot.release, "index.html").decode()
    assert "open most days" in kept and "ring us" in kept


WRITER = """
import sys
from pathlib import Path
from merlin_assets.releases.backends import FolderBackend
from merlin_assets.releases.releases import Releases
root, name, times = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
releases = Releases(FolderBackend(root), keep=1000)
for i in range(times):
    releases.publish_items("shop", {f"{name}.html": f"{name} {i}".encode()})
"""


def test_two_processes_redoing_pages_of_one_site_lose_neither_change(tmp_path: Path):
    """A page redone by `merlin regenerate` while the sensor applies edits: each writer reads
    the live release and switches to its child. They take turns (the folder's publish lock),
    so every release's parent is the one live before it and both last versions are live."""
    import subprocess
    import sys

    releases = folder(tmp_path, keep=1000)
    first = releases.publish(PROJECT, site(1))
    times = 15
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, str(times)])
        for name in ("page-0", "page-1")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    live = tmp_path / PROJECT
    assert (live / "page-0.html").read_bytes() == f"page-0 {times - 1}".encode()
    assert (live / "page-1.html").read_bytes() == f"page-1 {times - 1}".encode()
    # One line of releases: each the child of the one live before it, none lost.
    chain, current = [], releases.live(PROJECT)
    while current != first.release:
        chain.append(current)
        current = releases.manifest(PROJECT, current).parent
    assert len(chain) == 2 * times


# --- pure parts -----------------------------------------------------------------------------

lines = st.lists(st.text(alphabet="abcxyz ", min_size=1, max_size=8), min_size=6, max_size=30)


@settings(max_examples=200, deadline=None)
@given(base=lines, data=st.data())
def test_merge_keeps_both_sides_edits_that_are_apart(base, data):
    n = len(base)
    i = data.draw(st.integers(0, n // 2 - 2))
    j = data.draw(st.integers(n // 2 + 1, n - 1))
    ours, theirs = list(base), list(base)
    ours[i] = "OURS"
    theirs[j] = "THEIRS"

    def text(ls):
        return "".join(f"{line}\n" for line in ls).encode()

    merged = merge("page.html", text(base), text(ours), text(theirs))
    expected = list(base)
    expected[i], expected[j] = "OURS", "THEIRS"
    assert merged.data == text(expected)
    # One side unchanged: the other wins whole; both the same: that.
    assert merge("p.html", text(base), text(base), text(theirs)).data == text(theirs)
    assert merge("p.html", text(base), text(ours), text(base)).data == text(ours)


def test_merge_of_the_same_line_is_a_conflict_and_binary_files_never_merge():
    base, ours, theirs = b"a\nb\nc\n", b"a\nB\nc\n", b"a\nX\nc\n"
    assert merge("p.html", base, ours, theirs).data is None
    assert merge("images/a.webp", b"1", b"2", b"3").data is None


manifests = st.builds(
    Manifest,
    release=st.just("20260101T000000000000Z-0123abcd"),
    project=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
    created_at=st.floats(0, 2e9),
    run_id=st.none() | st.uuids().map(str),
    config_digest=st.none() | st.text(max_size=64),
    files=st.dictionaries(st.text(min_size=1, max_size=30), st.text(max_size=64), max_size=8),
    changes=st.builds(Changes, words_changed=st.dictionaries(st.text(), st.integers(0, 10**6))),
    hand_edits=st.lists(
        st.builds(HandEdit, path=st.text(min_size=1), outcome=st.sampled_from(["merged"]))
    ),
    note=st.none() | st.text(),
)


@settings(max_examples=100, deadline=None)
@given(manifests)
def test_a_manifest_round_trips_through_its_file(manifest):
    assert Manifest.from_bytes(manifest.to_bytes()) == manifest


def test_visible_text_leaves_out_markup_scripts_and_styles():
    html = (
        "<html><head><title>Shop</title><style>p{}</style></head><body><nav><a href='/'>Home"
        "</a></nav><script>var x = 1;</script><h1>Fresh &amp; warm</h1><p>Open <b>daily</b>."
        "</p></body></html>"
    )
    assert visible_lines(html) == ["Shop", "Home", "Fresh & warm", "Open daily."]


# --- the object store -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bucket() -> Iterator:
    pytest.importorskip("s3fs")
    from merlin_assets.testing.s3_server import S3Server, credentials

    saved = {k: os.environ.get(k) for k in credentials()}
    os.environ.update(credentials())
    try:
        with S3Server() as server:
            server.make_bucket("merlin-releases")
            yield server
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.mark.needs_extra("fleet")
@pytest.mark.needs_service("moto_server")
def test_the_object_store_keeps_the_same_releases_as_the_folder(bucket, tmp_path: Path):
    from merlin_assets.storage.object_publisher import ObjectStorePublisher

    fs = bucket.filesystem()
    remote = ObjectStorePublisher(fs, "merlin-releases/sites", keep=3)
    local = LocalPublisher(tmp_path, keep=3)
    for v in range(5):
        for pub in (remote, local):
            pub.publish_release(PROJECT, site(v), ReleaseInfo(run_id=f"run-{v}"))
    for pub in (remote, local):
        kept = pub.release_store.manifests(PROJECT)
        assert [m.run_id for m in kept] == ["run-2", "run-3", "run-4"]
        assert [m.changes for m in kept] == [
            m.changes for m in local.release_store.manifests(PROJECT)
        ]
    assert remote.releases(PROJECT) == [m.release for m in remote.release_store.manifests(PROJECT)]
    back = remote.release_store.rollback(PROJECT)
    pointer = remote.live(PROJECT)
    assert pointer["release"] == back.release and pointer["previous"] == back.previous
    prefix = remote.live_url(PROJECT).removeprefix("s3://")
    assert fs.cat_file(f"{prefix}/index.html") == site(3)["index.html"]
    assert sorted(pointer["files"]) == sorted(site(3))


# --- the Dagster job ------------------------------------------------------------------------


def test_the_rollback_job_in_the_code_location_switches_and_records_a_site_materialization(
    tmp_path: Path,
):
    """What the UI's launchpad runs: the job from the definitions, with run config only."""
    import dagster as dg

    from merlin_assets.definitions import defs
    from merlin_assets.defs.resources import PathsResource

    sites = tmp_path / "sites"
    pub = LocalPublisher(sites)
    one = pub.publish_release(PROJECT, site(1)).release
    two = pub.publish_release(PROJECT, site(2)).release
    job = defs().resolve_job_def("rollback_site")
    (tmp_path / "home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
        instance.add_dynamic_partitions("projects", [PROJECT])
        result = job.execute_in_process(
            instance=instance,
            run_config={"ops": {"rollback": {"config": {"project": PROJECT, "release": one[:22]}}}},
            resources={"paths": PathsResource(sites_dir=str(sites), work_dir=str(tmp_path))},
        )
        assert result.success
        [record] = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("site"), asset_partitions=[PROJECT]),
            limit=5,
        ).records
        meta = record.asset_materialization.metadata
        assert (meta["release"].value, meta["replaced"].value) == (one, two)
        assert meta["rollback"].value is True
        # Published without a run here: no stored config, so no host is known; said, not failed.
        assert meta["deploys"].value == []
        assert any(
            "no stored config" in (r.user_message or "") for r in instance.all_logs(result.run_id)
        )
        bad = job.execute_in_process(
            instance=instance,
            run_config={"ops": {"rollback": {"config": {"project": PROJECT, "release": "1999"}}}},
            resources={"paths": PathsResource(sites_dir=str(sites), work_dir=str(tmp_path))},
            raise_on_error=False,
        )
        assert not bad.success
    assert (sites / PROJECT / "index.html").read_bytes() == site(1)["index.html"]
    assert pub.release_store.live(PROJECT) == one
