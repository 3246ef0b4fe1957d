"""A config loaded with its media: every file it names checked, and a palette from its logo.

`merlin_assets.config.project.load_config` reads the text only (config sits below media in the
layers); whatever builds a site from a config file on disk loads it through here.
"""

from __future__ import annotations

from pathlib import Path

from merlin_assets.config.business import BrandColors
from merlin_assets.config.project import ProjectConfig, load_config
from merlin_assets.media.brand import palette_from_logo
from merlin_assets.media.check import check_media


def load_with_media(path: str | Path) -> ProjectConfig:
    """`load_config`, then the media files opened and decoded before anything is written."""
    config = load_config(path)
    if config.photos or config.brand.logo or config.brand.logo_dark or config.brand.icon:
        check_media(config, path)
        if (config.brand.logo or config.brand.icon) and config.brand.colors == BrandColors():
            found = palette_from_logo(config, path)
            if found:
                names = ("primary", "secondary", "accent")
                config.brand.colors = BrandColors(**dict(zip(names, found, strict=False)))
                config.brand.colors_from_logo = True
    return config
