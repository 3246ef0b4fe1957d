"""The benchmark's scenarios: latency profiles, plan sizes, and the plans the server answers.

The local OpenAI-compatible server makes up schema-valid content for every call, which would
give a random number of images and pages. A benchmark needs a fixed workload, so the server's
`responder` answers the three planning calls (sections, pages, images) with plans of exactly
the scenario's size; every other call gets the server's generated content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from merlin_assets.phases.section_plan import SECTION_TYPES

# Section types other than hero and contact, in the order pages are filled with them.
_MIDDLE_TYPES = tuple(t for t in SECTION_TYPES if t not in ("hero", "contact"))
_ASPECTS = ("4:3", "3:2", "1:1", "16:9")


@dataclass(frozen=True)
class Profile:
    """A workload: how slow the API is and how big the site is."""

    chat_s: float
    image_s: float
    images: int
    pages: int

    def describe(self) -> str:
        return (
            f"chat {self.chat_s:g} s, image {self.image_s:g} s, "
            f"{self.images} images, {self.pages} pages"
        )


@dataclass(frozen=True)
class Scenario:
    """One line of the issue's list; `modes` are the rows it produces."""

    name: str
    title: str
    profile: Profile
    modes: tuple[str, ...] = ("parallel",)


SEED = Profile(chat_s=1.0, image_s=0.5, images=10, pages=4)
# Many projects: the seed workload per project, 10 projects, 2 keys at 60 requests/min each.
MANY_PROJECTS = 10
MANY_KEYS = 2
MANY_RPM = 60

# Failover: a batch over two endpoints whose primary answers 500 to everything from halfway.
FAILOVER = Profile(chat_s=0.3, image_s=0.2, images=4, pages=3)
FAILOVER_PROJECTS = 10
FAILOVER_PARALLEL = 2  # projects built at once

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "seed", "Seed profile (1:10 of the original plan)", SEED, ("sequential", "parallel")
        ),
        Scenario(
            "original",
            "The original's measured case (56 s per pass in TypeScript)",
            Profile(chat_s=3.0, image_s=12.0, images=5, pages=4),
        ),
        Scenario("wide", "Wide: 40 images and 12 pages", Profile(1.0, 0.5, images=40, pages=12)),
        Scenario(
            "many",
            f"{MANY_PROJECTS} projects dropped at once under dagster dev, "
            f"{MANY_KEYS} keys x {MANY_RPM} requests/min",
            SEED,
            ("sensor",),
        ),
        Scenario("cached", "Cached re-run of an unchanged project", SEED, ("cached",)),
        Scenario(
            "fleet",
            "40 projects on a local fleet (2 workers x 4 runs, bench/fleet.py), "
            f"{MANY_KEYS} keys x {MANY_RPM} requests/min",
            SEED,
            ("fleet",),
        ),
        Scenario(
            "failover",
            f"{FAILOVER_PROJECTS} projects over two endpoints; the primary answers 500 from "
            "halfway",
            FAILOVER,
            ("no outage", "outage"),
        ),
        Scenario(
            "offline",
            "Offline merlin generate of an example, whole process",
            Profile(0.0, 0.0, images=0, pages=0),
            ("offline",),
        ),
    )
}

# `--quick`: the seed scenario scaled down, for the CI smoke test.
QUICK = Scenario(
    "seed",
    "Seed profile, scaled down (--quick)",
    Profile(chat_s=0.1, image_s=0.05, images=3, pages=2),
    ("sequential", "parallel"),
)


# `--quick --scenario fleet`: 6 projects of a smaller profile on the same fleet.
QUICK_FLEET = Scenario(
    "fleet",
    "Fleet, scaled down (--quick)",
    Profile(chat_s=0.1, image_s=0.05, images=3, pages=2),
    ("quick",),
)


def section_keys(profile: Profile) -> list[tuple[str, str]]:
    """(key, type) of every section: a hero, one middle section per page plus one, a contact."""
    middle = max(1, profile.pages - 1)
    sections = [("hero", "hero")]
    for i in range(middle):
        kind = _MIDDLE_TYPES[i % len(_MIDDLE_TYPES)]
        sections.append((f"{kind}-{i + 1}", kind))
    sections.append(("contact", "contact"))
    return sections


def section_plan(profile: Profile) -> dict[str, Any]:
    return {
        "sections": [
            {"key": key, "type": kind, "importance": 5 if kind == "hero" else 3, "notes": kind}
            for key, kind in section_keys(profile)
        ]
    }


def page_plan(profile: Profile) -> dict[str, Any]:
    """Home (hero and the first middle section), one page per further section, contact."""
    keys = [k for k, _ in section_keys(profile)]
    hero, middle, contact = keys[0], keys[1:-1], keys[-1]
    pages = [{"slug": "home", "title": "Home", "purpose": "Welcome", "section_keys": [hero]}]
    if middle:
        pages[0]["section_keys"].append(middle[0])
    for key in middle[1:]:
        pages.append({"slug": key, "title": key.title(), "purpose": key, "section_keys": [key]})
    pages.append(
        {"slug": "contact", "title": "Contact", "purpose": "Reach us", "section_keys": [contact]}
    )
    return {"pages": pages}


def image_plan(profile: Profile) -> dict[str, Any]:
    """A hero image, then supporting images spread over the other sections."""
    keys = [k for k, _ in section_keys(profile)]
    images = []
    for i in range(profile.images):
        hero = i == 0
        section = keys[0] if hero else keys[1 + (i - 1) % (len(keys) - 1)]
        images.append(
            {
                "key": f"image-{i + 1}",
                "section_key": section,
                "purpose": "hero" if hero else "supporting",
                "prompt": f"Photograph for the {section} section, number {i + 1}",
                "alt": f"Picture {i + 1} of the {section} section",
                "aspect": "16:9" if hero else _ASPECTS[i % len(_ASPECTS)],
            }
        )
    return {"images": images}


def responder(profile: Profile):
    """The server hook: fixed-size plans for the planning calls, None (generated) otherwise."""
    answers = {
        "SectionPlan": section_plan(profile),
        "PagePlan": page_plan(profile),
        "ImagePlan": image_plan(profile),
    }

    def answer(request: dict[str, Any]) -> dict[str, Any] | None:
        fmt = request.get("response_format") or {}
        name = (fmt.get("json_schema") or {}).get("name")
        return answers.get(name)

    return answer


def copy_items(profile: Profile) -> int:
    """Items of visitor copy the fact-check judge reads: each page, copywriting and SEO."""
    return profile.pages + 2


def calls_per_site(profile: Profile) -> int:
    """Nine phase calls, one per image and one per page, and the judge's one per copy item
    (a redo adds a writer's call and a judge's to that item, at most once)."""
    return 9 + profile.images + profile.pages + copy_items(profile)
