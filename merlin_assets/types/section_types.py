"""The fixed vocabulary of section types: the plan, the industry data and the templates share it."""

from __future__ import annotations

from typing import Literal

SectionType = Literal[
    "hero",
    "value-proposition",
    "services",
    "features",
    "about",
    "process",
    "testimonials",
    "pricing",
    "gallery",
    "team",
    "faq",
    "cta",
    "contact",
]


SECTION_TYPES: tuple[str, ...] = SectionType.__args__  # type: ignore[attr-defined]
