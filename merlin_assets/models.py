"""Typed outputs of every phase: what each asset holds, and what the LLM must return."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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

ImagePurpose = Literal["hero", "supporting", "icon", "background"]
Aspect = Literal["16:9", "4:3", "3:2", "1:1"]


class PhaseModel(BaseModel):
    # The LLM sees these models as strict JSON schemas: no extra keys either way.
    model_config = ConfigDict(extra="forbid")


class DesignStrategy(PhaseModel):
    brand_personality: list[str] = Field(description="3-5 adjectives")
    voice: str = Field(description="How the brand speaks, one sentence")
    visual_keywords: list[str]
    color_direction: str
    conversion_goal: str
    trust_builders: list[str]


class Audience(PhaseModel):
    who: str
    goals: list[str]
    pain_points: list[str]


class DesignContext(PhaseModel):
    audience: Audience
    emotional_tone: str
    value_proposition: str
    page_objective: str


class Section(PhaseModel):
    key: str = Field(description="lowercase-hyphenated unique key")
    type: SectionType
    importance: int = Field(description="1 (minor) to 5 (essential)")
    notes: str


class SectionPlan(PhaseModel):
    sections: list[Section]


class Palette(PhaseModel):
    primary: str
    secondary: str
    accent: str
    background: str
    surface: str
    text: str
    muted_text: str
    neutrals: list[str]


class Fonts(PhaseModel):
    heading: str
    body: str


class StyleSystem(PhaseModel):
    palette: Palette
    fonts: Fonts
    base_font_px: int = Field(description="16-20")
    type_scale_ratio: float = Field(description="1.125-1.333")
    spacing_unit_px: int = Field(description="4-12")
    radius_px: int = Field(description="0-24")
    shadow_strength: float = Field(description="0 (flat) to 1 (deep)")
    mood: str


class SectionLayout(PhaseModel):
    key: str
    variant: str
    columns: int
    image_slots: int


class Layout(PhaseModel):
    sections: list[SectionLayout]


class Page(PhaseModel):
    slug: str
    title: str
    purpose: str
    section_keys: list[str]


class PagePlan(PhaseModel):
    pages: list[Page]


class PlannedImage(PhaseModel):
    key: str
    section_key: str
    purpose: ImagePurpose
    prompt: str
    alt: str
    aspect: Aspect


class ImagePlan(PhaseModel):
    images: list[PlannedImage]


class CtaLabels(PhaseModel):
    primary: str
    secondary: str


class ServiceItem(PhaseModel):
    name: str
    description: str


class FaqItem(PhaseModel):
    question: str
    answer: str


class Testimonial(PhaseModel):
    quote: str
    author: str
    role: str


class Copywriting(PhaseModel):
    tagline: str
    value_proposition: str
    voice_guide: str
    key_messages: list[str]
    cta_labels: CtaLabels
    services: list[ServiceItem]
    faqs: list[FaqItem]
    testimonials: list[Testimonial]


class PageSeo(PhaseModel):
    slug: str
    title: str = Field(description="at most 60 characters")
    description: str = Field(description="at most 160 characters")
    keywords: list[str]


class Organization(PhaseModel):
    name: str
    description: str
    area_served: str
    telephone: str
    email: str


class SeoStrategy(PhaseModel):
    site_title: str
    schema_type: str = Field(description="a schema.org LocalBusiness or Organization subtype")
    organization: Organization
    og_type: str
    pages: list[PageSeo]


class SectionCopy(PhaseModel):
    key: str
    eyebrow: str
    heading: str
    body: str
    bullets: list[str]
    cta_label: str


class PageCopy(PhaseModel):
    slug: str
    sections: list[SectionCopy]


PHASE_MODELS: dict[str, type[PhaseModel]] = {
    "design_strategy": DesignStrategy,
    "design_context": DesignContext,
    "section_plan": SectionPlan,
    "style_system": StyleSystem,
    "layout": Layout,
    "page_plan": PagePlan,
    "image_plan": ImagePlan,
    "copywriting": Copywriting,
    "seo_strategy": SeoStrategy,
    "page_copy": PageCopy,
}


class ImageFile(BaseModel):
    """One generated image as saved on disk, in every web size."""

    key: str
    alt: str
    width: int
    height: int
    files: dict[str, str] = Field(description="width in px (as text) -> file name")
    fallback: str = Field(description="file name of the JPEG for old browsers")
    source: Literal["offline", "openai", "fallback"]


class PageFile(BaseModel):
    slug: str
    path: str
    title: str
    description: str
    bytes: int


class CheckOutcome(BaseModel):
    name: str
    passed: bool
    description: str
    findings: list[str]


class QualityReport(BaseModel):
    score: float
    checks: list[CheckOutcome]
