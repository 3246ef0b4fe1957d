"""A page's copy redone on request (`merlin regenerate`, the `regenerate_page` job): the whole
page, or one of its sections, in one call that carries the owner's note. A section is written
alone and put back into the page's stored copy, so the other sections keep their words.

The answer goes through the same repair and content gate as any page copy (a finding still
asks for it once more, and a field that fails falls back to the rules)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from merlin_assets.content_gate import CopyField
from merlin_assets.edits.state import EditsState
from merlin_assets.phases.site_pages.copy import PAGE_COPY, Inputs, copy_fields, repair, write
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.prompts.redo import FIRST, SECTION, note_block, with_note
from merlin_assets.types.pages import Page, PagePlan
from merlin_assets.types.site_copy import PageCopy, SectionCopy

if TYPE_CHECKING:
    from merlin_assets.engine.calls import Answer
    from merlin_assets.engine.scheduler import Clock, Scheduler

# An owner's note is a sentence or two; a longer one is a second brief, not a note.
NOTE_MAX = 500


class RedoError(ValueError):
    """A page or section that the project does not have, or a note too long."""


@dataclass(frozen=True)
class Redo:
    """What the owner asked for: a page, one of its sections (from 1; None: the whole page),
    and what to change."""

    page: str
    section: int | None = None
    note: str | None = None


def choose(plan: PagePlan, redo: Redo, project: str, edits: EditsState | None = None) -> Page:
    """The page `redo` names, checked against the plan: a page or section that is not there,
    one the edits file pins, or an overlong note, is a `RedoError` naming the valid choices."""
    pages = {p.slug: p for p in plan.pages}
    page = pages.get(redo.page)
    if page is None:
        raise RedoError(
            f"--page: '{redo.page}' is not a page of '{project}'; its pages are {', '.join(pages)}"
        )
    keys = page.section_keys
    if redo.section is not None and not 1 <= redo.section <= len(keys):
        listed = ", ".join(f"{n} ({k})" for n, k in enumerate(keys, start=1))
        raise RedoError(
            f"--section: {redo.section} is not a section of page '{page.slug}', which has "
            f"{len(keys)}: {listed}"
        )
    # A pin promises that regeneration never changes it: say so rather than redo it unseen.
    key = keys[redo.section - 1] if redo.section is not None else None
    if edits is not None and edits.is_pinned(page.slug, key):
        what = (
            f"section {redo.section} ({key}) of page '{page.slug}'"
            if key
            else f"page '{page.slug}'"
        )
        raise RedoError(
            f"--page/--section: {what} is pinned in {edits.source or 'the edits file'}; "
            "remove its `pin: true` to redo it"
        )
    if redo.note is not None and len(redo.note) > NOTE_MAX:
        raise RedoError(f"--note: {len(redo.note)} characters; at most {NOTE_MAX}")
    return page


@dataclass(frozen=True)
class SectionInputs(Inputs):
    """A page's inputs, its copy as it stands, the section to write (from 0) and the note."""

    current: PageCopy
    section: int
    note: str | None


def _key(inp: SectionInputs) -> str:
    return inp.page.section_keys[inp.section]


def section_prompt(inp: SectionInputs) -> str:
    key, keys = _key(inp), inp.page.section_keys
    assert inp.section_plan is not None and inp.layout is not None
    return SECTION.format(
        slug=inp.page.slug,
        title=inp.page.title,
        purpose=inp.page.purpose,
        number=inp.section + 1,
        count=len(keys),
        key=key,
        first=FIRST if inp.section == 0 else "",
        note=note_block(inp.note),
        business=business(inp.config),
        inputs=inputs_block(
            section=next((s.model_dump() for s in inp.section_plan.sections if s.key == key), {}),
            layout=next((s.model_dump() for s in inp.layout.sections if s.key == key), {}),
            page_copy=inp.current,
            copywriting=inp.copywriting,
            design_context=inp.design_context,
        ),
    )


def section_by_rules(inp: SectionInputs) -> SectionCopy:
    """The rules' copy of the section: the page written by rules, that section of it."""
    return write(inp).sections[inp.section]


def _with(page: PageCopy, index: int, section: SectionCopy) -> PageCopy:
    sections = list(page.sections)
    sections[index] = section
    return page.model_copy(update={"sections": sections})


def section_repair(value: SectionCopy, inp: SectionInputs, rules):
    """The page's own repair, on the page with this section in it: the key is the planned
    one, and a testimonials section keeps only the config's quotes."""
    fixed = value.model_copy(update={"key": _key(inp)})
    page, notes = repair(_with(inp.current, inp.section, fixed), inp, lambda: write(inp))
    assert isinstance(page, PageCopy)
    return page.sections[inp.section], notes


def section_fields(item: str, v: SectionCopy) -> list[CopyField]:
    """The section's copy for the gate, with paths inside the section (`body`,
    `bullets[1]`), where a field that fails falls back to the rules."""
    return [
        dataclasses.replace(f, field=f.field.removeprefix("sections[0]."))
        for f in copy_fields(item, PageCopy(slug="-", sections=[v]))
    ]


# Named as the page's copy, so it takes the pages' route, model and price.
SECTION_COPY = dataclasses.replace(
    PAGE_COPY,
    description="The copy of one section of a page, redone on request.",
    inputs=SectionInputs,
    model=SectionCopy,
    max_output_tokens=512,
    prompt=section_prompt,
    fallback=section_by_rules,
    repair=section_repair,
    copy_fields=section_fields,
)


def page_phase(note: str | None):
    """The page's copy phase, its prompt carrying the note."""
    return dataclasses.replace(PAGE_COPY, prompt=lambda inp: with_note(PAGE_COPY.prompt(inp), note))


async def ask(run: Scheduler, inputs: Inputs, clock: Clock, redo: Redo) -> Answer:
    """The page's copy, redone as asked: one call (two when the gate asks again), the rest of
    the page from its stored copy."""
    page = inputs.page
    item = f"page:{page.slug}"
    if redo.section is None:
        return await run.ask(page_phase(redo.note), item, inputs, clock)
    stored = run.store.load(run.project_id, f"{PAGE_COPY.name}-{page.slug}", PageCopy)
    # In the page's order, with every planned section: a copy stored before a plan change
    # gets its missing sections from the rules (the normal page repair).
    current, _ = repair(stored, inputs, lambda: write(inputs))
    assert isinstance(current, PageCopy)
    fields = {f.name: getattr(inputs, f.name) for f in dataclasses.fields(inputs)}
    index = redo.section - 1
    section_inputs = SectionInputs(**fields, current=current, section=index, note=redo.note)
    answer = await run.ask(SECTION_COPY, item, section_inputs, clock)
    answer.value = _with(current, index, answer.value)
    return answer
