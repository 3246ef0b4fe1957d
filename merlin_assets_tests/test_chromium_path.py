"""The browser tests find Chromium where `.ci/run` does: any `chromium` on the PATH."""

from __future__ import annotations

from pathlib import Path

from merlin_assets_tests import chromium


def test_chromium_on_the_path_is_used(tmp_path: Path, monkeypatch):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium.find_chromium() == fake


def test_without_one_on_the_path_debians_path_is_the_fallback(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium.find_chromium() == chromium.DEBIAN_CHROMIUM == Path("/usr/bin/chromium")
