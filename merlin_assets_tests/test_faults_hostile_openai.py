"""Hostile replies through the real provider: the local OpenAI server splices every payload class
into every string it returns and answers some images with non-images and decompression bombs.
The run goes on, the bad images fall back, and every page stays inert in headless Chromium."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

import pytest

from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets_tests.chromium import needs_chromium
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.fault_support import run_calls, server_calls
from merlin_assets_tests.hostile_support import (
    MARKER,
    PAYLOADS,
    Chromium,
    check_site,
    serve,
)
from merlin_assets_tests.test_hostile_html import static_problems
from merlin_assets_tests.test_pipeline import BAKERY, _generate

pytestmark = [pytest.mark.slow, needs_chromium]

# One of each class first, then the seconds, ...: the server starts every reply at the first
# payload, so each reply carries every class.
INTERLEAVED = [p for row in zip_longest(*PAYLOADS.values()) for p in row if p is not None]
IMAGE_FAULTS = {"bad_image": 0.35, "bomb": 0.35}
PLUMBING = EXAMPLES / "greenline-plumbing.yaml"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    settings = ServerSettings(
        chat_latency_s=0.02,
        image_latency_s=0.05,
        # Image fault draws for seed 29 start bomb, bad_image, none, bad_image, bomb: whatever
        # the number of images, both kinds are sent and at least one image fails twice.
        seed=29,
        payloads=INTERLEAVED,
        faults=dict(IMAGE_FAULTS),
    )
    with FakeOpenAI(settings) as server:
        yield server


@pytest.fixture
def openai_env(sites: Path, fake: FakeOpenAI, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for name, value in {
        "MERLIN_LLM": "openai",
        "OPENAI_API_KEYS": "sk-hostile-0001",
        "OPENAI_BASE_URL": fake.base_url,
        "MERLIN_CACHE_DIR": str(tmp_path / "llm-cache"),
        "MERLIN_KEY_IMAGES_PER_MIN": "120",
    }.items():
        monkeypatch.setenv(name, value)


def test_hostile_replies_and_bad_images_through_the_openai_provider(
    instance, openai_env, fake: FakeOpenAI, sites: Path, request
):
    results = [_generate(instance, config) for config in (BAKERY, PLUMBING)]
    assert all(r.success for r in results)
    built = [sites / "crumb-co-bakery", sites / "greenline-plumbing-heating"]
    pages = sorted(p for site in built for p in site.glob("*.html"))
    for site in built:
        assert {"index.html", "contact.html"} <= {p.name for p in site.glob("*.html")}

    # The payloads did reach the pages, as text. (Not the template ones, "{{7*7}}" and the
    # like, for certain: the content gate reads them as placeholders and takes them out, so
    # whether one is published depends on which field the server happened to put it in.)
    html = "".join(p.read_text() for p in pages)
    assert MARKER in html and "javascript" in html
    for page in pages:
        assert static_problems(page.read_text()) == [], page.name
    browser = Chromium()
    try:
        with serve(sites) as served:
            for site in built:
                assert check_site(browser, served, site, site.name) == {}
    finally:
        browser.close()

    # Bad image bytes cost that image only: it falls back with the reason; the rest are used.
    calls = []
    for result in results:
        report, run_records = run_calls(instance, result.run_id)
        calls += run_records
        assert report.done("site_images") == report.planned_images
        assert report.done("site_pages") == report.planned_pages
    image_requests = [r for r in server_calls(fake.requests) if "images" in r["path"]]
    injected = Counter(r["fault"] for r in image_requests if r["fault"])
    assert set(injected) == set(IMAGE_FAULTS), injected
    images = [c for c in calls if c["kind"] == "image"]
    fell_back = [c for c in images if c["status"] == "fallback"]
    assert fell_back and len(fell_back) < len(images), images
    for c in fell_back:
        assert "unusable image" in c["fallback_reason"], c
    chats = [c for c in calls if c["kind"] == "chat"]
    outcome = {
        "image_requests": len(image_requests),
        "injected": dict(injected),
        "images": len(images),
        "images_fallback": len(fell_back),
        "chat_calls": len(chats),
        "chat_fallback": sum(c["status"] == "fallback" for c in chats),
        "pages_checked": len(pages),
    }
    request.node.user_properties.append(("outcome", outcome))
    print("hostile openai outcome:", outcome)
