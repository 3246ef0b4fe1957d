"""The content gate acting on a model's answers: one redo with the findings, then the rules'
text for the fields that still fail. Real openai client, the local OpenAI-compatible server,
the real scheduler."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from merlin_assets.config import load_config
from merlin_assets.defs.resources import LLMResource
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.phase_support import run_whole_site, scheduler

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
# What the real small model shipped (see the issue): a 50-word heading, a 4-line eyebrow.
LOOPING = (
    "To be a Plumber and Heating is a 24/7 Emergency call-out. This is about the 100% of the "
    "service and the service and the service and the service and the service of the best "
    "service in the town of the service of the service"
)
EYEBROW = "Line one\nline two\nline three\nline four"


def _inputs(prompt: str) -> dict:
    return json.loads(re.search(r"<inputs>\n(.*)\n</inputs>", prompt, re.S).group(1))


class PageWriter:
    """Answers every page-copy request; the first answer per page is degenerate, and so is the
    second when `stubborn`."""

    def __init__(self, stubborn: bool):
        self.stubborn = stubborn
        self.asked: Counter[str] = Counter()
        self.prompts: dict[str, list[str]] = {}

    def __call__(self, request: dict) -> dict | None:
        prompt = request["messages"][-1]["content"]
        found = re.search(r'Write the copy for the page "([a-z0-9-]+)"', prompt)
        if not found:
            return None  # every other phase: the server's own content
        slug = found.group(1)
        self.asked[slug] += 1
        self.prompts.setdefault(slug, []).append(prompt)
        bad = self.asked[slug] == 1 or self.stubborn
        sections = []
        for i, section in enumerate(_inputs(prompt)["sections"]):
            first = i == 0 and bad
            sections.append(
                {
                    "key": section["key"],
                    "eyebrow": EYEBROW if first else "Fresh today",
                    "heading": LOOPING if first else f"Baked in Leith for {section['key']}",
                    "body": "Crumb & Co bakes sourdough every morning in Leith for the "
                    f"{section['key']} section.",
                    "bullets": [],
                    "cta_label": "Visit us",
                }
            )
        return {"slug": slug, "sections": sections}


@pytest.fixture
def run_with(tmp_path: Path, monkeypatch) -> Iterator:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-gate-0001")

    def run(writer: PageWriter):
        with FakeOpenAI(ServerSettings(seed=5, responder=writer)) as fake:
            llm = LLMResource(
                provider="openai",
                base_url=fake.base_url,
                cache=False,
                key_images_per_min=600,
                timeout_s=10,
            ).open()
            events: list = []
            project = load_config(BAKERY).project_id
            sched = scheduler(
                project_id=project,
                llm=llm,
                work=tmp_path / "work",
                sites=tmp_path / "sites",
                emit=events.append,
                config_path=BAKERY,
            )
            run_whole_site(sched)
            return events, tmp_path / "sites" / project

    yield run


def _pages(events: list) -> dict:
    return {e.partition: e for e in events if e.asset == "site_pages"}


def test_a_degenerate_page_is_asked_for_once_more_with_its_findings(run_with):
    writer = PageWriter(stubborn=False)
    events, site = run_with(writer)
    pages = _pages(events)
    assert pages and all(e.regenerated for e in pages.values())
    for slug, event in pages.items():
        assert writer.asked[slug] == 2  # bounded: one redo, never a loop
        assert "failed these checks" in writer.prompts[slug][1]
        assert "too_long" in " ".join(event.gate_findings)
        assert event.field_fallbacks == []
        assert len(event.calls) == 2
        _, copy = event.value
        assert copy.sections[0].heading.startswith("Baked in Leith")
    html = " ".join(p.read_text() for p in site.glob("*.html"))
    assert "Emergency call-out" not in html and "line four" not in html
    review = next(e for e in events if e.asset == "content_review").value
    assert {c.name: c.passed for c in review.checks}["content_degenerate"]


def test_copy_that_still_fails_falls_back_field_by_field(run_with):
    writer = PageWriter(stubborn=True)
    events, site = run_with(writer)
    for slug, event in _pages(events).items():
        assert writer.asked[slug] == 2
        assert event.regenerated
        # Only the failing fields were written by the rules; the rest is the model's.
        assert set(event.field_fallbacks) == {"sections[0].eyebrow", "sections[0].heading"}
        _, copy = event.value
        assert copy.sections[0].heading != LOOPING and "\n" not in copy.sections[0].eyebrow
        assert copy.sections[0].body.startswith("Crumb & Co bakes sourdough every morning")
    html = " ".join(p.read_text() for p in site.glob("*.html"))
    assert "Emergency call-out" not in html


def test_field_fallback_never_leaves_a_line_said_twice():
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.gate import fall_back_fields
    from merlin_assets.phases.site_pages.copy import PageCopy, SectionCopy

    def section(key: str, heading: str, bullets: list[str]) -> SectionCopy:
        return SectionCopy(
            key=key,
            eyebrow="",
            heading=heading,
            body=f"About {key}.",
            bullets=bullets,
            cta_label="",
        )

    model = PageCopy(
        slug="home",
        sections=[section("a", LOOPING, ["Ask us"]), section("b", "B", ["Ask us", "Open daily"])],
    )
    rules = PageCopy(
        slug="home",
        sections=[section("a", "Fresh bread", ["Ask us"]), section("b", "B", ["Ask us"])],
    )
    finding = Finding("page:home", "sections[0].heading", "too_long", "too long")
    fixed, replaced = fall_back_fields(model, lambda: rules, [finding])
    assert replaced == ["sections[0].heading"]
    assert fixed.sections[0].heading == "Fresh bread"
    assert [s.bullets for s in fixed.sections] == [["Ask us"], ["Open daily"]]
