"""The projects sensor on a folder and on an S3 prefix: a small cursor, unchanged files never
read again, and snapshots any worker can read."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from merlin_assets.defs.projects.sensors import project_configs
from merlin_assets.phases.project_config import _read
from merlin_assets.projects.files import scan
from merlin_assets.projects.sources import BucketSource, FolderSource
from merlin_assets.testing.s3_server import S3Server
from merlin_assets_tests.conftest import EXAMPLES

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
# The bucket tests: S3 through s3fs (the fleet extra) against moto's server.
FLEET = pytest.mark.needs_extra("fleet")
MOTO = pytest.mark.needs_service("moto_server")


def _config(i: int) -> bytes:
    data = yaml.safe_load(BAKERY.read_text())
    data["name"] = f"Crumb Branch {i}"
    data.pop("id", None)
    data.pop("project_id", None)
    return yaml.safe_dump(data).encode()


class CountingFolder(FolderSource):
    """The real folder source, counting the files it reads."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.reads: list[str] = []

    def read(self, name: str, limit: int) -> bytes:
        self.reads.append(name)
        return super().read(name, limit)


def _tick(instance, cursor=None) -> dg.SensorResult:
    result = project_configs(dg.build_sensor_context(instance=instance, cursor=cursor))
    assert isinstance(result, dg.SensorResult)
    return result


def test_unchanged_files_are_not_read_again(tmp_path: Path):
    for i in range(50):
        (tmp_path / f"c{i}.yaml").write_bytes(_config(i))
    first_source = CountingFolder(tmp_path)
    first = scan(first_source, {})
    assert len(first.found) == 50 and len(first_source.reads) == 50
    again_source = CountingFolder(tmp_path)
    again = scan(again_source, first.state)
    assert again.found == [] and again_source.reads == []
    (tmp_path / "c7.yaml").write_bytes(_config(1007))
    changed_source = CountingFolder(tmp_path)
    changed = scan(changed_source, again.state)
    assert [f.name for f in changed.found] == ["c7.yaml"] and changed_source.reads == ["c7.yaml"]


def test_the_cursor_stays_small_however_many_configs(instance, tmp_path: Path, monkeypatch):
    folder = tmp_path / "projects"
    folder.mkdir()
    monkeypatch.setenv("MERLIN_PROJECTS_DIR", str(folder))
    monkeypatch.setenv("MERLIN_WORK_DIR", str(tmp_path / "work"))
    for i in range(300):
        (folder / f"branch-{i}.yaml").write_bytes(_config(i))
    first = _tick(instance)
    assert len(first.run_requests) == 300
    assert len(first.cursor) < 200  # one digest, not an entry per file
    again = _tick(instance, first.cursor)
    assert again.run_requests == []
    assert again.cursor == first.cursor
    shutil.copy(BAKERY, folder / "bakery.yaml")
    third = _tick(instance, again.cursor)
    assert [r.partition_key for r in third.run_requests] == ["crumb-co-bakery"]
    # A cursor from before states were kept apart still counts as the last look.
    old = json.dumps({"bakery.yaml": {"hash": "0" * 16, "project": "crumb-co-bakery"}})
    from_old = _tick(instance, old)
    assert len(from_old.run_requests) == 301


@pytest.fixture
def bucket(tmp_path: Path, monkeypatch) -> Iterator[S3Server]:
    with S3Server() as s3:
        s3.make_bucket("merlin")
        for name, value in {
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            "MERLIN_S3_ENDPOINT_URL": s3.endpoint_url,
            "MERLIN_STORAGE_URL": "s3://merlin/fleet",
            "MERLIN_PROJECTS_DIR": "s3://merlin/projects",
        }.items():
            monkeypatch.setenv(name, value)
        yield s3


@FLEET
@MOTO
def test_a_bucket_prefix_is_watched_like_a_folder(instance, bucket: S3Server):
    fs = bucket.filesystem()
    for i in range(5):
        fs.pipe_file(f"merlin/projects/branch-{i}.yaml", _config(i))
    fs.pipe_file("merlin/projects/notes.txt", b"not a config")
    first = _tick(instance)
    assert len(first.run_requests) == 5 and len(first.cursor) < 200
    # Each run reads its config from a snapshot in the bucket: no worker needs this disk.
    ref = first.run_requests[0].run_config["ops"]["site_pipeline"]["config"]["config_path"]
    assert ref.startswith("s3://merlin/fleet/configs/")
    assert _read(ref).name.startswith("Crumb Branch")
    again = _tick(instance, first.cursor)
    assert again.run_requests == []
    fs.pipe_file("merlin/projects/branch-2.yaml", _config(1002))
    changed = _tick(instance, again.cursor)
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].tags["merlin/config_file"] == "branch-2.yaml"


@FLEET
@MOTO
def test_the_bucket_listing_says_what_changed(bucket: S3Server):
    fs = bucket.filesystem()
    for i in range(5):
        fs.pipe_file(f"merlin/projects/branch-{i}.yaml", _config(i))
    reads: list[str] = []

    class Counting(BucketSource):
        def read_many(self, names: list[str], limit: int) -> dict[str, bytes]:
            reads.extend(names)
            return super().read_many(names, limit)

    source = Counting("s3://merlin/projects", fs)
    first = scan(source, {})
    assert len(first.found) == 5 and len(reads) == 5
    reads.clear()
    assert scan(source, first.state).found == [] and reads == []
    fs.pipe_file("merlin/projects/branch-3.yaml", _config(1003))
    changed = scan(source, first.state)
    assert [f.name for f in changed.found] == ["branch-3.yaml"] and reads == ["branch-3.yaml"]
