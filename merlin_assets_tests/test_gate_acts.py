"""The content gate acting on a model's answers: one redo with the findings, then the rules'
text for the fields that still fail. Real openai client, the local OpenAI-compatible server,
the real scheduler."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import Field

from merlin_assets.config.project import load_config
from merlin_assets.defs.resources import LLMResource
from merlin_assets.engine import Calls
from merlin_assets.engine.gate import redo_note, review
from merlin_assets.engine.scheduler import Clock
from merlin_assets.llm.base import ImageRequest
from merlin_assets.llm.offline import OfflineLLM
from merlin_assets.phases.site_pages.copy import copy_fields
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.phase_support import (
    PAGE_COPY,
    run_whole_site,
    scheduler,
    write_all_by_rules,
)

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
        assert [c.kind for c in event.calls].count("chat") == 2
        _, copy = event.value
        assert copy.sections[0].heading.startswith("Baked in Leith")
        # The gate says how much it read: the four fields of each section of the first answer
        # (it has no bullets).
        assert event.gate_read == 4 * len(_inputs(writer.prompts[slug][0])["sections"])
    # A phase that holds no visitor copy is not read by the gate.
    assert {e.asset: e.gate_read for e in events}["design_context"] == 0
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
    from merlin_assets.types.site_copy import PageCopy, SectionCopy

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


def _page(*sections: tuple[str, str, list[str]]):
    from merlin_assets.types.site_copy import PageCopy, SectionCopy

    return PageCopy(
        slug="home",
        sections=[
            SectionCopy(
                key=key,
                eyebrow="Fresh today",
                heading=heading,
                body=f"Crumb & Co bakes {key} every morning in Leith.",
                bullets=bullets,
                cta_label="Visit us",
            )
            for key, heading, bullets in sections
        ],
    )


def _texts(value) -> list[str]:
    from merlin_assets.engine.gate import _leaves

    return [text for _, text in _leaves(value.model_dump(), [])]


def test_a_failing_list_item_the_rules_cannot_fill_is_dropped_not_emptied():
    """What the real model did (the issue): the gate failed `sections[0].bullets[0]` and the
    rules write no bullets for that section; an empty bullet was published."""
    from merlin_assets.content_gate import Facts, check_copy
    from merlin_assets.engine.gate import fall_back_fields
    from merlin_assets.phases.site_pages.copy import copy_fields

    model = _page(("welcome", "Sourdough from Leith", [LOOPING, "Open from 7am", "Rye on Fridays"]))
    rules = _page(("welcome", "Fresh bread in Leith", []))
    findings = check_copy(copy_fields("page:home", model), Facts.from_config(load_config(BAKERY)))
    assert {f.field for f in findings} == {"sections[0].bullets[0]"}

    fixed, replaced = fall_back_fields(model, lambda: rules, findings)

    assert replaced == ["sections[0].bullets[0]"]
    assert fixed.sections[0].bullets == ["Open from 7am", "Rye on Fridays"]
    assert fixed.sections[0].heading == "Sourdough from Leith"  # the model's, it passed
    assert "" not in _texts(fixed)
    again = check_copy(copy_fields("page:home", fixed), Facts.from_config(load_config(BAKERY)))
    assert again == []


@pytest.mark.parametrize("failing", [(0,), (2,), (0, 2), (1, 2, 3), (0, 1, 2, 3)])
def test_no_field_fallback_leaves_an_empty_item(failing):
    """The rules have two bullets: a failing bullet within them is theirs, one past them goes,
    and the bullets left keep the model's order."""
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.gate import fall_back_fields

    said = ["Rye on Fridays", "Open from 7am", "Cakes to order", "Gluten-free loaves"]
    model = _page(("welcome", "Sourdough", said))
    rules = _page(("welcome", "Fresh bread", ["Ask in store", "Daily bakes"]))
    findings = [
        Finding("page:home", f"sections[0].bullets[{i}]", "looping", "loops") for i in failing
    ]
    fixed, replaced = fall_back_fields(model, lambda: rules, findings)

    expected = [
        rules.sections[0].bullets[i] if i in failing else said[i]
        for i in range(4)
        if i not in failing or i < 2
    ]
    assert fixed.sections[0].bullets == expected
    assert replaced == [f"sections[0].bullets[{i}]" for i in failing]
    assert "" not in _texts(fixed)


