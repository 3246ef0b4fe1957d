"""Every error acts, and a model judge reads each page's copy where a model runs.

A model writes pages full of invented claims of every kind (an award, a figure, a day the
bakery is closed, another phone, an invented person, a made-up quote under a real reviewer's
name, another trade's button, another language); a judge on the same local OpenAI-compatible
server flags them. Real openai client over HTTP, the real scheduler, real DuckDB.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from merlin_assets import summaries
from merlin_assets.config.project import load_config
from merlin_assets.content_gate.text import sentences
from merlin_assets.defs.resources import LLMResource
from merlin_assets.engine.judge import FACT_CHECK
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.timings.rows import Entry, RunInfo, build_rows
from merlin_assets.timings.store import TimingsStore
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.phase_support import run_whole_site, scheduler

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
GROUNDED = "Crumb & Co bakes sourdough on site in Leith every morning."
# Each kind of invention the issue names, as a model writes it.
AWARD = "Voted Edinburgh's best bakery three years running."
FIGURE = "We bake over 2,000 loaves every week."
DAYS = "We are open 7 days a week, so drop in any time."
PHONE = "Call us on 0131 999 0000 to order."
LANGUAGE = "Nous cuisons du pain frais chaque matin dans notre boulangerie."
PERSON = "Meet Fiona Grant, Head Baker"
QUOTE = "\u201cBest croissants in Scotland,\u201d says Morag Reid."
TRADE = "Add to basket"
BODY = " ".join([GROUNDED, AWARD, FIGURE, DAYS, PHONE, LANGUAGE])
# What must never reach the published site (compared case-aside on its unescaped HTML).
INVENTED = [
    "best bakery",
    "2,000 loaves",
    "open 7 days",
    "0131 999 0000",
    "nous cuisons",
    "fiona grant",
    "best croissants in scotland",
    "add to basket",
]
REASON = "JUDGE-REASON"


def _inputs(prompt: str) -> dict:
    return json.loads(re.search(r"<inputs>\n(.*)\n</inputs>", prompt, re.S).group(1))


class Model:
    """The writers and the judge behind one server. Every page's first answer invents; the
    second does too when `stubborn`. The judge flags each sentence holding an invention."""

    def __init__(self, stubborn: bool):
        self.stubborn = stubborn
        self.asked: Counter[str] = Counter()
        self.prompts: dict[str, list[str]] = {}
        self.judged: list[str] = []

    def __call__(self, request: dict) -> dict | None:
        fmt = (request.get("response_format") or {}).get("json_schema") or {}
        prompt = request["messages"][-1]["content"]
        if fmt.get("name") == "Verdict":
            return self.judge(prompt)
        found = re.search(r'Write the copy for the page "([a-z0-9-]+)"', prompt)
        if not found:
            return None  # every other phase: the server's own content
        slug = found.group(1)
        self.asked[slug] += 1
        self.prompts.setdefault(slug, []).append(prompt)
        invent = self.asked[slug] == 1 or self.stubborn
        sections = []
        for i, section in enumerate(_inputs(prompt)["sections"]):
            first = i == 0 and invent
            sections.append(
                {
                    "key": section["key"],
                    "eyebrow": "Fresh today",
                    "heading": PERSON if first else f"Baked in Leith for {section['key']}",
                    "body": BODY if first else f"Our {section['key']} at Crumb & Co in Leith.",
                    "bullets": [QUOTE, "Sourdough bread baked daily"] if first else [],
                    "cta_label": TRADE if first else "Visit us",
                }
            )
        return {"slug": slug, "sections": sections}

    def judge(self, prompt: str) -> dict:
        copy = json.loads(re.search(r"<copy>\n(.*)\n</copy>", prompt, re.S).group(1))
        self.judged.append(prompt)
        flagged = []
        for text in copy.values():
            for sentence in sentences(text):
                if any(word in sentence.lower() for word in INVENTED):
                    flagged.append({"sentence": sentence, "reason": f"{REASON}: not in facts"})
        # One sentence the copy does not hold: ignored, and recorded.
        flagged.append({"sentence": "A sentence from nowhere.", "reason": f"{REASON}: x"})
        return {"unsupported": flagged}


@pytest.fixture
def run_with(tmp_path: Path, monkeypatch) -> Iterator:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-judge-0001")

    def run(model: Model | None, fact_check: bool = True):
        events: list = []
        project = load_config(BAKERY).project_id

        def go(llm):
            sched = scheduler(
                project_id=project,
                llm=llm,
                work=tmp_path / "work",
                sites=tmp_path / "sites",
                emit=events.append,
                config_path=BAKERY,
            )
            run_whole_site(sched)

        if model is None:
            go(OfflineLLM())
        else:
            with FakeOpenAI(ServerSettings(seed=5, responder=model)) as fake:
                go(
                    LLMResource(
                        provider="openai",
                        base_url=fake.base_url,
                        cache=False,
                        key_images_per_min=600,
                        timeout_s=10,
                        fact_check=fact_check,
                    ).open()
                )
        return events, tmp_path / "sites" / project

    yield run


def _pages(events: list) -> dict:
    return {e.partition: e for e in events if e.asset == "site_pages"}


def _published(site: Path) -> str:
    pages = list(site.rglob("*.html"))
    assert pages
    return html.unescape(" ".join(p.read_text() for p in pages)).lower()


def test_invented_claims_of_every_kind_are_never_published(run_with):
    model = Model(stubborn=True)
    events, site = run_with(model)
    pages = _pages(events)
    assert pages
    for slug, event in pages.items():
        assert model.asked[slug] == 2  # one redo, never a loop
        assert event.regenerated
        # The judge's reasons drive the redo.
        assert REASON in model.prompts[slug][1]
        # The rules' findings (another trade's words, another language) and the judge's
        # (claims, contradictions, people, quotes) act together.
        checks = {f.split(": ")[1] for f in event.gate_findings}
        assert {"unsupported_by_facts", "foreign_vocabulary", "wrong_language"} <= checks
        assert "retail/e-commerce vocabulary" in model.prompts[slug][1]
        # Running text loses just its invented sentences; the grounded one stays.
        _, copy = event.value
        assert copy.sections[0].body == GROUNDED
        removed = " ".join(event.removed_sentences)
        for sentence in (AWARD, FIGURE, DAYS, PHONE, LANGUAGE):
            assert f"sections[0].body: removed \u201c{sentence}\u201d" in removed
        # A heading, a button and a quote are one statement each: the rules' text, or gone.
        assert {"sections[0].heading", "sections[0].cta_label"} <= set(event.field_fallbacks)
        assert "sections[0].bullets[0]" in event.field_fallbacks
        assert PERSON not in copy.sections[0].heading and copy.sections[0].cta_label != TRADE
        assert QUOTE not in copy.sections[0].bullets
        # The judge read the first answer; the stubborn redo gave the same copy, so its
        # verdict stood without asking again. Its call is the item's.
        kinds = Counter(c.kind for c in event.calls)
        assert kinds == {"chat": 2, FACT_CHECK: 1}
        assert all(c.cost_usd > 0 for c in event.calls if c.kind == FACT_CHECK)
        assert "fact_check: not in the copy: A sentence from nowhere." in event.notes
        # The rules did not write the item: a judge's call never marks it a fallback.
        assert not event.fallback
    published = _published(site)
    assert GROUNDED.lower() in published
    for invented in INVENTED:
        assert invented not in published, invented


def test_a_redo_that_drops_the_inventions_keeps_the_models_copy(run_with, tmp_path: Path):
    model = Model(stubborn=False)
    events, site = run_with(model)
    pages = _pages(events)
    for slug, event in pages.items():
        assert REASON in model.prompts[slug][1]
        assert event.regenerated and not event.field_fallbacks and not event.removed_sentences
        _, copy = event.value
        assert copy.sections[0].heading.startswith("Baked in Leith")
    published = _published(site)
    for invented in INVENTED:
        assert invented not in published, invented

    # The judge's cost per page lands in DuckDB.
    entries = [Entry(e.asset, e.partition, summaries.metadata(e)) for e in events]
    store = TimingsStore(tmp_path / "analytics" / "timings.duckdb")
    store.write_run(build_rows(RunInfo(run_id="r1", project="bakery", status="SUCCESS"), entries))
    with store.connect() as con:
        rows = con.execute(
            "SELECT item, judge_calls, cost_usd, regenerated FROM judge_cost_by_page "
            "WHERE run_id = 'r1' ORDER BY item"
        ).fetchall()
        kinds = dict(
            con.execute(
                "SELECT kind, count(*) FROM llm_calls WHERE run_id = 'r1' GROUP BY kind"
            ).fetchall()
        )
    by_item = {item: (calls, cost, redone) for item, calls, cost, redone in rows}
    for slug, event in pages.items():
        calls, cost, redone = by_item[f"site_pages[{slug}]"]
        judged = [c for c in event.calls if c.kind == FACT_CHECK]
        assert calls == len(judged) == 2 and redone
        assert cost == pytest.approx(sum(c.cost_usd for c in judged), abs=1e-6) and cost > 0
    # Every item with visitor copy was judged: the site-wide messaging and SEO too.
    assert {"copywriting", "seo_strategy"} <= set(by_item)
    assert kinds[FACT_CHECK] == sum(calls for calls, _, _ in by_item.values())


def test_offline_no_judge_runs(run_with):
    events, site = run_with(None)
    calls = [c for e in events for c in e.calls]
    assert calls and all(c.kind != FACT_CHECK for c in calls)
    assert all(c.provider == "offline" for c in calls)
    assert not any(e.regenerated or e.removed_sentences for e in events if e.calls)
    assert GROUNDED.split()[0].lower() in _published(site)


def test_the_judge_can_be_switched_off(run_with):
    # MERLIN_FACT_CHECK=false: the writers' calls only, the rules' checks still act (another
    # trade's words and another language are theirs, so the redo still happens).
    model = Model(stubborn=True)
    events, site = run_with(model, fact_check=False)
    calls = [c for e in events for c in e.calls]
    assert calls and all(c.kind != FACT_CHECK for c in calls)
    assert model.judged == []
    assert any(e.regenerated for e in _pages(events).values())
    assert "add to basket" not in _published(site)


# --- the gate on one item, and the judge's route ------------------------------------------


@pytest.fixture(scope="module")
def rules() -> tuple:
    from merlin_assets_tests.phase_support import write_all_by_rules

    config = load_config(BAKERY)
    values, pages = write_all_by_rules(config)
    return config, values, pages


def test_an_invented_quote_under_a_real_name_is_acted_on_not_only_warned(rules):
    from merlin_assets.engine import gate
    from merlin_assets.phases import graph

    config, values, _ = rules
    phase = graph().phases["copywriting"]
    copy = values["copywriting"]
    quote = copy.testimonials[0].model_copy(update={"quote": "Best croissants in Scotland."})
    invented = copy.model_copy(update={"testimonials": [quote, *copy.testimonials[1:]]})
    inputs = phase.make_inputs({"project_config": config, **values})
    _, found = gate.review(phase, "copywriting", invented, inputs)
    assert [(f.field, f.check) for f in found] == [("testimonials[0].quote", "unmatched_quote")]
    # Falling back gives the config's own words, never the invented ones.
    fixed, written = gate.fall_back_fields(invented, lambda: copy, found)
    assert written == ["testimonials[0].quote"]
    assert fixed.testimonials[0].quote == copy.testimonials[0].quote
    assert gate.review(phase, "copywriting", copy, inputs)[1] == []


def test_a_sentence_goes_only_when_what_is_left_passes(rules):
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine import gate
    from merlin_assets.phases.site_pages.copy import PAGE_COPY

    config, values, pages = rules
    page = pages[0]
    section = page.sections[0]
    inputs = PAGE_COPY.make_inputs(
        {"project_config": config, **values, "page": values["page_plan"].pages[0]}
    )
    body = f"{GROUNDED} {AWARD}"
    value = page.model_copy(
        update={"sections": [section.model_copy(update={"body": body}), *page.sections[1:]]}
    )
    judged = Finding("page:home", "sections[0].body", "unsupported_by_facts", "x", sentence=AWARD)
    kept, removed, left = gate.remove_sentences(PAGE_COPY, "page:home", value, inputs, [judged])
    assert kept.sections[0].body == GROUNDED and left == []
    assert removed == [f"sections[0].body: removed \u201c{AWARD}\u201d"]
    # Nothing would be left: the field falls back to the rules instead.
    alone = page.model_copy(
        update={"sections": [section.model_copy(update={"body": AWARD}), *page.sections[1:]]}
    )
    kept, removed, left = gate.remove_sentences(PAGE_COPY, "page:home", alone, inputs, [judged])
    assert kept.sections[0].body == AWARD and removed == [] and left == [judged]
    # A heading is one statement: never trimmed.
    heading = Finding("page:home", "sections[0].heading", "invented_name", "x", sentence=PERSON)
    assert gate.remove_sentences(PAGE_COPY, "page:home", value, inputs, [heading])[2] == [heading]


def test_the_judge_takes_its_own_route_else_the_default(tmp_path: Path):
    from merlin_assets.llm.endpoints import load_endpoints

    def file(routes: dict) -> Path:
        path = tmp_path / f"endpoints-{len(routes)}.yaml"
        spec = {
            "endpoints": [
                {"name": n, "base_url": f"http://127.0.0.1:9/{n}", "chat_model": "gpt-4o-mini"}
                for n in ("cheap", "strong")
            ],
            "routes": routes,
        }
        path.write_text(json.dumps(spec))
        return path

    own = load_endpoints(file({"default": ["cheap"], FACT_CHECK: ["strong", "cheap"]}))
    assert own.chat_route(FACT_CHECK) == (FACT_CHECK, ["strong", "cheap"])
    assert own.chat_route("copywriting") == ("default", ["cheap"])
    default = load_endpoints(file({"default": ["cheap"]}))
    assert default.chat_route(FACT_CHECK) == ("default", ["cheap"])
