"""What a font family name means: its kind, whether the visitor already has it, and how it may
appear in CSS.

Names come from a config or a model, so they are untrusted. A name is one of three things:
- a family we serve (the installed fontpkg index, `render.fonts`), possibly by a near name
  (`ALIASES`, a longer name of a served family such as "Noto Sans JP", or a typo);
- a system or web-safe name (`SYSTEM`: Georgia, Helvetica Neue, system-ui, ...): the visitor's
  own font, nothing is downloaded;
- anything else: kept first in the stack for visitors who have it (`css_name` reduces it to
  characters that cannot leave a CSS string), then the nearest served family of the same kind
  (`guess_kind` reads the kind from the name's words).
"""

from __future__ import annotations

import re

__all__ = [
    "ALIASES",
    "GENERIC",
    "KINDS",
    "KIND_DEFAULT",
    "SYSTEM",
    "SYSTEM_STACK",
    "css_name",
    "guess_kind",
    "kind_of_served",
]

KINDS: tuple[str, ...] = ("sans", "serif", "slab", "mono", "display", "script")

# The generic family that ends every stack of a kind.
GENERIC: dict[str, str] = {
    "sans": "sans-serif",
    "serif": "serif",
    "slab": "serif",
    "mono": "monospace",
    "display": "sans-serif",
    "script": "cursive",
}

# The served family an unknown name of each kind is drawn in (keys of the installed index).
KIND_DEFAULT: dict[str, str] = {
    "sans": "inter",
    "serif": "source-serif-4",
    "slab": "roboto-slab",
    "mono": "jetbrains-mono",
    "display": "anton",
    "script": "dancing-script",
}

# Renamed, sibling or commercial families mapped to the closest served open family. Longer
# names of a served family ("Noto Sans JP", "Roboto Flex") need no entry: `render.fonts` maps
# a name to the longest served family its words begin with.
ALIASES: dict[str, str] = {
    "source-sans-pro": "source-sans-3",
    "source-sans": "source-sans-3",
    "source-serif-pro": "source-serif-4",
    "source-serif": "source-serif-4",
    "source-code": "source-code-pro",
    "playfair": "playfair-display",
    "cormorant": "cormorant-garamond",
    # Garamond ships with Windows and macOS Office only; EB Garamond is the open revival.
    "garamond": "eb-garamond",
    "adobe-garamond": "eb-garamond",
    "baskerville": "libre-baskerville",
    "franklin-gothic": "libre-franklin",
    "ibm-plex": "ibm-plex-sans",
    "fira": "fira-sans",
    "bebas": "bebas-neue",
    "noto": "noto-sans",
    "proxima-nova": "montserrat",
    "gotham": "montserrat",
    "futura": "jost",
    "avenir": "nunito-sans",
    "avenir-next": "nunito-sans",
    "raleway-dots": "raleway",
}