def test_an_item_holding_a_failing_field_goes_whole_when_the_rules_have_no_such_item():
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.gate import fall_back_fields

    model = _page(("welcome", "Sourdough", []), ("menu", "Our loaves", []), ("visit", LOOPING, []))
    rules = _page(("welcome", "Fresh bread", []), ("menu", "The menu", []))
    finding = Finding("page:home", "sections[2].heading", "looping", "loops")
    fixed, replaced = fall_back_fields(model, lambda: rules, [finding])
    assert [s.key for s in fixed.sections] == ["welcome", "menu"]
    assert [s.heading for s in fixed.sections] == ["Sourdough", "Our loaves"]
    assert replaced == ["sections[2].heading"]


class Faq(PhaseModel):
    question: str
    answer: str


class Menu(PhaseModel):
    """A phase answer whose lists have a floor, as a schema may set one: by pydantic's
    min_length, which also validates, or by the schema alone, as the phases set maxItems."""

    title: str
    dishes: list[str] = Field(json_schema_extra={"minItems": 2})
    faqs: list[Faq] | None = Field(default=None, min_length=2)


def test_a_list_that_dropping_leaves_below_its_minimum_comes_whole_from_the_rules():
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.gate import fall_back_fields

    # "Sourdough" repeats the title, so it goes too; one dish would be left of a floor of two.
    model = Menu(title="Sourdough", dishes=["Sourdough", "Seeded rye", LOOPING])
    rules = Menu(title="The menu", dishes=["Bread", "Cakes"])
    finding = Finding("menu", "dishes[2]", "looping", "loops")
    fixed, replaced = fall_back_fields(model, lambda: rules, [finding])
    assert fixed.dishes == ["Bread", "Cakes"]
    assert fixed.title == "Sourdough"
    assert replaced == ["dishes[2]", "dishes"]


def test_a_list_still_at_its_minimum_keeps_the_models_items():
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.gate import fall_back_fields

    model = Menu(title="Our bakes", dishes=["Sourdough", "Seeded rye", LOOPING])
    rules = Menu(title="The menu", dishes=["Bread", "Cakes"])
    finding = Finding("menu", "dishes[2]", "looping", "loops")
    fixed, replaced = fall_back_fields(model, lambda: rules, [finding])
    assert fixed.dishes == ["Sourdough", "Seeded rye"]
    assert replaced == ["dishes[2]"]


def _faq(i: int) -> Faq:
    return Faq(question=f"Question {i}?", answer=f"Answer {i}.")


def test_a_list_the_rules_do_not_have_falls_back_whole_when_below_its_minimum():
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.gate import fall_back_fields

    model = Menu(title="Our bakes", dishes=["Rye", "Buns"], faqs=[_faq(1), _faq(2), _faq(3)])
    rules = Menu(title="The menu", dishes=["Bread", "Cakes"], faqs=None)

    one = [Finding("menu", "faqs[2].answer", "looping", "loops")]
    fixed, replaced = fall_back_fields(model, lambda: rules, one)
    assert fixed.faqs == [_faq(1), _faq(2)]  # still at the floor: the model's two stay
    assert replaced == ["faqs[2].answer"]

    two = [*one, Finding("menu", "faqs[1].question", "looping", "loops")]
    fixed, replaced = fall_back_fields(model, lambda: rules, two)
    assert fixed.faqs is None  # one FAQ would be below the floor: the rules' whole field
    assert replaced == ["faqs[1].question", "faqs[2].answer", "faqs"]


# --- Calls.ask on one page, call by call ------------------------------------------------------
# The decisions above on exact inputs: when an answer is asked for again, when a sentence is
# taken out, when a field is the rules', and what the answer records of each. One page's copy
# through the real openai client to the local server, a second or two each.

GOOD = "Crumb & Co bakes sourdough every morning in Leith."
AWARD = "Voted Edinburgh's best bakery three years running."
ITEM = "page:home"

Section = Callable[[int, str], dict]


