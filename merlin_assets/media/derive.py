"""Deriving a slot's files from a user's photo: crop, scale, encode; cached by content hash.

`derive` is what one worker process runs for one (photo, slot): it reads the file again,
checks and cleans it, crops it around the focus, and writes AVIF and WebP at each responsive
width plus one JPEG fallback. The result lands in a cache folder named by the photo's content
hash and the slot's shape, so an unchanged photo costs one hash and a few hard links on the
next run, and changing one photo redoes only the slots made from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image

from merlin_assets.imaging.encode import FALLBACK_MAX_WIDTH, JPEG_QUALITY, WEBP_QUALITY, web_widths
from merlin_assets.imaging.placeholder import placeholder

# AVIF at speed 9 encodes a 1600 px photo in ~0.1 s of CPU and is still ~35% smaller than WebP
# at quality 80; speed 6 saves another third of the bytes for 6x the CPU (measured with
# Pillow 13's libavif on this machine), which 20 photos x 3 widths on 2 cores cannot afford.
AVIF_QUALITY = 55
AVIF_SPEED = 9
# Bump when the output of `derive` changes for the same input, so old cache entries go unused.
RECIPE = "media-2"


@dataclass(frozen=True)
class Job:
    """One slot to fill from one photo."""

    source: str  # absolute path of the checked photo
    digest: str  # sha256 of its bytes when checked
    key: str  # the planned image's key: file name stem
    aspect: str  # "16:9", "4:3", "3:2" or "1:1"
    focus: tuple[float, float] | None
    max_width: int = 1600

    def cache_name(self) -> str:
        shape = f"{RECIPE}|{self.aspect}|{self.focus}|{self.max_width}"
        return f"{self.digest[:32]}-{hashlib.sha256(shape.encode()).hexdigest()[:12]}"


@dataclass
class Derived:
    """What `derive` made: sizes, files by kind and width, and the CPU it cost."""

    width: int
    height: int
    avif: dict[str, str]
    webp: dict[str, str]
    fallback: str
    focus: tuple[float, float]
    cpu_s: float = 0.0
    cached: bool = False
    bytes_in: int = 0
    bytes_out: dict[str, int] = field(default_factory=dict)
    # The blurred stand-in shown until the file arrives (`imaging.placeholder`).
    color: str = ""
    thumb: str = ""


def derive(job: Job, cache_dir: str, out_dir: str) -> Derived:
    """Fill one slot: from the cache when this photo and shape were done before.

    Runs in a worker process, so arguments and result are plain data.
    """
    started = time.process_time()
    entry = Path(cache_dir) / job.cache_name()
    record = entry / "derived.json"
    if record.exists():
        made = Derived(**json.loads(record.read_text()))
        made.focus = tuple(made.focus)  # type: ignore[assignment]
        made.cached = True
    else:
        made = _encode(job, entry)
        made.bytes_in = Path(job.source).stat().st_size
    _publish(entry, Path(out_dir), job.key, made)
    made.cpu_s = time.process_time() - started
    return made


def _encode(job: Job, entry: Path) -> Derived:
    from merlin_assets.imaging.encode import sniff
    from merlin_assets.media.check import MAX_PHOTO_BYTES, decode, read_limited
    from merlin_assets.media.clean import clean_photo
    from merlin_assets.media.crop import crop_to

    source = Path(job.source)
    data = read_limited(source, MAX_PHOTO_BYTES, source=job.source, field="photo")
    if hashlib.sha256(data).hexdigest() != job.digest:
        # The file changed after the config was checked: the bytes read now were never checked.
        raise ValueError(f"{source.name} changed since the config was loaded; run again")
    fmt = sniff(data)
    img = clean_photo(decode(data, fmt, name=source.name, source=job.source, field="photo"))
    cropped, focus = crop_to(img, job.aspect, job.focus)
    tmp = Path(tempfile.mkdtemp(prefix=".derive-", dir=_ensure(entry.parent)))
    try:
        avif: dict[str, str] = {}
        webp: dict[str, str] = {}
        sizes: dict[str, int] = {}
        scaled = cropped
        top = min(cropped.width, job.max_width)
        widths = sorted((w for w in web_widths(cropped.width) if w <= top), reverse=True) or [top]
        if top not in widths:
            widths.insert(0, top)
        smallest_for_fallback = None
        for width in widths:
            scaled = _to_width(scaled, width)
            if width <= FALLBACK_MAX_WIDTH and smallest_for_fallback is None:
                smallest_for_fallback = scaled
            for kind, table, save in (
                ("avif", avif, {"quality": AVIF_QUALITY, "speed": AVIF_SPEED, "max_threads": 1}),
                ("webp", webp, {"quality": WEBP_QUALITY, "method": 2}),
            ):
                name = f"{width}.{kind}"
                scaled.save(tmp / name, kind.upper(), **save)
                table[str(width)] = name
                sizes[name] = (tmp / name).stat().st_size
        fallback_img = smallest_for_fallback or scaled
        fallback_img.save(
            tmp / "fallback.jpg", "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True
        )
        sizes["fallback.jpg"] = (tmp / "fallback.jpg").stat().st_size
        largest = _to_width(cropped, widths[0]).size
        stand_in = placeholder(scaled)  # the smallest width: the thumbnail's resize is cheap
        made = Derived(
            width=largest[0],
            height=largest[1],
            avif=dict(sorted(avif.items(), key=lambda kv: int(kv[0]))),
            webp=dict(sorted(webp.items(), key=lambda kv: int(kv[0]))),
            fallback="fallback.jpg",
            focus=focus,
            bytes_out=sizes,
            color=stand_in.color,
            thumb=stand_in.thumb,
        )
        (tmp / "derived.json").write_text(json.dumps(asdict(made)))
        try:
            os.replace(tmp, entry)  # another worker may have made the same entry meanwhile
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return made


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _to_width(img: Image.Image, width: int) -> Image.Image:
    if width == img.width:
        return img
    height = max(1, round(img.height * width / img.width))
    return img.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def published_names(key: str, made: Derived) -> dict[str, str]:
    """Cache file name -> published file name (`<key>-<width>.avif`, `<key>.jpg`)."""
    names = {n: f"{key}-{n}" for n in [*made.avif.values(), *made.webp.values()]}
    names[made.fallback] = f"{key}.jpg"
    return names


def _publish(entry: Path, out_dir: Path, key: str, made: Derived) -> None:
    """Link (or copy) the cached files into the images folder under the slot's names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for cached, published in published_names(key, made).items():
        target = out_dir / published
        tmp = out_dir / f".{published}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        try:
            os.link(entry / cached, tmp)
        except OSError:
            shutil.copyfile(entry / cached, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
