"""The projects sensor watches the logo and photos a config names, as it watches the config."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest
from PIL import Image

from merlin_assets.config.project import file_hash
from merlin_assets.defs.projects.sensors import project_configs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "with-media" / "harbour-loaf"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "projects"
    shutil.copytree(EXAMPLE, path)
    monkeypatch.setenv("MERLIN_PROJECTS_DIR", str(path))
    monkeypatch.setenv("MERLIN_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("MERLIN_MEDIA_CHECKED", str(tmp_path / "checked"))
    return path


def _tick(instance, cursor=None) -> dg.SensorResult:
    result = project_configs(dg.build_sensor_context(instance=instance, cursor=cursor))
    assert isinstance(result, dg.SensorResult)
    return result


def _snapshot(request: dg.RunRequest) -> Path:
    return Path(request.run_config["ops"]["site_pipeline"]["config"]["config_path"])


def _reshoot(path: Path) -> None:
    """New bytes for the same photo: one corner painted over, as an edit would."""
    with Image.open(path) as img:
        edited = img.convert("RGB")
    edited.paste((200, 30, 30), (0, 0, 40, 40))
    edited.save(path, "JPEG", quality=85)


def test_a_changed_photo_starts_a_run_and_an_unchanged_one_does_not(instance, folder: Path):
    config = folder / "harbour-loaf.yaml"
    first = _tick(instance)
    [request] = first.run_requests
    prefix = f"harbour-loaf-bakery-{file_hash(config.read_bytes())}-"
    assert request.run_key.startswith(prefix) and len(request.run_key) == len(prefix) + 12
    # The run reads a snapshot: the config's bytes with a copy of every file it names beside
    # it, at the same relative paths.
    snap = _snapshot(request)
    assert snap.name == "harbour-loaf.yaml" and snap.read_bytes() == config.read_bytes()
    names = sorted(p.relative_to(folder).as_posix() for p in (folder / "media").iterdir())
    copied = sorted(p.relative_to(snap.parent).as_posix() for p in snap.parent.rglob("*.*"))
    assert copied == sorted([*(n for n in names if n != "media/LICENSE"), "harbour-loaf.yaml"])
    for name in copied:
        assert (snap.parent / name).read_bytes() == (folder / name).read_bytes(), name

    quiet = _tick(instance, first.cursor)
    assert quiet.run_requests == []

    # Touched, same bytes: a new mtime is looked at, and is not a change.
    photo = folder / "media" / "ovens.jpg"
    stat = photo.stat()
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    touched = _tick(instance, quiet.cursor)
    assert touched.run_requests == []

    _reshoot(photo)
    changed = _tick(instance, touched.cursor)
    [again] = changed.run_requests
    assert again.run_key.startswith(prefix) and again.run_key != request.run_key
    assert (_snapshot(again).parent / "media" / "ovens.jpg").read_bytes() == photo.read_bytes()
    # The first run's snapshot still holds the photo as it was when that run was asked for.
    assert (snap.parent / "media" / "ovens.jpg").read_bytes() != photo.read_bytes()
    assert _tick(instance, changed.cursor).run_requests == []


def test_a_photo_swapped_for_a_symlink_reaches_the_run_as_a_symlink(instance, folder: Path):
    first = _tick(instance)
    outside = folder.parent / "elsewhere.jpg"
    shutil.copy(folder / "media" / "tom.jpg", outside)
    (folder / "media" / "tom.jpg").unlink()
    (folder / "media" / "tom.jpg").symlink_to(outside)
    [request] = _tick(instance, first.cursor).run_requests
    copy = _snapshot(request).parent / "media" / "tom.jpg"
    # The run refuses a symlink (media.check); a copy through it would have been read.
    assert copy.is_symlink() and os.readlink(copy) == str(outside)


def _run(instance, result: dg.SensorResult, request: dg.RunRequest):
    from merlin_assets.definitions import defs as load_defs

    for add in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(add.partitions_def_name, list(add.partition_keys))
    return (
        load_defs()
        .resolve_job_def("generate_site")
        .execute_in_process(
            instance=instance,
            partition_key=request.partition_key,
            run_config=request.run_config,
            tags=request.tags,
        )
    )


def _photo_slots(run) -> dict[str, tuple[str, bool]]:
    """site_images partition -> (photo file, encoded) from the run's materialization metadata."""
    out = {}
    for event in run.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        if mat.asset_key.path[-1] != "site_images" or "photo" not in mat.metadata:
            continue
        out[mat.partition] = (mat.metadata["photo"].value, mat.metadata["encoded"].value)
    return out


@pytest.mark.slow
def test_a_run_for_a_changed_photo_encodes_only_the_images_made_from_it(
    instance, folder: Path, sites: Path
):
    from merlin_assets.media.pool import shutdown

    try:
        first = _tick(instance)
        built = _photo_slots(_run(instance, first, first.run_requests[0]))
        assert len({photo for photo, _ in built.values()}) == 8
        assert all(encoded for _, encoded in built.values())
        _reshoot(folder / "media" / "ovens.jpg")
        changed = _tick(instance, first.cursor)
        again = _photo_slots(_run(instance, changed, changed.run_requests[0]))
    finally:
        shutdown()
    assert again.keys() == built.keys()
    encoded = sorted(slot for slot, (_, enc) in again.items() if enc)
    assert encoded and encoded == sorted(s for s, (p, _) in again.items() if p == "media/ovens.jpg")
    assert (sites / "harbour-loaf-bakery" / "index.html").is_file()
