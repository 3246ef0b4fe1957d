"""What the offline writers know about each kind of business: tone, look, audience and phrasing.

The profiles are data: one YAML file per industry in `merlin_assets/data/industries/`, named
after its key and validated into an `IndustryProfile` at import. This module loads them and
matches a project's industry to one.

Templates may use these fields, filled by `merlin_assets.writers.text.context`: {name}, {label},
{area} (the location or "the local area"), {in_area} ("in Leith" or "locally"), {services},
{service}, {audience}, {customer} and {customers}.
"""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from merlin_assets.config.project import ProjectConfig

# The hero illustrations `merlin_assets.imaging` can draw; a profile names one directly.
Scene = Literal["landscape", "city", "isometric", "interior"]
# Section types a profile may add to the base set every site gets (see the section planner).
ExtraSection = Literal["features", "process", "pricing", "gallery", "team"]

Text = Annotated[str, Field(min_length=1)]
Keyword = Annotated[str, Field(min_length=1, pattern=r"^[^A-Z]+$")]
Hex = Annotated[str, Field(pattern=r"^#[0-9a-f]{6}$")]


def _pair(first: str, second: str) -> BeforeValidator:
    """Read a `{first: ..., second: ...}` mapping from the data file as a plain 2-tuple."""

    def parse(value: object) -> object:
        if not isinstance(value, dict):
            return value
        if set(value) != {first, second}:
            raise ValueError(
                f"expected exactly the keys {first!r} and {second!r}, got {sorted(value)}"
            )
        return value[first], value[second]

    return BeforeValidator(parse)


Step = Annotated[tuple[Text, Text], _pair("title", "text")]
Faq = Annotated[tuple[Text, Text], _pair("q", "a")]
FontPair = Annotated[tuple[Text, Text], _pair("heading", "body")]


class Variant(BaseModel):
    """A narrower trade inside a profile (a café inside the bakery profile) with its own label."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Text
    schema_type: Text
    keywords: tuple[Keyword, ...] = Field(min_length=1)


class IndustryProfile(BaseModel):
    """Rule-of-thumb knowledge about one industry, used to write its site without an LLM."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Annotated[str, Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")]
    label: Text
    # Lower-case words that name the trade; the generic profile has none.
    keywords: tuple[Keyword, ...] = ()
    personality: tuple[Text, ...] = Field(min_length=1)
    visual_keywords: tuple[Text, ...] = Field(min_length=1)
    color_direction: Text
    palette: tuple[Hex, Hex, Hex]
    font_pairs: tuple[FontPair, ...] = Field(min_length=1)
    schema_type: Text
    trust_builders: tuple[Text, ...] = Field(min_length=1)
    audience: Text
    customer: Text
    customers: Text
    pain_points: tuple[Text, ...] = Field(min_length=1)
    goals: tuple[Text, ...] = Field(min_length=1)
    process: tuple[Step, ...] = Field(min_length=1)
    # The FAQ writer picks three.
    faqs: tuple[Faq, ...] = Field(min_length=3)
    default_services: tuple[Text, ...] = Field(min_length=1)
    promises: tuple[Text, ...] = Field(min_length=1)
    image_subjects: tuple[Text, ...] = Field(min_length=1)
    # The hero illustration drawn offline, and where photos are set ("a warm working kitchen").
    scene: Scene
    setting: Text
    conversion_goal: Text
    cta_primary: tuple[Text, ...] = Field(min_length=1)
    cta_secondary: tuple[Text, ...] = Field(min_length=1)
    emotional_tone: Text
    extra_sections: tuple[ExtraSection, ...] = ()
    variants: tuple[Variant, ...] = ()

    @model_validator(mode="after")
    def _keywords_consistent(self) -> IndustryProfile:
        if len(set(self.keywords)) != len(self.keywords):
            raise ValueError("keywords: a keyword is listed twice")
        for variant in self.variants:
            # A variant only narrows a profile that matched, so the profile must know its words.
            missing = [k for k in variant.keywords if k not in self.keywords]
            if missing:
                raise ValueError(
                    f"variants: {variant.label!r} has keywords the profile lacks: {missing}"
                )
        return self


class IndustryDataError(ValueError):
    """A profile data file that cannot be read or does not validate; names the file."""


DATA = resources.files("merlin_assets") / "data" / "industries"


