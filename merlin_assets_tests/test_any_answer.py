"""Any answer a phase's schema allows builds a site, and whatever was changed says so.

For each structured call (every LLM phase and a page's copy), hypothesis draws replies from the
phase's own strict JSON schema (`answer_strategies.answers`); the test OpenAI server sends them
to the real openai client, and the whole site is built in-process by the scheduler. The other
phases are answered by the rules, so a failure names the one answer that caused it; a share of
examples answers every phase with generated replies at once.

Each example asserts that the site completes, that every page passes the markup checks, and
that any item whose value is not the reply served carries a record of why: repair notes, the
content gate's field fallbacks, or a fallback with its reason.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merlin_assets.config.project import Brand, load_config
from merlin_assets.engine import ItemEvent
from merlin_assets.testing.openai_server import FakeOpenAI, ServerSettings
from merlin_assets_tests.answer_strategies import answers
from merlin_assets_tests.any_site import (
    Built,
    Routed,
    Script,
    build_site,
    collapsed,
    escaped,
    openai_llm,
    shown,
)
from merlin_assets_tests.conftest import EXAMPLES
from merlin_assets_tests.phase_support import GRAPH, write_all_by_rules

BAKERY = EXAMPLES / "crumb-and-co-bakery.yaml"
PAGE_COPY = "page_copy"
# Project-level phases, then a page's copy (asked inside each page item).
PHASES = (*GRAPH.llm_phases, PAGE_COPY)
# Generated examples per phase (ten: nine phases and a page's copy), and with every phase
# generated at once: 10 x 20 + 40 = 240 sites.
PER_PHASE = 20
ALL_AT_ONCE = 40
SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def config_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example bakery without its brand: a brand's colours and fonts override the style's,
    so with it a generated style's fonts and palette would never reach the site."""
    data = yaml.safe_load(BAKERY.read_text(encoding="utf-8"))
    del data["brand"]
    path = tmp_path_factory.mktemp("any-answer") / "bakery.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def script() -> Script:
    return Script()


@pytest.fixture(scope="module")
def server(script: Script) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(ServerSettings(responder=script)) as fake:
        yield fake


def _rules_answers() -> dict:
    """What the rules answer for the bakery, per phase (a page's copy: the home page's)."""
    config = load_config(BAKERY).model_copy(update={"brand": Brand()})
    values, pages = write_all_by_rules(config)
    return {**values, PAGE_COPY: pages[0]}


RULES = _rules_answers()


def replies(phase: str):
    """One reply per phase, whatever is asked: every page gets the same copy reply, and a redo
    asked for by the content gate gets the same reply again (a model that ignores the note).
    One, so the reply each call gets never depends on which page asks first."""
    drawn = answers(GRAPH.phases[phase].model, plausible=RULES[phase])
    return drawn.map(lambda value: [json.dumps(value)])


def events_of(built: Built, phase: str) -> list[ItemEvent]:
    if phase == PAGE_COPY:
        return list(built.items("site_pages").values())
    return [built.events[(phase, None)]]


def final_value(event: ItemEvent, phase: str):
    return event.value[1] if phase == PAGE_COPY else event.value


def unrecorded_changes(built: Built, served: dict[str, list[str]]) -> list[str]:
    """Items of a served phase whose value is none of the replies served and that record no
    reason for it."""
    problems = []
    for phase, raw in served.items():
        model = GRAPH.phases[phase].model
        sent = [model.model_validate_json(r) for r in raw]
        for event in events_of(built, phase):
            for call in event.calls:
                if call.status == "fallback" and not call.fallback_reason:
                    problems.append(f"{phase}[{event.partition}]: fallback without a reason")
            if final_value(event, phase) in sent:
                continue
            if not (event.notes or event.field_fallbacks or event.fallback):
                problems.append(
                    f"{phase}[{event.partition}] changed with nothing recorded: "
                    f"{final_value(event, phase).model_dump_json()[:400]}"
                )
    return problems


def check_site(built: Built, served: dict[str, list[str]], name: str) -> None:
    assert built.failed_markup() == {}
    pages = built.pages()
    plan = built.value("page_plan")
    # The planned pages and those nodes declare (the privacy notice), each once.
    assert sorted(pages) == sorted(
        ["index.html" if p.slug == "home" else f"{p.slug}.html" for p in plan.pages]
        + [f"{p.slug}.html" for p in GRAPH.declared_pages]
    )
    # Every page names the business (its header), and the home page has every heading of its
    # final copy.
    for page, text in pages.items():
        assert escaped(name) in text, page
    home = built.items("site_pages")["home"].value[1]
    home_text = collapsed(pages["index.html"])
    for section in home.sections:
        assert collapsed(shown(section.heading)) in home_text, section.key
    assert unrecorded_changes(built, served) == []


def build_with(
    server: FakeOpenAI, script: Script, config_path: Path, served: dict[str, list[str]]
) -> None:
    config = load_config(config_path)
    script.set(served)
    with tempfile.TemporaryDirectory(prefix="merlin-any-answer-") as scratch:
        root = Path(scratch)
        llm = Routed(openai_llm(server.base_url, root), set(served))
        built = build_site(config_path, config.project_id, llm, root)
        check_site(built, served, config.name)


# Twenty to forty whole sites a test: far longer than the suite's per-test hang guard assumes.
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("phase", PHASES)
@settings(SETTINGS, max_examples=PER_PHASE)
@given(data=st.data())
def test_any_answer_of_one_phase_builds_a_site(server, script, config_path, phase, data):
    # Drawn inside the test because each phase has its own schema; a failure prints the draw.
    served = data.draw(replies(phase), label=f"{phase} reply")
    build_with(server, script, config_path, {phase: served})


@pytest.mark.timeout(1800)
@settings(SETTINGS, max_examples=ALL_AT_ONCE)
@given(served=st.fixed_dictionaries({p: replies(p) for p in PHASES}))
def test_any_answers_of_every_phase_build_a_site(server, script, config_path, served):
    build_with(server, script, config_path, served)


@pytest.mark.parametrize("planned", ["privacy", "Privacy "])
def test_a_planned_page_named_like_a_declared_one_is_renamed_not_fatal(
    server, script, config_path, planned
):
    """A model may plan a page that a node already publishes ("privacy"): the plan takes the
    next free slug and says so, and both pages are published (it had failed the whole run)."""
    plan = RULES["page_plan"].model_dump()
    about = next(p for p in plan["pages"] if p["slug"] == "about")
    about["slug"] = planned
    served = {"page_plan": [json.dumps(plan)]}
    script.set(served)
    config = load_config(config_path)
    with tempfile.TemporaryDirectory(prefix="merlin-any-answer-") as scratch:
        root = Path(scratch)
        llm = Routed(openai_llm(server.base_url, root), set(served))
        built = build_site(config_path, config.project_id, llm, root)
        check_site(built, served, config.name)
        pages = {p.slug: p for p in built.value("page_plan").pages}
        assert "privacy" not in pages
        assert pages["privacy-2"].section_keys == about["section_keys"]
        notes = built.events[("page_plan", None)].notes
        assert any("renamed to 'privacy-2': another node publishes it" in n for n in notes)
        assert "Privacy notice</h1>" in built.page("privacy")
        assert "Privacy notice</h1>" not in built.page("privacy-2")
