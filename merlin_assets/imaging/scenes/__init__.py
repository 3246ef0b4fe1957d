"""The scenes an offline image can be drawn as, and how a hero image's scene is chosen.

Each scene module has a `draw(cv)` that paints a whole `Canvas`; icons and backgrounds are
drawn by `icon.draw(cv, image)` and `pattern.draw(cv)`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from merlin_assets.imaging.canvas import Canvas
from merlin_assets.imaging.scenes import (
    bokeh,
    city,
    interior,
    isometric,
    landscape,
    still_life,
    waves,
)
from merlin_assets.imaging.words import best_match
from merlin_assets.types.images import PlannedImage

Scene = Callable[[Canvas], None]

# Hero scenes by the name an industry profile gives as its image scene.
HERO_SCENES: dict[str, Scene] = {
    "landscape": landscape.draw,
    "city": city.draw,
    "isometric": isometric.draw,
    "interior": interior.draw,
}
# Supporting images draw one of these, chosen by the seed; the order is part of that choice.
SUPPORTING_SCENES: tuple[Scene, ...] = (bokeh.draw, waves.draw, still_life.draw)

# Words that pick a hero scene from an image's prompt and key when no scene is named (images
# planned by an LLM). Order matters: on a tie the first scene listed wins.
_SCENE_WORDS: dict[str, tuple[str, ...]] = {
    "landscape": (
        "nature", "landscape", "outdoor", "mountain", "garden", "travel", "farm", "park", "eco",
        "hiking", "adventure", "forest", "lake", "wellness", "yoga", "camp", "tour", "wild",
        "vineyard", "retreat", "landscaping", "green",
    ),
    "city": (
        "city", "urban", "office", "finance", "bank", "law", "legal", "consult", "agency",
        "estate", "corporate", "business", "architect", "hotel", "skyline", "downtown",
        "accounting", "insurance",
    ),
    "isometric": (
        "tech", "technology", "software", "saas", "data", "cloud", "ai", "app", "digital",
        "startup", "it", "cyber", "web", "developer", "platform", "analytics", "automation",
    ),
    "interior": (
        "kitchen", "home", "studio", "cafe", "coffee", "bakery", "restaurant", "interior",
        "furniture", "craft", "shop", "boutique", "salon", "bar", "decor", "food", "cook",
        "ceramic", "pottery", "florist", "room", "cleaning",
    ),
}  # fmt: skip
# The seed's pick when no word matches. This is the alphabetical order of the scenes from when
# isometric was called "tech"; keeping it keeps those images as they were drawn.
_UNMATCHED_ORDER = ("city", "interior", "landscape", "isometric")


def pick_scene(scene: str, image: PlannedImage, rng: random.Random) -> str:
    """Name of the hero scene to draw: `scene` itself when it is a name in `HERO_SCENES`.

    Otherwise the words of `scene` choose (free-text hints such as "kitchen" or "tech", from
    industry profiles written before scenes were named), then the words of the image's prompt
    and key, and failing those `rng`.
    """
    if scene in HERO_SCENES:
        return scene
    name = best_match(_SCENE_WORDS, [(scene, 10)]) or best_match(
        _SCENE_WORDS, [(image.prompt, 1), (image.key, 2)]
    )
    return name or rng.choice(_UNMATCHED_ORDER)
