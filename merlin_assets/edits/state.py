"""The checked edits as a project keeps them between runs, with what its pins hold.

Stored beside the phase results (`edits.json`), so every later run applies them: the fast
path that applies a changed edits file and a full regeneration alike. A pin holds the content
the page or section had when it was first pinned; it is kept until the pin is taken out.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from merlin_assets.edits.model import EditsFile
from merlin_assets.types.images import ImageFile
from merlin_assets.types.site_copy import SectionCopy

STATE = "edits"
# A replaced image's files are named `<key>.own-<width>.webp`: a planned image's key never
# has a dot (`ID_RE`), so they cannot collide with a generated image's files.
OWN = ".own"


class PinnedTitles(BaseModel):
    title: str
    description: str


class Change(BaseModel):
    """One entry of the edits file and what it changed, for `merlin edits`."""

    where: str  # pages.home.sections.hero.heading, images.hero, ...
    what: str  # set, hidden, pinned, replaced
    generated: str = ""
    now: str = ""


class EditsState(BaseModel):
    source: str = ""  # the edits file's name
    digest: str = ""  # sha256 of its bytes
    edits: EditsFile = Field(default_factory=EditsFile)
    # page slug -> section key -> the copy it is pinned to.
    pinned_sections: dict[str, dict[str, SectionCopy]] = Field(default_factory=dict)
    # page slug -> its title and description when pinned.
    pinned_titles: dict[str, PinnedTitles] = Field(default_factory=dict)
    # image key -> the user's image as saved.
    images: dict[str, ImageFile] = Field(default_factory=dict)
    changes: list[Change] = Field(default_factory=list)

    def is_pinned(self, slug: str, key: str | None = None) -> bool:
        page = self.edits.pages.get(slug)
        if page is None:
            return False
        if page.pin or key is None:
            return page.pin
        section = page.sections.get(key)
        return bool(section and section.pin)


def stored_edits(store, project_id: str) -> EditsState | None:
    """The project's edits, or None when it has none."""
    if not store.has(project_id, STATE):
        return None
    return store.load(project_id, STATE, EditsState)
