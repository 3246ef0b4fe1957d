"""The copy of one section redone on request, without a run: which pages and sections can be
asked for, what the model is told, and what the repair and the gate read.

The bakery's inputs are written by the rules, as the scheduler wires them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merlin_assets.config.project import load_config
from merlin_assets.edits.model import EditsFile
from merlin_assets.edits.state import EditsState
from merlin_assets.phases.site_pages.copy import PAGE_COPY
from merlin_assets.phases.site_pages.redo import (
    NOTE_MAX,
    SECTION_COPY,
    Redo,
    RedoError,
    SectionInputs,
    choose,
    page_phase,
)
from merlin_assets.types.pages import Page, PagePlan
from merlin_assets.types.site_copy import SectionCopy
from merlin_assets_tests.phase_support import write_all_by_rules

BAKERY = Path(__file__).resolve().parents[1] / "examples" / "projects" / "crumb-and-co-bakery.yaml"
NOTE = "warmer, mention the harbour"


@pytest.fixture(scope="module")
def home() -> SectionInputs:
    """The bakery's home page, its second section asked for with the note."""
    config = load_config(BAKERY)
    values, pages = write_all_by_rules(config)
    page = values["page_plan"].pages[0]
    inputs = PAGE_COPY.make_inputs({**values, "project_config": config, "page": page})
    fields = {f.name: getattr(inputs, f.name) for f in dataclasses.fields(inputs)}
    return SectionInputs(**fields, current=pages[0], section=1, note=NOTE)


def test_the_section_prompt_carries_the_note_and_the_page_as_it_stands(home: SectionInputs):
    prompt = SECTION_COPY.prompt(home)
    key = home.page.section_keys[1]
    assert f"<note>\n{NOTE}\n</note>" in prompt
    assert f'section 2 of {len(home.page.section_keys)}, key "{key}"' in prompt
    # The other sections are shown as they are, so the new one does not repeat them.
    assert home.current.sections[0].heading in prompt
    assert "first section" not in prompt


def test_the_page_prompt_with_a_note_is_the_page_prompt_and_the_note(home: SectionInputs):
    plain = PAGE_COPY.prompt(home)
    noted = page_phase(NOTE).prompt(home)
    assert noted.startswith(plain)
    assert noted[len(plain) :].lstrip().startswith("The site's owner asked")
    assert f"<note>\n{NOTE}\n</note>" in noted
    assert page_phase(None).prompt(home) == plain


def test_the_repair_puts_the_planned_key_back(home: SectionInputs):
    key = home.page.section_keys[1]
    answer = SectionCopy(
        key="whatever",
        eyebrow="Why us",
        heading="A warm welcome",
        body="Fresh bread every morning.",
        bullets=[],
        cta_label="Visit us",
    )
    fixed, _ = SECTION_COPY.repair(answer, home, lambda: answer)
    assert fixed.key == key and fixed.heading == "A warm welcome"


def test_the_rules_write_the_section_as_they_write_the_page(home: SectionInputs):
    assert SECTION_COPY.write_by_rules(home) == PAGE_COPY.write_by_rules(home).sections[1]


def test_the_gate_reads_the_section_at_paths_inside_it(home: SectionInputs):
    section = home.current.sections[1]
    fields = SECTION_COPY.copy_fields("page:home", section)
    assert {f.field for f in fields} >= {"eyebrow", "heading", "body", "cta_label"}
    assert all(f.item == "page:home" for f in fields)


slugs = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@st.composite
def plans(draw) -> PagePlan:
    names = draw(st.lists(slugs, min_size=1, max_size=6, unique=True))
    pages = [
        Page(
            slug=name,
            title=name.title(),
            purpose="p",
            section_keys=[f"{name}-{i}" for i in range(draw(st.integers(1, 5)))],
        )
        for name in names
    ]
    return PagePlan(pages=pages)


@settings(max_examples=200, deadline=None)
@given(plan=plans(), slug=slugs, section=st.one_of(st.none(), st.integers(-3, 9)))
def test_choose_takes_only_what_the_plan_has(plan: PagePlan, slug: str, section: int | None):
    pages = {p.slug: p for p in plan.pages}
    page = pages.get(slug)
    fits = page is not None and (section is None or 1 <= section <= len(page.section_keys))
    try:
        chosen = choose(plan, Redo(slug, section, NOTE), "p")
    except RedoError as exc:
        assert not fits
        if page is None:
            assert f"'{slug}' is not a page" in str(exc)
            assert all(s in str(exc) for s in pages)
        else:
            assert f"--section: {section} is not a section of page '{slug}'" in str(exc)
            assert all(f"{n} ({k})" in str(exc) for n, k in enumerate(page.section_keys, 1))
    else:
        assert fits and chosen == page


def test_a_note_past_the_limit_is_refused():
    plan = PagePlan(pages=[Page(slug="home", title="Home", purpose="p", section_keys=["hero"])])
    with pytest.raises(RedoError, match=f"--note: {NOTE_MAX + 1} characters; at most"):
        choose(plan, Redo("home", 1, "x" * (NOTE_MAX + 1)), "p")


@pytest.mark.parametrize(
    ("pins", "section", "refused"),
    [
        ({"pin": True}, None, "page 'home' is pinned"),
        ({"pin": True}, 2, "page 'home' is pinned"),
        ({"sections": {"story": {"pin": True}}}, 2, "section 2 (story) of page 'home' is pinned"),
        ({"sections": {"story": {"pin": True}}}, 1, None),
        ({"sections": {"story": {"pin": True}}}, None, None),
        ({"sections": {"story": {"heading": "Ours"}}}, 2, None),
    ],
)
def test_a_pinned_page_or_section_is_not_redone(pins: dict, section: int | None, refused):
    """The edits file's pin promises that regeneration never changes it: a redo of that page
    or section is refused naming the file; the page's other sections stay open to a redo."""
    plan = PagePlan(
        pages=[Page(slug="home", title="Home", purpose="p", section_keys=["hero", "story"])]
    )
    edits = EditsState(
        source="bakery.edits.yaml", edits=EditsFile.model_validate({"pages": {"home": pins}})
    )
    redo = Redo("home", section, NOTE)
    if refused is None:
        assert choose(plan, redo, "p", edits) == plan.pages[0]
    else:
        with pytest.raises(RedoError, match=re.escape(f"{refused} in bakery.edits.yaml")):
            choose(plan, redo, "p", edits)
