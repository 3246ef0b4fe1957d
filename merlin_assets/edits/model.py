"""What an edits file may say: per page its title, description, pin and sections; per section
its text fields, hidden or pinned; per planned image a file of the user's to show instead.

    pages:
      home:
        title: Crumb & Co | Sourdough in Leith
        sections:
          hero:
            heading: Bread worth getting up for
          testimonials: {hide: true}
      about: {pin: true}
    images:
      hero: {file: media/shopfront.jpg, alt: Our shop on Leith Walk}
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from merlin_assets.config.fields import LINE, PARA, StrictModel
from merlin_assets.config.media import ALT_MAX, PhotoPath
from merlin_assets.types.field_limits import DESCRIPTION_MAX, TITLE_MAX
from merlin_assets.types.site_copy import SectionCopy

# The text fields of a section an edit may set, with the page copy's own limits.
TEXT_FIELDS = ("eyebrow", "heading", "body", "bullets", "cta_label")


def _limit(name: str) -> int:
    extra = SectionCopy.model_fields[name].json_schema_extra
    assert isinstance(extra, dict)
    return int(extra["maxLength"])  # type: ignore[arg-type]


Line = Annotated[str, LINE]


class SectionEdit(StrictModel):
    """One section: text that replaces the generated text, hidden, or pinned."""

    eyebrow: Annotated[str, Field(max_length=_limit("eyebrow")), LINE] | None = None
    heading: Annotated[str, Field(min_length=1, max_length=_limit("heading")), LINE] | None = None
    body: Annotated[str, Field(max_length=_limit("body")), PARA] | None = None
    bullets: list[Annotated[str, Field(min_length=1, max_length=150), LINE]] | None = Field(
        default=None, max_length=5
    )
    cta_label: Annotated[str, Field(max_length=_limit("cta_label")), LINE] | None = None
    hide: bool = False
    pin: bool = False

    def texts(self) -> dict[str, str | list[str]]:
        """The text fields this edit sets."""
        return {f: v for f in TEXT_FIELDS if (v := getattr(self, f)) is not None}


class PageEdit(StrictModel):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX), LINE] | None = None
    description: Annotated[str, Field(min_length=1, max_length=DESCRIPTION_MAX), LINE] | None = None
    pin: bool = False
    sections: dict[str, SectionEdit] = Field(default_factory=dict, max_length=12)


def _file_or_mapping(value: object) -> object:
    """`hero: media/shop.jpg` is short for `hero: {file: media/shop.jpg}`."""
    return {"file": value} if isinstance(value, str) else value


class ImageEdit(StrictModel):
    file: PhotoPath
    alt: Annotated[str, Field(max_length=ALT_MAX), LINE] | None = None


class EditsFile(StrictModel):
    pages: dict[str, PageEdit] = Field(default_factory=dict, max_length=8)
    images: dict[str, Annotated[ImageEdit, BeforeValidator(_file_or_mapping)]] = Field(
        default_factory=dict, max_length=40
    )


# Field names an edits file may use at each level, for "valid choices" in errors.
CHOICES = {
    "top": tuple(EditsFile.model_fields),
    "page": tuple(PageEdit.model_fields),
    "section": tuple(SectionEdit.model_fields),
    "image": tuple(ImageEdit.model_fields),
}
