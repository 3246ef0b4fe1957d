"""Image plan: every image of the site, on an existing section, with prompt and alt text."""

from __future__ import annotations

import colorsys
from collections.abc import Callable
from dataclasses import dataclass

from merlin_assets.color import is_hex, to_rgb
from merlin_assets.industries import profile_for
from merlin_assets.media.plan import USER_PROMPT, fit_photos
from merlin_assets.phases.base import NodeInputs, Phase, bullets, needs_of
from merlin_assets.phases.design_strategy import DesignStrategy
from merlin_assets.phases.style_system import StyleSystem
from merlin_assets.prompts.common import business, inputs_block
from merlin_assets.types.field_limits import ALT_MAX, Notes, as_key, clip, visible
from merlin_assets.types.images import ImagePlan, PlannedImage
from merlin_assets.types.pages import SectionPlan
from merlin_assets.types.phase_model import PhaseModel
from merlin_assets.writers.text import (
    article,
    cap,
    need,
    pick,
    rng_for,
    sample,
    services_for,
    truncate_words,
)

IMAGE_PLAN = """Plan the images of the site: one hero image for the hero section, supporting
images for about, gallery and team sections, up to three icons for services, and optionally a
background for a call to action. 5-10 images. Each has a unique lowercase-hyphenated key, the
key of an existing section, a purpose (hero, supporting, icon or background), a detailed prompt
for an image model in the style system's mood and palette (no text in images), alt text of at
most 125 characters for a blind reader, and an aspect (16:9, 4:3, 3:2 or 1:1).
{business}
{inputs}"""


def prompt(inp: Inputs) -> str:
    return IMAGE_PLAN.format(
        business=business(inp.config),
        inputs=inputs_block(
            section_plan=inp.section_plan,
            style_system=inp.style_system,
            design_strategy=inp.design_strategy,
        ),
    )


_HUES = (
    (15, "red"),
    (33, "orange"),
    (50, "amber"),
    (70, "yellow"),
    (160, "green"),
    (190, "teal"),
    (250, "blue"),
    (280, "indigo"),
    (320, "violet"),
    (345, "pink"),
    (360, "red"),
)


_STYLE = "Photorealistic, natural light, shallow depth of field, high detail"


_NO_TEXT = "no text, no lettering, no logos, no watermarks"


def colour_name(value: str) -> str:
    """A plain-words name for a hex colour ("deep blue"), so prompts can describe the palette."""
    if not is_hex(value):
        return "neutral"
    r, g, b = (c / 255 for c in to_rgb(value))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    if sat < 0.15:
        return "charcoal" if light < 0.3 else "warm grey" if light < 0.75 else "soft white"
    degrees = hue * 360
    name = next(label for limit, label in _HUES if degrees <= limit)
    if name in {"orange", "red"} and light < 0.4 and sat < 0.7:
        name = "brown" if name == "orange" else "wine red"
    shade = "deep " if light < 0.3 else "soft " if light > 0.7 else ""
    return f"{shade}{name}"


def _alt(subject: str, suffix: str) -> str:
    """Alt text that always keeps the business name: the subject gives way if space runs out."""
    suffix = truncate_words(suffix, 100)  # a name is at most 80 characters, so it survives
    room = ALT_MAX - len(suffix) - 1
    return truncate_words(f"{cap(truncate_words(subject, room))} {suffix}", ALT_MAX)