def _section(i: int, key: str, heading: str = "", body: str = "") -> dict:
    return {
        "key": key,
        "eyebrow": "Fresh today",
        "heading": heading or f"Baked in Leith for {key}",
        "body": body or (GOOD if i == 0 else f"Our {key} at Crumb & Co in Leith."),
        "bullets": [],
        "cta_label": "Visit us",
    }


class Writer:
    """The page's answers in turn (the last one again after that), each a function that
    writes one section; and a judge that flags the sentences in `flag`."""

    def __init__(self, *answers: Section, flag: tuple[str, ...] = ()):
        self.answers = answers
        self.flag = flag
        self.prompts: list[str] = []
        self.judged = 0

    def __call__(self, request: dict) -> dict | None:
        prompt = request["messages"][-1]["content"]
        fmt = (request.get("response_format") or {}).get("json_schema") or {}
        if fmt.get("name") == "Verdict":
            self.judged += 1
            flagged = [{"sentence": s, "reason": "not in the facts"} for s in self.flag]
            flagged.append({"sentence": "A sentence from nowhere.", "reason": "x"})
            return {"unsupported": flagged}
        self.prompts.append(prompt)
        write = self.answers[min(len(self.prompts), len(self.answers)) - 1]
        keys = [s["key"] for s in _inputs(prompt)["sections"]]
        return {"slug": "home", "sections": [write(i, key) for i, key in enumerate(keys)]}


@pytest.fixture(scope="module")
def page() -> tuple:
    config = load_config(BAKERY)
    values, pages = write_all_by_rules(config)
    inputs = PAGE_COPY.make_inputs(
        {"project_config": config, **values, "page": values["page_plan"].pages[0]}
    )
    return inputs, pages[0], values


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(ServerSettings(seed=5)) as fake:
        yield fake


@pytest.fixture
def ask(server: FakeOpenAI, page, monkeypatch) -> Callable:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-gate-calls-0001")
    inputs = page[0]

    def run(writer: Writer, *, fact_check: bool = False, phase=PAGE_COPY, **faults: float):
        server.update(responder=writer, faults=faults)
        server.clear_requests()
        llm = LLMResource(
            provider="openai",
            base_url=server.base_url,
            cache=False,
            timeout_s=10,
            max_retries=0,
            fact_check=fact_check,
        ).open()

        async def go():
            calls = Calls(llm)
            try:
                return await calls.ask(phase, ITEM, inputs, Clock(asyncio.Semaphore(1)))
            finally:
                await calls.aclose()

        return asyncio.run(go())

    return run


def _first(heading: str = "", body: str = GOOD) -> Section:
    """An answer whose first section has this heading and body; the others pass."""
    return lambda i, key: _section(i, key, heading if i == 0 else "", body if i == 0 else "")


def test_an_answer_that_passes_is_kept_after_one_call(ask, page):
    inputs = page[0]
    answer = ask(Writer(_first(heading="Sourdough from Leith")))
    assert [c.status for c in answer.calls] == ["ok"]
    assert (answer.calls[0].provider, answer.calls[0].item) == ("openai", ITEM)
    # The phase's own output bound is what was sent.
    assert answer.calls[0].max_completion_tokens == PAGE_COPY.max_output_tokens > 0
    assert answer.value.sections[0].heading == "Sourdough from Leith"
    assert not answer.regenerated
    assert answer.gate_findings == answer.field_fallbacks == answer.removed_sentences == []
    assert answer.gate_read == len(copy_fields(ITEM, answer.value)) > 0
    assert review(PAGE_COPY, ITEM, answer.value, inputs)[1] == []


def test_a_failing_answer_is_asked_for_once_more_with_its_findings(ask, page):
    inputs = page[0]
    writer = Writer(_first(heading=LOOPING), _first(heading="Sourdough from Leith"))
    answer = ask(writer)
    assert answer.regenerated
    assert [c.status for c in answer.calls] == ["ok", "ok"]
    assert answer.value.sections[0].heading == "Sourdough from Leith"
    assert answer.field_fallbacks == answer.removed_sentences == []
    # The findings on the first answer are on record, and they are what the redo was told.
    _, found = review(PAGE_COPY, ITEM, PAGE_COPY.model.model_validate(_answer(writer, 0)), inputs)
    assert found and {f.field for f in found} == {"sections[0].heading"}
    assert answer.gate_findings == [f"{ITEM} {f.field}: {f.check}: {f.message}" for f in found]
    assert len(writer.prompts) == 2
    assert writer.prompts[1] == writer.prompts[0] + redo_note(found)
    # The first answer's count of fields read stays, whatever the redo held.
    assert answer.gate_read == len(copy_fields(ITEM, answer.value))


