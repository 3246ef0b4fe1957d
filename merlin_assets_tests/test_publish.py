"""Publishing: the live site is replaced in one step and never left half-written."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from merlin_assets import paths


def _stage(root: Path, project: str, marker: str) -> Path:
    staged = paths.staging_dir(root, project)
    (staged / "index.html").write_text(marker)
    (staged / "images").mkdir()
    (staged / "images" / "a.jpg").write_bytes(marker.encode() * 1000)
    return staged


def test_first_publish_and_replace(tmp_path: Path):
    live = paths.publish(_stage(tmp_path, "shop", "v1"), tmp_path, "shop")
    assert live == tmp_path / "shop" and (live / "index.html").read_text() == "v1"
    paths.publish(_stage(tmp_path, "shop", "v2"), tmp_path, "shop")
    assert (live / "index.html").read_text() == "v2"
    assert list((tmp_path / ".staging").iterdir()) == []


def test_reader_never_sees_a_partial_site(tmp_path: Path):
    paths.publish(_stage(tmp_path, "shop", "v0"), tmp_path, "shop")
    seen: set[str] = set()
    # A failed assert in the reader thread only warns, so the reader records what it saw and
    # the main thread asserts after the join.
    bad_lengths: list[int] = []
    crashed: list[BaseException] = []
    stop = threading.Event()

    def read():
        try:
            read_until_stopped()
        except BaseException as err:  # would end the thread quietly: the main thread reports it
            crashed.append(err)

    def read_until_stopped():
        while not stop.is_set():
            page = tmp_path / "shop" / "index.html"
            image = tmp_path / "shop" / "images" / "a.jpg"
            try:
                text = page.read_text()
                data = image.read_bytes()
            except FileNotFoundError:
                seen.add("missing")
                continue
            seen.add(text)
            # The image always belongs to the same version as the page beside it... or a
            # newer one, never a truncated file.
            if len(data) != 2000:
                bad_lengths.append(len(data))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1, 40):
            paths.publish(_stage(tmp_path, "shop", f"v{i % 10}"), tmp_path, "shop")
    finally:
        stop.set()
        reader.join()
    assert crashed == []
    assert bad_lengths == []
    assert "missing" not in seen
    assert len(seen) > 1


def test_write_atomic_leaves_no_temp_files(tmp_path: Path):
    target = tmp_path / "a" / "page.html"
    paths.write_atomic(target, "one")
    paths.write_atomic(target, b"two")
    assert target.read_text() == "two"
    assert os.listdir(target.parent) == ["page.html"]


@pytest.mark.parametrize("project", ["../x", "/abs", "UPPER", "", "a/b", "a\x00b"])
def test_site_dir_refuses_unsafe_ids(tmp_path: Path, project: str):
    with pytest.raises(paths.UnsafePathError):
        paths.site_dir(tmp_path, project)


def test_symlinked_site_folder_is_refused(tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "sites"
    root.mkdir()
    (root / "shop").symlink_to(elsewhere)
    with pytest.raises(paths.UnsafePathError, match="symlink"):
        paths.site_dir(root, "shop")
    assert list(elsewhere.iterdir()) == []
