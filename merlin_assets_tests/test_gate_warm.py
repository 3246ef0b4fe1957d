"""The gate's word lists load ahead of the first review (content_gate/warm.py), and a list that
fails to load ahead never fails the run."""

from __future__ import annotations

import asyncio
import logging

import pytest

from merlin_assets.content_gate import wordlists
from merlin_assets.content_gate.language import detector
from merlin_assets.content_gate.warm import warm
from merlin_assets.engine.scheduler import _settle


def test_warm_loads_every_list_a_check_reads() -> None:
    warm("en")
    assert wordlists._places.cache_info().currsize == 1
    assert wordlists._first_names.cache_info().currsize == 1
    assert wordlists._dictionary.cache_info().currsize == 1
    assert wordlists.day_names.cache_info().currsize == 1
    assert detector.cache_info().currsize >= 1
    # What was loaded answers as the checks expect.
    assert ("GB", "ENG") in wordlists.place("Leeds")
    assert wordlists.is_given_name("fiona")
    assert wordlists.is_common_word("bread")


def test_a_warm_up_that_fails_is_logged_and_the_run_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def fails() -> None:
        raise OSError("cities15000.json: No such file or directory")

    async def run() -> str:
        await _settle(asyncio.ensure_future(fails()))
        return "went on"

    with caplog.at_level(logging.WARNING):
        assert asyncio.run(run()) == "went on"
    assert "did not load ahead: OSError: cities15000.json" in caplog.text
