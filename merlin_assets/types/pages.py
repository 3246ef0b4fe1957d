"""The pages of a site and the sections on them: the plans and each section's layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from merlin_assets.types.field_limits import ID_RE
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.types.section_types import SectionType


class Page(PhaseModel):
    slug: str = Field(json_schema_extra={"maxLength": 50})
    title: str = Field(json_schema_extra={"maxLength": 60})
    purpose: str = Field(json_schema_extra={"maxLength": 200})
    section_keys: list[Annotated[str, Field(json_schema_extra={"maxLength": 50})]] = Field(
        json_schema_extra={"maxItems": 12}
    )


class PagePlan(PhaseModel):
    pages: list[Page] = Field(json_schema_extra={"maxItems": 6})


@dataclass(frozen=True)
class SitePage:
    """A page a node publishes beside the planned ones (a privacy notice), as the node declares
    it: every page links it from its footer, and sitemap.xml lists it."""

    slug: str  # its file is `<slug>.html`, as for a planned page
    label: str  # the footer link's text
    footer: bool = True
    sitemap: bool = True

    def __post_init__(self) -> None:
        if not ID_RE.fullmatch(self.slug) or self.slug == "home":
            raise ValueError(f"a declared page needs a slug of its own, not {self.slug!r}")
        if not self.label.strip():
            raise ValueError(f"declared page {self.slug!r} needs a link label")
        _DECLARED.add(self.slug)


# Every declared page's slug, as the node modules that declare them are imported (the graph
# imports them all before a run starts). The page plan keeps these free: a model that planned a
# page called "privacy" had failed the whole run, its page and the notice both publishing
# privacy.html. Filled at declaration so that a new node touches only its own module.
_DECLARED: set[str] = set()


def declared_slugs() -> frozenset[str]:
    """The slugs that declared pages hold; a planned page may not take one."""
    return frozenset(_DECLARED)


class Section(PhaseModel):
    key: str = Field(
        description="lowercase-hyphenated unique key", json_schema_extra={"maxLength": 50}
    )
    type: SectionType
    importance: int = Field(description="1 (minor) to 5 (essential)")
    notes: str = Field(json_schema_extra={"maxLength": 300})


class SectionPlan(PhaseModel):
    sections: list[Section] = Field(json_schema_extra={"maxItems": 12})


class SectionLayout(PhaseModel):
    key: str = Field(json_schema_extra={"maxLength": 50})
    variant: str = Field(json_schema_extra={"maxLength": 20})
    columns: int
    image_slots: int


class Layout(PhaseModel):
    sections: list[SectionLayout] = Field(json_schema_extra={"maxItems": 12})