def load_profile(path: Traversable | Path) -> IndustryProfile:
    """One profile from its YAML file, whose name must be the profile's key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndustryDataError(f"{path.name}: cannot read industry profile: {exc}") from exc
    if not isinstance(data, dict):
        raise IndustryDataError(f"{path.name}: expected a mapping of profile fields")
    try:
        profile = IndustryProfile.model_validate(data)
    except ValidationError as exc:
        raise IndustryDataError(f"{path.name}: invalid industry profile: {exc}") from exc
    stem = path.name.removesuffix(".yaml")
    if profile.key != stem:
        raise IndustryDataError(f"{path.name}: key {profile.key!r} does not match the file name")
    return profile


def load_profiles(directory: Traversable | Path = DATA) -> dict[str, IndustryProfile]:
    """Every profile in `directory`, by key, in file-name order."""
    files = sorted(
        (f for f in directory.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name
    )
    return {profile.key: profile for profile in map(load_profile, files)}


_BY_KEY = load_profiles()
GENERIC = _BY_KEY["generic"]
# Matching does not depend on this order: no keyword belongs to two profiles (see the tests).
PROFILES: tuple[IndustryProfile, ...] = tuple(p for k, p in _BY_KEY.items() if k != "generic")

BAKERY = _BY_KEY["bakery"]
RESTAURANT = _BY_KEY["restaurant"]
LAW = _BY_KEY["law"]
DENTAL = _BY_KEY["dental"]
MEDICAL = _BY_KEY["medical"]
FITNESS = _BY_KEY["fitness"]
HOME_SERVICES = _BY_KEY["home-services"]
SOFTWARE = _BY_KEY["software"]
REAL_ESTATE = _BY_KEY["real-estate"]
BEAUTY = _BY_KEY["beauty"]
ACCOUNTING = _BY_KEY["accounting"]
CREATIVE = _BY_KEY["creative"]
CONSTRUCTION = _BY_KEY["construction"]
CONSULTING = _BY_KEY["consulting"]
PET_CARE = _BY_KEY["pet-care"]
EDUCATION = _BY_KEY["education"]
LANDSCAPING = _BY_KEY["landscaping"]
AUTO = _BY_KEY["auto"]
NONPROFIT = _BY_KEY["nonprofit"]


def _pattern(keyword: str) -> re.Pattern[str]:
    # Whole words with an optional plural, so "law" never matches "lawn" and "art" not "startup".
    word = re.escape(keyword)
    if keyword.endswith("y"):
        word = rf"(?:{word}|{re.escape(keyword[:-1])}ies)"
    return re.compile(rf"(?<!\w){word}(?:s|es)?(?!\w)", re.IGNORECASE)


# Words that name a setting more than a trade ("clinic", "studio"), so they only decide a
# match when nothing more specific is in the text: "pet-friendly cafe" is a café.
WEAK = frozenset(
    (
        "clinic", "health", "healthcare", "medical", "app", "data", "platform", "tech",
        "technology", "training", "learning", "courses", "agency", "art", "film", "music",
        "strategy", "finance", "financial", "property", "properties", "garden", "landscape",
        "pet", "pets", "school", "therapy", "wellness", "kitchen", "bar", "spin", "cake",
        "coffee", "tax", "audit", "pr", "ai",
    )
)  # fmt: skip


def _best_keyword(text: str, keywords: tuple[str, ...]) -> tuple[int, int, int, str] | None:
    """The strongest keyword found: specific over weak, earliest, then longest."""
    best: tuple[int, int, int, str] | None = None
    for keyword in keywords:
        match = _pattern(keyword).search(text)
        if match:
            score = (int(keyword not in WEAK), -match.start(), len(keyword), keyword)
            best = score if best is None or score > best else best
    return best


def _match(text: str) -> tuple[IndustryProfile, tuple[int, int, int, str]] | None:
    # The trade named first wins: "Software for bookkeeping" is software, and
    # "veterinary clinic" is a vet rather than a medical clinic.
    best: tuple[IndustryProfile, tuple[int, int, int, str]] | None = None
    for profile in PROFILES:
        score = _best_keyword(text, profile.keywords)
        if score and (best is None or score[:3] > best[1][:3]):
            best = (profile, score)
    return best


def _narrow(
    profile: IndustryProfile, text: str, score: tuple[int, int, int, str]
) -> IndustryProfile:
    """Apply a variant the text names at least as strongly (an electrician, a café)."""
    best: tuple[tuple[int, int, int, str], Variant] | None = None
    for variant in profile.variants:
        found = _best_keyword(text, variant.keywords)
        if found and found[:3] >= score[:3] and (best is None or found > best[0]):
            best = (found, variant)
    if best is None:
        return profile
    return profile.model_copy(update={"schema_type": best[1].schema_type, "label": best[1].label})


# Words a person adds to their trade that say nothing about which trade it is ("pet shop",
# "financial services"): a weak keyword with only these beside it still names the trade.
_TRADE_NOUNS = frozenset(
    (
        "business", "businesses", "company", "companies", "firm", "shop", "store", "studio",
        "agency", "service", "services", "provider", "specialist", "specialists", "the", "a",
        "an", "and", "&", "of", "for", "local", "small", "independent", "family", "ltd",
    )
)  # fmt: skip
# Evidence in the description and services: a specific keyword counts 2, a weak one 1, each
# distinct keyword once; a profile needs this much ("a bakery and coffee shop" is 5, a lab
# that "publishes open data" is 1).
BODY_EVIDENCE = 4
# Endings that make an industry read as an activity rather than a noun for the business
# ("catering", "pottery classes", "canal boat hire"), so its label gets "business".
_ACTIVITY_ENDS = ("ing", "hire", "rental", "repairs", "supplies", "classes", "lessons")


def _words(text: str) -> list[str]:
    return re.findall(r"[\w&'’-]+", text.lower())


def _keyword_only(text: str, keyword: str) -> bool:
    """Whether the text names nothing but the keyword and generic trade nouns ("Pet shop")."""
    rest = _pattern(keyword).sub(" ", text)
    return all(w in _TRADE_NOUNS for w in _words(rest))


def _decisive(text: str) -> tuple[IndustryProfile, tuple[int, int, int, str]] | None:
    """A match that settles the trade on its own: a specific keyword, or a weak one with
    nothing else beside it. "Home care agency" says more than "agency", so it does not."""
    found = _match(text)
    if found is None:
        return None
    # `_match` prefers a specific keyword, so a weak best means the text has no specific one.
    return found if found[1][0] or _keyword_only(text, found[1][3]) else None


def _body_match(config: ProjectConfig) -> tuple[IndustryProfile, str] | None:
    """The profile the description and services give enough distinct evidence for."""
    text = "\n".join((config.description, *config.services))
    best: tuple[tuple[int, int], IndustryProfile] | None = None
    for profile in PROFILES:
        weight, first = 0, len(text)
        for keyword in profile.keywords:
            match = _pattern(keyword).search(text)
            if match:
                weight += 1 if keyword in WEAK else 2
                first = min(first, match.start())
        if weight >= BODY_EVIDENCE and (best is None or (weight, -first) > best[0]):
            best = ((weight, -first), profile)
    return (best[1], text) if best else None


def _generic(industry: str) -> IndustryProfile:
    """The generic profile, named after the client's own industry words ("pottery studio")."""
    trade = " ".join(industry.split()).strip(" .")
    if not trade:
        return GENERIC
    lowered = trade[:1].lower() + trade[1:] if trade[1:2].islower() else trade
    last = lowered.lower().split()[-1]
    activity = last.endswith(_ACTIVITY_ENDS) or " and " in lowered.lower()
    label = f"{lowered} business" if activity else lowered
    # Only used when the config lists no services of its own.
    services = (trade[:1].upper() + trade[1:], "Advice and consultations", "Ongoing support")
    return GENERIC.model_copy(update={"label": label, "default_services": services})


def profile_for(config: ProjectConfig) -> IndustryProfile:
    """The profile the config gives strong evidence for, else the generic one.

    Strong evidence is a keyword in the industry the client wrote or in the business's name
    (a weak keyword only when nothing else is said beside it: "Pet shop" but not "Home care
    agency"), or several distinct keywords in the description and services together. One
    passing word is not evidence: a research lab that "publishes open data" is not a
    software company, and gets the generic profile named after its own industry words.
    """
    for text in (config.industry, config.name):
        found = _decisive(text)
        if found is not None:
            return _narrow(found[0], text, found[1])
    body = _body_match(config)
    if body is not None:
        profile, text = body
        score = _best_keyword(text, profile.keywords)
        assert score is not None
        return _narrow(profile, text, score)
    return _generic(config.industry)
