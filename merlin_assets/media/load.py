"""A config loaded with its media: every file it names checked, and a palette from its logo.

`merlin_assets.config.project.load_config` reads the text only (config sits below media in the
layers); whatever builds a site from a config file on disk loads it through here.
"""

from __future__ import annotations

from pathlib import Path

from merlin_assets.config.business import BrandColors
from merlin_assets.config.errors import ConfigError
from merlin_assets.config.media import missing_alt
from merlin_assets.config.project import ProjectConfig, load_config
from merlin_assets.media.brand import palette_from_logo
from merlin_assets.media.check import check_media


def load_with_media(path: str | Path, *, vision: bool = False) -> ProjectConfig:
    """`load_config`, then the media files opened and decoded before anything is written.

    A photo without alt text is refused unless `vision` (a model that can see will describe
    it during the run, `engine.describe`).
    """
    config = load_config(path)
    if not vision:
        problem = missing_alt(config.photos)
        if problem is not None:
            raise ConfigError(str(path), *problem)
    if config.photos or config.brand.logo or config.brand.logo_dark or config.brand.icon:
        check_media(config, path)
        if (config.brand.logo or config.brand.icon) and config.brand.colors == BrandColors():
            found = palette_from_logo(config, path)
            if found:
                names = ("primary", "secondary", "accent")
                config.brand.colors = BrandColors(**dict(zip(names, found, strict=False)))
                config.brand.colors_from_logo = True
    return config
