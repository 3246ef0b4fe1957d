"""`merlin bench --scenario media`, scaled down: its figures are measured, and say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from merlin_assets.bench import media

pytestmark = pytest.mark.slow


def test_quick_media_bench_measures_cold_and_cached_runs(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MERLIN_MEDIA_CHECKED", str(tmp_path / "checked"))
    figures = media.run(tmp_path, quick=True)
    assert figures["photos"] == 4 and figures["workers"] >= 1
    # The cached run decoded and encoded nothing: every derive came from the cache (run()
    # asserts it) and no photo was decoded again (the check found each marker file).
    assert sorted(p.name for p in (tmp_path / "out-warm").iterdir()) == sorted(
        p.name for p in (tmp_path / "out-cold").iterdir()
    )
    assert len(list((tmp_path / "checked").iterdir())) == 4
    page = figures["page_bytes"]
    assert 0 < page["avif"] < page["webp"] < page["originals"]
    text = media.table(figures)
    assert "CPU s/photo:" in text and "without the cache" in text
    assert "bytes per page of 4 photos" in text and "critical path" in text
