"""One page with the edits applied: pinned content first, then text set by the file, then
hidden sections taken out. Pure; the page node and the fast path both call it."""

from __future__ import annotations

from merlin_assets.edits.model import TEXT_FIELDS, EditsFile
from merlin_assets.edits.state import Change, EditsState, PinnedTitles
from merlin_assets.types.pages import Page
from merlin_assets.types.seo import PageSeo
from merlin_assets.types.site_copy import PageCopy, SectionCopy


def apply_page(
    state: EditsState | None, page: Page, copy: PageCopy, seo: PageSeo
) -> tuple[Page, PageCopy, PageSeo]:
    """(page, copy, its SEO entry) as the edits say they are shown."""
    if state is None:
        return page, copy, seo
    slug = page.slug
    pinned = state.pinned_sections.get(slug, {})
    sections = [pinned.get(s.key, s) if state.is_pinned(slug, s.key) else s for s in copy.sections]
    titles = state.pinned_titles.get(slug)
    if titles is not None and state.is_pinned(slug):
        seo = seo.model_copy(update={"title": titles.title, "description": titles.description})
    edit = state.edits.pages.get(slug)
    if edit is None:
        return page, copy.model_copy(update={"sections": sections}), seo
    sections = [
        s.model_copy(update=e.texts()) if (e := edit.sections.get(s.key)) is not None else s
        for s in sections
    ]
    hidden = {k for k, s in edit.sections.items() if s.hide}
    page = page.model_copy(
        update={"section_keys": [k for k in page.section_keys if k not in hidden]}
    )
    sections = [s for s in sections if s.key not in hidden]
    update = {k: v for k in ("title", "description") if (v := getattr(edit, k)) is not None}
    return page, copy.model_copy(update={"sections": sections}), seo.model_copy(update=update)


def pin(
    edits: EditsFile,
    previous: EditsState | None,
    copies: dict[str, PageCopy],
    seo: dict[str, PageSeo],
) -> tuple[dict[str, dict[str, SectionCopy]], dict[str, PinnedTitles]]:
    """What each pin holds: what it held before when it was pinned before, else the content
    now published (the stored copy with the pins then in force)."""
    sections: dict[str, dict[str, SectionCopy]] = {}
    titles: dict[str, PinnedTitles] = {}
    for slug, page in edits.pages.items():
        copy = copies.get(slug)
        if copy is None:
            continue
        for s in copy.sections:
            if not (page.pin or (page.sections.get(s.key) and page.sections[s.key].pin)):
                continue
            held = previous.pinned_sections.get(slug, {}).get(s.key) if previous else None
            if held is None or not previous or not previous.is_pinned(slug, s.key):
                held = s
            sections.setdefault(slug, {})[s.key] = held
        if page.pin and slug in seo:
            before = previous.pinned_titles.get(slug) if previous else None
            if before is None or not previous or not previous.is_pinned(slug):
                before = PinnedTitles(title=seo[slug].title, description=seo[slug].description)
            titles[slug] = before
    return sections, titles


def _shown(value: str | list[str]) -> str:
    return " / ".join(value) if isinstance(value, list) else value


def changes(
    edits: EditsFile, copies: dict[str, PageCopy], seo: dict[str, PageSeo], images: dict[str, str]
) -> list[Change]:
    """Each entry of the file and what it changed against what was generated."""
    out: list[Change] = []
    for slug, page in edits.pages.items():
        for name in ("title", "description"):
            if (value := getattr(page, name)) is not None:
                was = getattr(seo[slug], name) if slug in seo else ""
                out.append(
                    Change(where=f"pages.{slug}.{name}", what="set", generated=was, now=value)
                )
        if page.pin:
            out.append(Change(where=f"pages.{slug}", what="pinned"))
        made = {s.key: s for s in copies[slug].sections} if slug in copies else {}
        for key, section in page.sections.items():
            where = f"pages.{slug}.sections.{key}"
            for name, value in section.texts().items():
                was = getattr(made[key], name) if key in made else ""
                out.append(
                    Change(
                        where=f"{where}.{name}",
                        what="set",
                        generated=_shown(was),
                        now=_shown(value),
                    )
                )
            if section.hide:
                out.append(Change(where=where, what="hidden"))
            if section.pin:
                out.append(Change(where=where, what="pinned"))
    for key, image in edits.images.items():
        out.append(
            Change(
                where=f"images.{key}",
                what="replaced",
                generated=images.get(key, ""),
                now=image.file,
            )
        )
    return out


assert set(TEXT_FIELDS) <= set(SectionCopy.model_fields)