def _answer(writer: Writer, n: int) -> dict:
    write = writer.answers[n]
    keys = [s["key"] for s in _inputs(writer.prompts[n])["sections"]]
    return {"slug": "home", "sections": [write(i, key) for i, key in enumerate(keys)]}


def test_a_field_that_fails_twice_is_the_rules_and_nothing_else_changes(ask, page):
    inputs, rules, _ = page
    answer = ask(Writer(_first(heading=LOOPING)))
    assert answer.regenerated and len(answer.calls) == 2
    assert answer.field_fallbacks == ["sections[0].heading"]
    assert answer.value.sections[0].heading == rules.sections[0].heading != LOOPING
    assert answer.value.sections[0].body == GOOD  # the model's, it passed
    assert answer.removed_sentences == []
    assert review(PAGE_COPY, ITEM, answer.value, inputs)[1] == []


def test_a_failing_sentence_of_running_text_is_taken_out_when_the_rest_passes(ask):
    answer = ask(Writer(_first(body=f"{GOOD} {AWARD}")))
    assert answer.regenerated and len(answer.calls) == 2
    assert answer.value.sections[0].body == GOOD
    assert answer.removed_sentences == [f"sections[0].body: removed \u201c{AWARD}\u201d"]
    assert answer.field_fallbacks == []


def test_the_judges_findings_act_like_the_rules_and_its_calls_are_recorded(ask, page):
    inputs, rules, _ = page
    # The rules pass this sentence; only the judge flags it.
    claim = "Our sourdough starter is older than the city walls."
    said = rules.model_copy(deep=True)
    said.sections[0].body = f"{GOOD} {claim}"
    assert review(PAGE_COPY, ITEM, said, inputs)[1] == []
    writer = Writer(_first(body=f"{GOOD} {claim}"), flag=(claim,))
    answer = ask(writer, fact_check=True)
    # The redo gave the same copy: its verdict stands, the judge is not asked the same again.
    assert writer.judged == 1
    assert [c.kind for c in answer.calls].count("fact_check") == 1
    assert {c.item for c in answer.calls} == {ITEM}
    assert answer.regenerated
    assert answer.gate_findings == [
        f"{ITEM} sections[0].body: unsupported_by_facts: not supported by the facts: "
        f"not in the facts (\u201c{claim}\u201d)"
    ]
    assert answer.value.sections[0].body == GOOD
    assert answer.removed_sentences == [f"sections[0].body: removed \u201c{claim}\u201d"]
    assert answer.notes.count("fact_check: not in the copy: A sentence from nowhere.") == 1


def test_a_sentence_the_judge_names_in_part_goes_whole(ask):
    claim = "Our sourdough starter is older than the city walls."
    writer = Writer(_first(body=f"{GOOD} {claim}"), flag=("older than the city walls",))
    answer = ask(writer, fact_check=True)
    assert answer.value.sections[0].body == GOOD
    assert answer.removed_sentences == [f"sections[0].body: removed \u201c{claim}\u201d"]
    assert answer.field_fallbacks == []


def test_sentences_go_field_by_field_only_where_what_is_left_passes(page):
    from merlin_assets.content_gate import Finding
    from merlin_assets.engine.gate import remove_sentences

    inputs, rules, _ = page
    twice = "We bake fresh loaves every single morning here. " * 2
    # A phrase three times is a warning: what is left still passes.
    phrase = "Try our sourdough bread. We bake our sourdough bread. Buy our sourdough bread."
    bodies = [f"{GOOD} {AWARD}", AWARD, f"{twice}{AWARD}", f"{phrase} {AWARD}"]
    value = rules.model_copy(deep=True)
    for section, body in zip(value.sections, bodies, strict=True):
        section.body = body

    def judged(i: int) -> Finding:
        return Finding(ITEM, f"sections[{i}].body", "unsupported_by_facts", "x", sentence=AWARD)

    heading = Finding(ITEM, "sections[0].heading", "invented_name", "x")
    findings = [judged(1), heading, judged(0), judged(2), judged(3)]
    kept, removed, left = remove_sentences(PAGE_COPY, ITEM, value, inputs, findings)

    # A heading is one statement; nothing would be left of the second body; the third's rest
    # says one sentence twice. Those fall back to the rules; the rest is trimmed.
    assert left == [judged(1), heading, judged(2)]
    assert [s.body for s in kept.sections] == [GOOD, AWARD, f"{twice}{AWARD}", phrase]
    assert removed == [
        f"sections[0].body: removed \u201c{AWARD}\u201d",
        f"sections[3].body: removed \u201c{AWARD}\u201d",
    ]
    assert kept.sections[0].heading == value.sections[0].heading


