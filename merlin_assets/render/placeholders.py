"""The stylesheet rules that paint each image's placeholder under it until the file arrives.

The CSP (`style-src 'self'`) refuses inline `style` attributes, so a placeholder is a class on
the `<img>` and one rule in the shared stylesheet. The background sits under the image in the
box its `width`/`height` reserve: nothing moves when the image loads (CLS stays 0).
"""

from __future__ import annotations

import re

from merlin_assets.types.images import ImageFile

_NOT_IDENT = re.compile(r"[^a-z0-9-]+")


def placeholder_class(img: ImageFile) -> str:
    """The `<img>`'s class for its placeholder rule, or "" when it has none."""
    if not img.color:
        return ""
    return "ph-" + _NOT_IDENT.sub("-", img.key.lower()).strip("-")


def placeholder_css(img: ImageFile) -> str:
    """One rule: the mean colour, then the blurred thumbnail stretched over the box.

    `color` and `thumb` are checked against strict patterns by `ImageFile`, so neither can
    close the rule or the url.
    """
    cls = placeholder_class(img)
    if not cls:
        return ""
    thumb = f' url("{img.thumb}") 50% 50% / cover no-repeat' if img.thumb else ""
    return f"img.{cls}{{background:{img.color}{thumb}}}\n"
