"""`merlin bench --scenario lifecycle` (bench/lifecycle.py): it prints its table, and what it
prints is what happened (releases listed, every host sent nothing the second time)."""

from __future__ import annotations

import re

import pytest

from merlin_assets.bench import lifecycle

pytestmark = pytest.mark.slow


def test_the_lifecycle_bench_prints_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    assert lifecycle.main(["--releases", "5"]) == 0
    rows = dict(
        re.split(r"\s{2,}", line.strip(), maxsplit=1)
        for line in capsys.readouterr().out.splitlines()
    )
    # The bakery's pages, images, fonts and icons (54 with the privacy notice): a whole site,
    # not an empty or half one, whatever a new node adds.
    files = re.fullmatch(r"(\d+) files, \d+\.\d MB", rows["site"])
    assert files and int(files.group(1)) >= 50, rows["site"]
    assert "history in process, 5 releases" in rows
    assert "`merlin history --json`, 5 releases" in rows
    assert re.fullmatch(r"\d+\.\d{3} s", rows["rollback switch, median of 3"])
    for host in ("folder", "s3", "github_pages", "netlify"):
        assert rows[f"unchanged redeploy to {host} (target 0)"] == "0 files"
    # One section regenerated through the command, counted at the server: the writer's call
    # alone by default, and the judge's second call with --fact-check.
    live = (
        r"live \d+\.\d\d s after the command started \(median of 3, worst \d+\.\d\d\); the "
        r"command \d+\.\d\d s wall, \d+\.\d\d s CPU with its records"
    )
    one = rows["one section regenerated, default (target 1 call, 3 s)"]
    assert re.fullmatch("1 call; " + live, one), one
    judged = rows["one section regenerated, with --fact-check (target 1 call, 3 s)"]
    assert re.fullmatch("2 calls; " + live, judged), judged
    assert re.fullmatch(
        r"\d+\.\d\d s \(worst \d+\.\d\d s\)",
        rows["edit live, in process, median of 3 (target 5 s)"],
    )
    assert rows["edit: model calls at the seed profile (target 0), 3 edits"] == "0"
    assert re.fullmatch(
        r"\d+\.\d\d s \(worst \d+\.\d\d s\)",
        rows["edit live under `dagster dev`, median of 10 (target 5 s)"],
    )
    assert rows["edit under `dagster dev`: model calls (target 0), 10 edits"] == "0"
    # Every edit was applied in the sensor's tick: no apply_site_edits run.
    assert rows[
        "edit under `dagster dev`: applied in the sensor's tick / apply_site_edits runs"
    ].endswith(" s / 0")
