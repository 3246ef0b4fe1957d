"""The projects-folder sensor: one run per content, bad files reported, nothing deleted."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from merlin_assets.config.project import file_hash, load_config
from merlin_assets.definitions import defs as load_defs
from merlin_assets.defs.projects.sensors import project_configs
from merlin_assets_tests.conftest import EXAMPLES

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
PLUMBER = EXAMPLES / "greenline-plumbing.yaml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "projects"
    path.mkdir()
    monkeypatch.setenv("MERLIN_PROJECTS_DIR", str(path))
    monkeypatch.setenv("MERLIN_WORK_DIR", str(tmp_path / "work"))
    return path


def _tick(instance, cursor=None) -> dg.SensorResult:
    result = project_configs(dg.build_sensor_context(instance=instance, cursor=cursor))
    assert isinstance(result, dg.SensorResult)
    return result


def _added(result: dg.SensorResult) -> list[str]:
    return [k for r in result.dynamic_partitions_requests for k in r.partition_keys]


def test_new_file_starts_one_run_keyed_by_project_and_content(instance, folder: Path):
    shutil.copy(BAKERY, folder / "bakery.yaml")
    first = _tick(instance)
    [request] = first.run_requests
    digest = file_hash(BAKERY.read_bytes())
    assert request.run_key == f"crumb-co-bakery-{digest}"
    assert request.partition_key == "crumb-co-bakery"
    assert _added(first) == ["crumb-co-bakery"]
    assert request.tags["merlin/source"] == "sensor"
    assert request.tags["merlin/config_file"] == "bakery.yaml"
    # The run builds from a snapshot of exactly the bytes its key names.
    snapshot = Path(request.run_config["ops"]["site_pipeline"]["config"]["config_path"])
    assert snapshot.read_bytes() == BAKERY.read_bytes() and snapshot.parent != folder

    # Nothing changed: nothing to do.
    again = _tick(instance, first.cursor)
    assert again.run_requests == [] and "no new or changed" in again.skip_reason.skip_message

    # The same content dropped again under another name asks for the same run key, which
    # Dagster has already used, so no second run starts.
    shutil.copy(BAKERY, folder / "bakery-copy.yml")
    dropped = _tick(instance, again.cursor)
    assert [r.run_key for r in dropped.run_requests] == [request.run_key]

    # An edit is a new run; the partition exists by now, so it is not added again.
    instance.add_dynamic_partitions("projects", ["crumb-co-bakery"])
    (folder / "bakery.yaml").write_text(BAKERY.read_text() + "\nnotes: Closed on Mondays.\n")
    edited = _tick(instance, dropped.cursor)
    [new] = edited.run_requests
    assert new.run_key.startswith("crumb-co-bakery-") and new.run_key != request.run_key
    assert _added(edited) == []


def test_invalid_file_is_reported_and_picked_up_once_fixed(instance, folder: Path):
    bad = folder / "plumber.yaml"
    bad.write_text(PLUMBER.read_text() + "\nbrand:\n  colors:\n    primary: blue\n")
    shutil.copy(BAKERY, folder / "bakery.yaml")
    first = _tick(instance)
    assert [r.partition_key for r in first.run_requests] == ["crumb-co-bakery"]

    quiet = _tick(instance, first.cursor)
    message = quiet.skip_reason.skip_message
    assert "plumber.yaml" in message and "brand.colors.primary" in message
    assert "pattern" in message  # pydantic's reason, as written for the CLI

    bad.write_text(PLUMBER.read_text())
    fixed = _tick(instance, quiet.cursor)
    [request] = fixed.run_requests
    assert request.partition_key == load_config(PLUMBER).project_id
    assert _added(fixed) == [request.partition_key]


@pytest.mark.parametrize(
    ("name", "text", "field"),
    [
        ("unknown.yaml", "name: X\nindustry: Bakery\ncolour: red\n", "colour"),
        ("broken.json", "{not json", ""),
        ("bad-id.yaml", "id: ../etc\nname: X\nindustry: Bakery\n", "id"),
    ],
)
def test_each_invalid_file_names_its_field(instance, folder: Path, name, text, field):
    (folder / name).write_text(text)
    result = _tick(instance)
    assert result.run_requests == []
    message = result.skip_reason.skip_message
    assert name in message and (f"field '{field}'" in message if field else True)


def test_renames_and_deletions_never_remove_anything(instance, folder: Path, tmp_path: Path):
    shutil.copy(BAKERY, folder / "bakery.yaml")
    first = _tick(instance)
    (folder / "bakery.yaml").rename(folder / "renamed.yaml")
    renamed = _tick(instance, first.cursor)
    assert [r.run_key for r in renamed.run_requests] == [first.run_requests[0].run_key]
    (folder / "renamed.yaml").unlink()
    gone = _tick(instance, renamed.cursor)
    assert gone.run_requests == [] and gone.dynamic_partitions_requests == []
    assert all(
        isinstance(r, dg.AddDynamicPartitionsRequest)
        for r in [*first.dynamic_partitions_requests, *renamed.dynamic_partitions_requests]
    )


def test_ignores_other_files_and_missing_folder(instance, folder: Path, monkeypatch):
    (folder / "README.md").write_text("not a config")
    (folder / ".hidden.yaml").write_text(BAKERY.read_text())
    (folder / "link.yaml").symlink_to(BAKERY)
    assert _tick(instance).run_requests == []
    monkeypatch.setenv("MERLIN_PROJECTS_DIR", str(folder / "nowhere"))
    skipped = project_configs(dg.build_sensor_context(instance=instance))
    assert "does not exist" in skipped.skip_message


def test_requested_run_builds_the_site(instance, folder: Path, sites: Path):
    shutil.copy(BAKERY, folder / "bakery.yaml")
    result = _tick(instance)
    [request] = result.run_requests
    for add in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(add.partitions_def_name, list(add.partition_keys))
    run = (
        load_defs()
        .resolve_job_def("generate_site")
        .execute_in_process(
            instance=instance,
            partition_key=request.partition_key,
            run_config=request.run_config,
            tags=request.tags,
        )
    )
    assert run.success
    assert (sites / "crumb-co-bakery" / "index.html").is_file()
    tags = instance.get_run_by_id(run.run_id).tags
    assert tags["merlin/config_hash"] == load_config(BAKERY).content_hash()
    assert tags["merlin/concurrency"] == "8"


def test_sensors_are_on_by_default():
    from merlin_assets.defs.timings.sensors import run_timings

    defs = load_defs()
    names = {s.name: s for s in defs.sensors}
    assert names["project_configs"] is project_configs
    for sensor in (project_configs, run_timings):
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
