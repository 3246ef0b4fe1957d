"""Cropping a photo to a slot's aspect ratio: around its focal point, or where smartcrop looks."""

from __future__ import annotations

from PIL import Image

ASPECTS = {"16:9": (16, 9), "4:3": (4, 3), "3:2": (3, 2), "1:1": (1, 1)}
# smartcrop scores every candidate window in pure Python/numpy; at 256 px a 12 MP photo takes
# about 0.1 s and picks the same region as at full size to within a few percent of the width.
_ANALYSE_SIDE = 256


def crop_box(
    size: tuple[int, int], ratio: tuple[int, int], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside `size`, centred on `focus` as far as the edges allow."""
    width, height = size
    rw, rh = ratio
    if width * rh > height * rw:  # wider than the slot: full height, cut the sides
        crop_w, crop_h = max(1, round(height * rw / rh)), height
    else:
        crop_w, crop_h = width, max(1, round(width * rh / rw))
    crop_w, crop_h = min(crop_w, width), min(crop_h, height)
    left = round(focus[0] * width - crop_w / 2)
    top = round(focus[1] * height - crop_h / 2)
    left = min(max(0, left), width - crop_w)
    top = min(max(0, top), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def smart_focus(img: Image.Image, ratio: tuple[int, int]) -> tuple[float, float]:
    """Where smartcrop (skin, edges, saturation) puts the best window of `ratio`, as a focus."""
    from smartcrop import SmartCrop

    scale = min(1.0, _ANALYSE_SIDE / max(img.size))
    small = img.resize(
        (max(8, round(img.width * scale)), max(8, round(img.height * scale))),
        Image.Resampling.BILINEAR,
    )
    box = crop_box(small.size, ratio, (0.5, 0.5))
    found = SmartCrop().crop(small.convert("RGB"), box[2] - box[0], box[3] - box[1])
    top = found["top_crop"]
    x = (top["x"] + top["width"] / 2) / small.width
    y = (top["y"] + top["height"] / 2) / small.height
    return min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)


def crop_to(
    img: Image.Image, aspect: str, focus: tuple[float, float] | None
) -> tuple[Image.Image, tuple[float, float]]:
    """`img` cropped to `aspect` ("16:9", ...) and the focus used (given or found)."""
    ratio = ASPECTS[aspect]
    used = focus if focus is not None else smart_focus(img, ratio)
    return img.crop(crop_box(img.size, ratio, used)), used
