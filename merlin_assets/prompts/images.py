"""The prompt an image model gets for one planned image."""

from __future__ import annotations

from merlin_assets.types.images import PlannedImage
from merlin_assets.types.style import Palette

STYLE = {
    "hero": "a wide, inviting photograph that sets the scene, with calm space for a headline",
    "supporting": "a natural, editorial photograph",
    "background": "a soft, low-contrast texture that text can sit on",
    "icon": "a simple flat icon on a plain background, one subject, no outline clutter",
}


def image_prompt(image: PlannedImage, palette: Palette, industry: str = "") -> str:
    """A prompt for `image` in the site's colours; no text in the picture, ever."""
    setting = f" for a {industry.lower()} business" if industry else ""
    return (
        f"{image.prompt.strip()}. {STYLE.get(image.purpose, STYLE['supporting'])}{setting}. "
        f"Colour palette leaning on {palette.primary}, {palette.secondary} and "
        f"{palette.accent}. No words, letters, logos or watermarks."
    )