def test_an_invented_quote_is_an_error_the_gate_acts_on(page):
    """A quote unlike every testimonial the config gives is reported as a warning by the
    rules; the gate acts on it as an error. Copy the rules wrote passes."""
    from merlin_assets.phases import graph

    inputs, _, values = page
    phase = graph().phases["copywriting"]
    copy = values["copywriting"]
    quote = copy.testimonials[0].model_copy(update={"quote": "Best croissants in Scotland."})
    invented = copy.model_copy(update={"testimonials": [quote, *copy.testimonials[1:]]})
    config_inputs = phase.make_inputs({"project_config": inputs.config, **values})
    read, found = review(phase, "copywriting", invented, config_inputs)
    assert read == len(phase.copy_fields("copywriting", invented)) > 0
    assert [(f.item, f.field, f.check, f.severity) for f in found] == [
        ("copywriting", "testimonials[0].quote", "unmatched_quote", "error")
    ]
    assert review(phase, "copywriting", copy, config_inputs) == (read, [])
    # A warning (a phrase said three times) is reported by the rules but not acted on.
    said = page[1].model_copy(deep=True)
    said.sections[
        0
    ].body = "Try our sourdough bread. We bake our sourdough bread. Buy our sourdough bread."
    assert review(PAGE_COPY, ITEM, said, inputs)[1] == []
    # A phase that holds no visitor copy is not read.
    plan = graph().phases["page_plan"]
    assert plan.copy_fields is None
    assert review(plan, "page_plan", values["page_plan"], config_inputs) == (0, [])


def test_without_fact_check_no_judge_is_asked(ask):
    writer = Writer(_first(), flag=(GOOD,))
    answer = ask(writer, fact_check=False)
    assert writer.judged == 0
    assert not answer.regenerated and len(answer.calls) == 1


def test_an_answer_the_provider_fell_back_on_is_not_asked_again_nor_judged(ask, page, server):
    """The provider's own fallback (every attempt got a 500) gives the rules' page: the rules
    write only what the config says, so asking them again or judging them cannot help."""
    rules = page[1]
    writer = Writer(_first(heading=LOOPING))
    answer = ask(writer, fact_check=True, **{"500": 1.0})
    assert [c.status for c in answer.calls] == ["fallback"]
    assert answer.calls[0].fallback_reason.startswith("HTTP 500")
    assert len(server.requests) == 1  # the page's one attempt: no judge was asked
    assert answer.value == rules
    assert not answer.regenerated and writer.judged == 0 and writer.prompts == []
    assert answer.gate_findings == answer.field_fallbacks == []


def test_an_items_event_records_how_its_answer_came_to_be(ask):
    answer = ask(Writer(_first(heading=LOOPING)))
    assert answer.event_fields() == {
        "calls": answer.calls,
        "notes": answer.notes,
        "gate_findings": answer.gate_findings,
        "regenerated": True,
        "field_fallbacks": ["sections[0].heading"],
        "removed_sentences": [],
        "gate_read": answer.gate_read,
    }
    assert len(answer.calls) == 2 and answer.gate_findings and answer.gate_read > 0


class BuggyLLM(OfflineLLM):
    """A provider with a bug: every call raises. What `Calls` must turn into the rules'
    answer for that one item, with the error on the call's record."""

    name = "buggy"
    fact_check = True

    async def chat(self, request):
        raise ValueError("x" * 400)

    async def image(self, request):
        raise KeyError("no such size")