def write(inputs: Inputs) -> ImagePlan:
    need(inputs, "section_plan", "style_system", "design_strategy")
    assert inputs.section_plan is not None and inputs.style_system is not None
    assert inputs.design_strategy is not None
    config = inputs.config
    profile = profile_for(config)
    rng = rng_for(inputs, "image_plan")
    name = config.name
    where = f" in {config.location}" if config.location else ""
    business = f"{name}, {article(profile.label)} {profile.label}{where}"
    palette = inputs.style_system.palette
    colours = [colour_name(palette.primary), colour_name(palette.secondary)]
    keywords = ", ".join(inputs.design_strategy.visual_keywords[:4]) or profile.label
    mood = inputs.style_system.mood.rstrip(".").lower()
    look = (
        f"Visual keywords: {keywords}. Mood: {mood}. Colour palette of {colours[0]} and "
        f"{colours[1]} with {colour_name(palette.accent)} accents. {_STYLE}; {_NO_TEXT}."
    )
    subjects = sample(rng, profile.image_subjects, len(profile.image_subjects))

    def photo(subject: str) -> str:
        return f"{cap(subject)}, for {business}. {look}"

    by_type: dict[str, str] = {}
    for section in inputs.section_plan.sections:
        by_type.setdefault(section.type, section.key)

    images: list[PlannedImage] = []
    if "hero" in by_type:
        images.append(
            PlannedImage(
                key="hero",
                section_key=by_type["hero"],
                purpose="hero",
                prompt=f"Wide hero photograph: {photo(subjects[0])} Leave calm space on one "
                "side for a headline.",
                alt=_alt(subjects[0], f"at {name}{where}"),
                aspect="16:9",
            )
        )
    if "about" in by_type:
        subject = subjects[1 % len(subjects)]
        images.append(
            PlannedImage(
                key="about-1",
                section_key=by_type["about"],
                purpose="supporting",
                prompt=photo(subject),
                alt=_alt(subject, f"at {name}"),
                aspect=pick(rng, ("4:3", "3:2")),
            )
        )
    if "gallery" in by_type:
        for i in range(3):
            subject = subjects[(i + 2) % len(subjects)]
            angle = ("close-up of", "wide view of", "candid shot of")[i]
            images.append(
                PlannedImage(
                    key=f"gallery-{i + 1}",
                    section_key=by_type["gallery"],
                    purpose="supporting",
                    prompt=photo(f"{angle} {subject}"),
                    alt=_alt(f"{angle} {subject}", f"at {name}"),
                    aspect=pick(rng, ("4:3", "3:2")),
                )
            )
    if "team" in by_type:
        images.append(
            PlannedImage(
                key="team-1",
                section_key=by_type["team"],
                purpose="supporting",
                prompt=photo(f"the friendly {profile.label} team together in {profile.setting}"),
                alt=_alt("The team smiling together at work", f"at {name}"),
                aspect="3:2",
            )
        )
    if "services" in by_type:
        for i, service in enumerate(services_for(config, profile)[:3], start=1):
            images.append(
                PlannedImage(
                    key=f"services-icon-{i}",
                    section_key=by_type["services"],
                    purpose="icon",
                    prompt=(
                        f"Simple flat icon representing {service} for {business}. One clear "
                        f"symbol in {colours[0]} and {colour_name(palette.accent)} on a plain "
                        f"light background, rounded geometric shapes, even line weight, "
                        f"generous padding, {_NO_TEXT}."
                    ),
                    alt=_alt(f"Icon representing {service}", f"at {name}"),
                    aspect="1:1",
                )
            )
    if "cta" in by_type:
        images.append(
            PlannedImage(
                key="cta-background",
                section_key=by_type["cta"],
                purpose="background",
                prompt=(
                    f"Soft, out-of-focus background of {profile.setting} for "
                    f"{business}, washed in {colours[0]} tones with gentle texture and even "
                    f"contrast so white text stays readable on top. Mood: {mood}. {_NO_TEXT}."
                ),
                alt=_alt(f"Blurred view of {profile.setting}", f"at {name}"),
                aspect="16:9",
            )
        )
    return ImagePlan(images=images[:10])


MAX_IMAGES = 40


def repair(value: ImagePlan, inputs: Inputs, rules: Callable[[], PhaseModel]):
    assert inputs.section_plan is not None
    notes: Notes = []
    sections = {s.key: s for s in inputs.section_plan.sections}
    hero = next(s.key for s in inputs.section_plan.sections if s.type == "hero")
    taken: set[str] = set()
    images = []
    for img in value.images[:MAX_IMAGES]:
        section_key = img.section_key
        if section_key not in sections:
            if img.purpose == "hero":
                section_key = hero
            else:
                notes.append(f"image {img.key!r}: dropped, section {img.section_key!r} unknown")
                continue
            notes.append(f"image {img.key!r}: section {img.section_key!r} -> {hero!r}")
        key = as_key(img.key, taken, f"image-{len(images) + 1}")
        said = [t for t in (img.alt, img.prompt) if visible(t)]
        alt = clip(said[0] if said else f"Image for {inputs.config.name}", ALT_MAX)
        images.append(img.model_copy(update={"key": key, "section_key": section_key, "alt": alt}))
    if not any(i.purpose == "hero" for i in images):
        ruled = rules()
        assert isinstance(ruled, ImagePlan)
        hero_img = next((i for i in ruled.images if i.purpose == "hero"), None)
        if hero_img is not None:
            images.insert(0, hero_img.model_copy(update={"key": as_key("hero", taken, "hero")}))
            notes.append("added a hero image")
    by_type: dict[str, str] = {}
    for section in inputs.section_plan.sections:
        by_type.setdefault(section.type, section.key)
    images, placed = fit_photos(inputs.config, images, by_type)
    return ImagePlan(images=images), notes + placed


@dataclass(frozen=True)
class Inputs(NodeInputs):
    section_plan: SectionPlan
    style_system: StyleSystem
    design_strategy: DesignStrategy


def preview(v: ImagePlan) -> dict:
    own = USER_PROMPT.split("{")[0]
    users = [i.key for i in v.images if i.prompt.startswith(own)]
    return {
        **({"user_photos": users} if users else {}),
        "images": len(v.images),
        "keys": [i.key for i in v.images],
        "image_sections": {i.key: i.section_key for i in v.images},
        "hero": next((i.key for i in v.images if i.purpose == "hero"), ""),
        "preview_md": bullets([f"`{i.key}` ({i.purpose}, {i.aspect}): {i.alt}" for i in v.images]),
    }


NODE = Phase(
    name="image_plan",
    group="planning",
    description="Every image of the site: its section, purpose, prompt, alt text and aspect.",
    needs=needs_of(Inputs),
    inputs=Inputs,
    model=ImagePlan,
    max_output_tokens=1536,
    prompt=prompt,
    fallback=write,
    repair=repair,
    preview=preview,
)
