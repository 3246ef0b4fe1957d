"""The visitor-facing copy: site-wide messaging and each page's section copy."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from merlin_assets.types.phase_model import PhaseModel


class CtaLabels(PhaseModel):
    primary: str = Field(json_schema_extra={"maxLength": 30})
    secondary: str = Field(json_schema_extra={"maxLength": 30})


class ServiceItem(PhaseModel):
    name: str = Field(json_schema_extra={"maxLength": 80})
    description: str = Field(json_schema_extra={"maxLength": 300})


class FaqItem(PhaseModel):
    question: str = Field(json_schema_extra={"maxLength": 150})
    answer: str = Field(json_schema_extra={"maxLength": 600})


class Testimonial(PhaseModel):
    # A config's quote is at most 600 characters, its name 80 and its role 120.
    quote: str = Field(json_schema_extra={"maxLength": 600})
    author: str = Field(json_schema_extra={"maxLength": 80})
    role: str = Field(json_schema_extra={"maxLength": 120})


class Copywriting(PhaseModel):
    tagline: str = Field(json_schema_extra={"maxLength": 90})
    value_proposition: str = Field(json_schema_extra={"maxLength": 400})
    voice_guide: str = Field(json_schema_extra={"maxLength": 300})
    key_messages: list[Annotated[str, Field(json_schema_extra={"maxLength": 200})]] = Field(
        json_schema_extra={"maxItems": 5}
    )
    cta_labels: CtaLabels
    services: list[ServiceItem] = Field(json_schema_extra={"maxItems": 12})
    faqs: list[FaqItem] = Field(json_schema_extra={"maxItems": 6})
    testimonials: list[Testimonial] = Field(json_schema_extra={"maxItems": 6})


class SectionCopy(PhaseModel):
    key: str = Field(json_schema_extra={"maxLength": 50})
    eyebrow: str = Field(json_schema_extra={"maxLength": 50})
    heading: str = Field(json_schema_extra={"maxLength": 90})
    body: str = Field(json_schema_extra={"maxLength": 600})
    bullets: list[Annotated[str, Field(json_schema_extra={"maxLength": 150})]] = Field(
        json_schema_extra={"maxItems": 5}
    )
    cta_label: str = Field(json_schema_extra={"maxLength": 30})


class PageCopy(PhaseModel):
    slug: str = Field(json_schema_extra={"maxLength": 50})
    sections: list[SectionCopy] = Field(json_schema_extra={"maxItems": 12})