def _ask_buggy(inputs):
    async def go():
        return await Calls(BuggyLLM()).ask(PAGE_COPY, ITEM, inputs, Clock(asyncio.Semaphore(1)))

    return asyncio.run(go())


def test_a_provider_that_raises_costs_the_item_its_model_answer_only(page):
    inputs, rules, _ = page
    answer = _ask_buggy(inputs)
    assert [c.status for c in answer.calls] == ["fallback"]
    assert answer.calls[0].fallback_reason == ("ValueError: " + "x" * 400)[:300]
    assert answer.value == rules
    assert not answer.regenerated and answer.field_fallbacks == []


def test_a_repair_that_changes_the_answer_says_which_fields(ask):
    # The second section comes without a heading: the repair takes the rules' section.
    writer = Writer(lambda i, key: _section(i, key, " " if i == 1 else ""))
    answer = ask(writer)
    assert answer.notes[0] == "copy for section 'value-proposition' was missing"
    changed = [n for n in answer.notes if n.startswith("repair changed ")]
    assert len(changed) == 1 and "sections[1].heading" in changed[0]
    assert not answer.regenerated


def _image_request(page) -> ImageRequest:
    from merlin_assets.imaging.draw import aspect_size
    from merlin_assets.phases.base import NodeInputs

    inputs, _, values = page
    planned = values["image_plan"].images[0]
    return ImageRequest(
        item=f"image:{planned.key}",
        image=planned,
        palette=values["style_system"].palette,
        size=aspect_size(planned.aspect, planned.purpose),
        seed=NodeInputs(config=inputs.config).seed(f"image:{planned.key}"),
        config=inputs.config,
    )


def test_an_image_the_provider_makes_is_its_own(server: FakeOpenAI, page, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-gate-calls-0001")
    server.update(responder=None, faults={})
    server.clear_requests()
    llm = LLMResource(
        provider="openai", base_url=server.base_url, cache=False, timeout_s=10, max_retries=0
    ).open()

    async def go():
        calls = Calls(llm)
        try:
            return await calls.image(_image_request(page), Clock(asyncio.Semaphore(1)))
        finally:
            await calls.aclose()

    result = asyncio.run(go())
    assert (result.call.status, result.call.provider) == ("ok", "openai")
    assert [r["path"] for r in server.requests] == ["/v1/images/generations"]


def test_a_failing_image_is_drawn_instead(page):
    from merlin_assets.imaging.draw import aspect_size
    from merlin_assets.phases.base import NodeInputs

    inputs, _, values = page
    planned = values["image_plan"].images[0]
    request = ImageRequest(
        item=f"image:{planned.key}",
        image=planned,
        palette=values["style_system"].palette,
        size=aspect_size(planned.aspect, planned.purpose),
        seed=NodeInputs(config=inputs.config).seed(f"image:{planned.key}"),
        config=inputs.config,
    )

    async def go():
        return await Calls(BuggyLLM()).image(request, Clock(asyncio.Semaphore(1)))

    result = asyncio.run(go())
    drawn = asyncio.run(OfflineLLM().image(request))
    assert result.call.status == "fallback"
    assert result.call.fallback_reason == "KeyError: 'no such size'"
    assert result.image.tobytes() == drawn.image.tobytes()


def test_a_fallback_field_the_rules_wrote_is_read_and_its_failing_sentence_goes(ask, page):
    """The rules reuse upstream copy a model wrote: a real model's invented phone came back into
    a page through a field that fell back. What the rules wrote is read too."""
    inputs, rules, _ = page
    wrong = "Call us on +44 131 555 0309 to order."
    carried = rules.model_copy(deep=True)
    carried.sections[0].body = f"{GOOD} {wrong}"
    phase = dataclasses.replace(PAGE_COPY, fallback=lambda _inputs: carried)
    answer = ask(Writer(_first(body=LOOPING)), phase=phase)
    assert answer.field_fallbacks == ["sections[0].body"]
    assert answer.value.sections[0].body == GOOD
    assert answer.removed_sentences == [f"sections[0].body: removed \u201c{wrong}\u201d"]
    assert review(PAGE_COPY, ITEM, answer.value, inputs)[1] == []