_SANS_STACK = ("system-ui", "-apple-system", '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial")
_SERIF_STACK = ("Georgia", "Cambria", '"Times New Roman"', "Times")


def _system(kind: str, names: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Key -> (the name as a stack writes it, quoted when it has a space, kind)."""
    return {k: (f'"{n}"' if " " in n else n, kind) for k, n in names.items()}


# System and web-safe names by key: (how the stack names it, kind). CSS keywords stay bare.
SYSTEM: dict[str, tuple[str, str]] = {
    **_system(
        "sans",
        {
            "arial": "Arial",
            "helvetica": "Helvetica",
            "helvetica-neue": "Helvetica Neue",
            "verdana": "Verdana",
            "tahoma": "Tahoma",
            "trebuchet-ms": "Trebuchet MS",
            "trebuchet": "Trebuchet MS",
            "segoe-ui": "Segoe UI",
            "sf-pro": "SF Pro",
            "sf-pro-text": "SF Pro Text",
            "sf-pro-display": "SF Pro Display",
            "san-francisco": "SF Pro",
            "calibri": "Calibri",
            "candara": "Candara",
            "gill-sans": "Gill Sans",
            "lucida-grande": "Lucida Grande",
            "lucida-sans": "Lucida Sans",
            "geneva": "Geneva",
            "optima": "Optima",
            "blinkmacsystemfont": "BlinkMacSystemFont",
        },
    ),
    **_system(
        "serif",
        {
            "georgia": "Georgia",
            "times-new-roman": "Times New Roman",
            "times": "Times",
            "palatino": "Palatino",
            "palatino-linotype": "Palatino Linotype",
            "book-antiqua": "Book Antiqua",
            "cambria": "Cambria",
            "constantia": "Constantia",
            "hoefler-text": "Hoefler Text",
            "charter": "Charter",
            "new-york": "New York",
        },
    ),
    **_system(
        "mono",
        {
            "courier-new": "Courier New",
            "courier": "Courier",
            "consolas": "Consolas",
            "menlo": "Menlo",
            "monaco": "Monaco",
            "sf-mono": "SF Mono",
            "lucida-console": "Lucida Console",
        },
    ),
    "rockwell": ("Rockwell", "slab"),
    "impact": ("Impact", "display"),
    "comic-sans-ms": ('"Comic Sans MS"', "script"),
    "comic-sans": ('"Comic Sans MS"', "script"),
    "brush-script-mt": ('"Brush Script MT"', "script"),
    "segoe-script": ('"Segoe Script"', "script"),
    # CSS's own keywords: the platform's interface and generic fonts.
    "system-ui": ("system-ui", "sans"),
    "apple-system": ("-apple-system", "sans"),
    "ui-sans-serif": ("ui-sans-serif", "sans"),
    "ui-serif": ("ui-serif", "serif"),
    "ui-monospace": ("ui-monospace", "mono"),
    "ui-rounded": ("ui-rounded", "sans"),
    "sans-serif": ("sans-serif", "sans"),
    "sans": ("sans-serif", "sans"),
    "serif": ("serif", "serif"),
    "monospace": ("monospace", "mono"),
    "mono": ("monospace", "mono"),
    "cursive": ("cursive", "script"),
    "fantasy": ("fantasy", "display"),
}

# The fonts a visitor's system likely has, by kind, after the brand family.
SYSTEM_STACK: dict[str, tuple[str, ...]] = {
    "sans": _SANS_STACK,
    "display": ("Impact", '"Arial Black"', *_SANS_STACK),
    "serif": _SERIF_STACK,
    "slab": ("Rockwell", '"Roboto Slab"', *_SERIF_STACK),
    "mono": ("ui-monospace", '"SFMono-Regular"', "Menlo", "Consolas", '"Courier New"'),
    "script": ('"Segoe Script"', '"Snell Roundhand"', '"Brush Script MT"'),
}

# Served families whose metadata category does not say their kind.
_SLAB_FAMILIES = frozenset({"arvo", "bitter", "roboto-slab", "zilla-slab", "alfa-slab-one"})
_SCRIPT_FAMILIES = frozenset({"lobster", "lobster-two"})

# Words that tell the kind of a name we do not serve, checked in this order.
_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mono", ("mono", "code", "courier", "consol", "terminal", "typewriter", "console")),
    ("slab", ("slab", "rockwell", "clarendon", "egyptian", "arvo", "bitter", "memphis")),
    (
        "script",
        ("script", "hand", "brush", "calligraph", "cursive", "signature", "vibes", "marker"),
    ),
    ("serif", ("-serif", "serif-")),
    ("display", ("display", "poster", "headline", "fatface", "stencil", "black", "heavy")),
    (
        "serif",
        (
            "serif",
            "garamond",
            "baskerville",
            "georgia",
            "times",
            "caslon",
            "bodoni",
            "didot",
            "merriweather",
            "lora",
            "playfair",
            "fraunces",
            "cormorant",
            "crimson",
            "spectral",
            "literata",
            "roman",
            "antiqua",
            "old-style",
            "book",
        ),
    ),
)

_UNSAFE = re.compile(r"[^A-Za-z0-9 -]+")


def kind_of_served(key: str, categories: set[str]) -> str:
    """The kind of an installed family, from its fontpkg categories and its name."""
    if "MONOSPACE" in categories:
        return "mono"
    if key in _SLAB_FAMILIES or "slab" in key.split("-"):
        return "slab"
    if "HANDWRITING" in categories or key in _SCRIPT_FAMILIES:
        return "script"
    if "DISPLAY" in categories and "sans" not in key.split("-"):
        return "display"
    if "SERIF" in categories:
        return "serif"
    return "sans"


def guess_kind(key: str) -> str:
    """The kind of a family we do not serve, from the words of its key ("" gives sans)."""
    padded = f"-{key}-"
    for kind, hints in _HINTS:
        if any(h in padded for h in hints):
            if kind == "serif" and "-sans-" in padded:
                continue
            return kind
    return "sans"


def css_name(name: object) -> str | None:
    """An untrusted family name reduced to a CSS string's safe content, or None.

    Only ASCII letters, digits, spaces and hyphens survive (what site.css's stack check admits),
    so no quote, backslash, semicolon, brace, angle bracket or line break can reach the
    stylesheet; the result starts with a letter or digit and has at most 40 characters.
    """
    if not isinstance(name, str):
        return None
    first = name.split(",", 1)[0]
    cleaned = " ".join(_UNSAFE.sub(" ", first).split())
    cleaned = cleaned.lstrip(" -")[:40].rstrip(" -")
    return cleaned or None
