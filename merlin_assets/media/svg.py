"""SVG logos: parsed without entities, sanitised by an allow-list, rasterised for the icons.

Three layers, each a maintained library or a check of its result:
- defusedxml parses first and refuses any DTD (so no entity expansion, internal or external);
- svg-hush (Cloudflare's allow-list SVG filter, via py-svg-hush) drops scripts, event
  handlers, foreignObject, and rewrites links;
- the filtered tree is walked once more: any reference that is not to the file itself
  ('#id') is removed, since svg-hush turns `https://host/x.png` into the path `/x.png`, which
  a site would then request from its own host.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET
import py_svg_hush
from defusedxml import DefusedXmlException
from PIL import Image

from merlin_assets.config.errors import ConfigError

SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_HREF_ATTRS = ("href", _XLINK)
# What is left of CSS must not fetch: no url() but to '#id', no at-rules (@import, @font-face),
# and no address at all (svg-hush leaves "https://host/a.css);" behind as text of a rule).
_CSS_URL_RE = re.compile(
    r"url\(\s*(['\"]?)(?!#)[^)]*\)|@[a-z-]+[^;{]*[;{]?|[a-z][a-z0-9+.-]*://[^\s;)}'\"]*"
    r"|(javascript|data|vbscript):[^\s;)}'\"]*|//[^\s;)}'\"]+",
    re.IGNORECASE,
)
# Raster sizes are bounded by the caller; an SVG's own numbers only set the aspect.
MAX_RASTER_SIDE = 2048
_DEFAULT_SIDE = 512
# A wordmark is rarely wider than 8:1; beyond 16:1 a drawing at icon width is mostly nothing.
MAX_ASPECT = 16

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def clean_svg(data: bytes, *, name: str, source: str, field: str) -> bytes:
    """The SVG with nothing active or external left in it; raises ConfigError if unusable."""
    if len(data) > MAX_SVG_BYTES:
        raise ConfigError(
            source, field, f"{name} is over {MAX_SVG_BYTES // 1024} KB; a logo SVG is far smaller"
        )
    try:
        return _clean(data, name=name, source=source, field=field)
    except RecursionError:
        raise ConfigError(source, field, f"{name} is nested too deeply to be a logo") from None


def _clean(data: bytes, *, name: str, source: str, field: str) -> bytes:
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ConfigError(
            source, field, f"{name} declares a DTD or entities, which are refused in SVG logos"
        ) from None
    except ET.ParseError as exc:
        raise ConfigError(source, field, f"{name} is not well-formed XML: {exc}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ConfigError(source, field, f"{name} is not an SVG (its root is {root.tag!r})")
    if _depth(root) > MAX_DEPTH:
        # svg-hush took 36 s over 50,000 nested groups; a logo is a few levels deep.
        raise ConfigError(
            source, field, f"{name} is nested more than {MAX_DEPTH} levels deep; not a logo"
        )
    try:
        filtered = py_svg_hush.filter_svg(data)
    except Exception as exc:  # the binding raises its own error types for input it cannot read
        raise ConfigError(source, field, f"{name} could not be sanitised: {exc}") from None
    tree = DET.fromstring(filtered, forbid_dtd=True)
    for element in list(tree.iter()):
        for attr in _HREF_ATTRS:
            value = element.get(attr)
            if value is not None and not value.strip().startswith("#"):
                del element.attrib[attr]
        for attr in list(element.attrib):
            if attr.lower().startswith("on"):
                del element.attrib[attr]
        style = element.get("style")
        if style is not None:
            element.set("style", _CSS_URL_RE.sub("", style))
        if element.tag == f"{{{SVG_NS}}}style" and element.text:
            element.text = _CSS_URL_RE.sub("", element.text)
    out = ET.tostring(tree, encoding="utf-8", xml_declaration=True)
    if b"<script" in out.lower() or b"javascript:" in out.lower():
        raise ConfigError(source, field, f"{name} still holds script after sanitising")
    try:
        rasterise(out, MIN_CHECK_SIDE)
    except ValueError as exc:
        raise ConfigError(source, field, f"{name} cannot be drawn: {exc}") from None
    return out


MIN_CHECK_SIDE = 64
# Logos exported from design tools are 2-100 KB; a megabyte of SVG is a drawing, or an attack
# on the renderer's time.
MAX_SVG_BYTES = 1024 * 1024
MAX_DEPTH = 64


def _depth(root: ET.Element) -> int:
    """How deeply elements nest, walked without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _length(value: str | None) -> float | None:
    if not value:
        return None
    found = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*", value)
    return float(found.group(1)) if found else None


def svg_size(data: bytes) -> tuple[int, int]:
    """The SVG's size in px from width/height or the viewBox, bounded; (512, 512) if unknown."""
    root = DET.fromstring(data, forbid_dtd=True)
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            width = height = None
    if not width or not height or width <= 0 or height <= 0:
        return _DEFAULT_SIDE, _DEFAULT_SIDE
    scale = min(1.0, MAX_RASTER_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def rasterise(data: bytes, width: int) -> Image.Image:
    """The sanitised SVG drawn `width` px wide by resvg, as RGBA."""
    import resvg_py

    width = max(1, min(int(width), MAX_RASTER_SIDE))
    natural = svg_size(data)
    if max(natural) > MAX_ASPECT * min(natural):
        raise ValueError(f"its aspect {natural[0]}x{natural[1]} is too extreme for a logo")
    try:
        png = resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), width=width)
    except Exception as exc:  # resvg reports parse and render failures as plain exceptions
        raise ValueError(str(exc) or type(exc).__name__) from None
    img = Image.open(io.BytesIO(bytes(png)), formats=("PNG",))
    img.load()
    return img.convert("RGBA")
