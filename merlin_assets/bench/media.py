"""`merlin bench --scenario media`: the CPU cost of a business's own photos, cold and cached.

Twenty 12 MP photos (made procedurally, with EXIF and GPS like a phone's) go through what a
run does with them: the check on config load (read, hash, decode whole) and one slot each
(crop, scale, AVIF + WebP at each width, JPEG fallback) in the media process pool. Then the
same again with the cache warm, as the next run of an unchanged project would. Printed:
CPU seconds per photo both ways, bytes a page of them costs before and after, and the pool's
wall time against its critical path.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from concurrent.futures import wait
from dataclasses import dataclass
from pathlib import Path

from merlin_assets.media.check import check_media
from merlin_assets.media.derive import Derived, Job, derive
from merlin_assets.media.load import load_with_media
from merlin_assets.media.pool import media_pool, pool_size, shutdown, warm_up

PHOTOS = 20
SIZE = (4000, 3000)  # 12 MP, a phone camera's
QUICK_SIZE = (1600, 1200)
# The slot each photo fills, in turn: what a site with a hero, an about block and a gallery asks.
_SLOTS = (("hero", "16:9", 1600), ("about", "4:3", 960), ("gallery", "3:2", 960))
_SLOTS += (("team", "1:1", 960),)


@dataclass
class Stage:
    name: str
    wall_s: float
    cpu_s: float  # this process's CPU plus the workers' CPU for their jobs
    longest_job_s: float = 0.0


def make_photos(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    from merlin_assets.testing.media_files import jpeg_with_metadata, photo

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"photo-{i + 1:02d}.jpg"
        path.write_bytes(jpeg_with_metadata(photo(*size, seed=100 + i), quality=90))
        paths.append(path)
    return paths


def _config(folder: Path, paths: list[Path]) -> Path:
    lines = ["name: Bench Media", "industry: bakery", "photos:"]
    for p in paths:
        lines.append(f"  - {{file: photos/{p.name}, alt: Photo {p.stem}}}")
    config = folder / "bench.yaml"
    config.write_text("\n".join(lines) + "\n")
    return config


def _check(config_path: Path) -> tuple[Stage, dict]:
    wall, cpu = time.perf_counter(), time.process_time()
    config = load_with_media(config_path)  # checks every photo whole, or finds it checked before
    checked = check_media(config, config_path)
    return Stage("check", time.perf_counter() - wall, time.process_time() - cpu), checked


def _derive(jobs: list[Job], cache: Path, out: Path) -> tuple[Stage, list[Derived]]:
    pool = media_pool()
    wall, cpu = time.perf_counter(), time.process_time()
    futures = [pool.submit(derive, job, str(cache), str(out)) for job in jobs]
    wait(futures)
    made = [f.result() for f in futures]
    stage = Stage(
        "derive",
        time.perf_counter() - wall,
        time.process_time() - cpu + sum(m.cpu_s for m in made),
        max(m.cpu_s for m in made),
    )
    return stage, made


def run(workdir: Path, *, quick: bool = False) -> dict:
    """Every figure of the bench, measured in `workdir`."""
    import os

    count = 4 if quick else PHOTOS
    size = QUICK_SIZE if quick else SIZE
    os.environ["MERLIN_MEDIA_CHECKED"] = str(workdir / "checked")
    paths = make_photos(workdir / "photos", count, size)
    config = _config(workdir, paths)
    warm_up()  # start the workers and their imports before the clock does
    try:
        cold_check, checked = _check(config)
        jobs = [
            Job(
                source=str(paths[i]),
                digest=checked[f"photos[{i}].file"].digest,
                key=f"{_SLOTS[i % len(_SLOTS)][0]}-{i + 1}",
                aspect=_SLOTS[i % len(_SLOTS)][1],
                focus=None,  # smartcrop looks: the costlier case
                max_width=_SLOTS[i % len(_SLOTS)][2],
            )
            for i in range(count)
        ]
        cold, made = _derive(jobs, workdir / "cache", workdir / "out-cold")
        # The next run is a new process: only the marker files and the cache are left.
        from merlin_assets.media import check

        check._CHECKED.clear()
        warm_check, _ = _check(config)
        warm, again = _derive(jobs, workdir / "cache", workdir / "out-warm")
    finally:
        shutdown()
    assert all(m.cached for m in again) and not any(m.cached for m in made)
    source_bytes = sum(p.stat().st_size for p in paths)

    def chosen(kind: str) -> int:
        # What a browser fetches for each photo's slot at 1x on a desktop: the 960 px file
        # (1600 px for the hero) of the kind it supports best.
        total = 0
        for job, m in zip(jobs, made, strict=True):
            table = m.avif if kind == "avif" else m.webp
            width = max(int(w) for w in table if int(w) <= job.max_width)
            total += m.bytes_out[table[str(width)]]
        return total

    return {
        "photos": count,
        "megapixels": round(size[0] * size[1] / 1e6, 1),
        "workers": pool_size(),
        "source_mb": round(source_bytes / 1e6, 2),
        "cold": {"check": cold_check, "derive": cold},
        "warm": {"check": warm_check, "derive": warm},
        "page_bytes": {
            "originals": source_bytes,
            "avif": chosen("avif"),
            "webp": chosen("webp"),
            "jpeg": sum(m.bytes_out[m.fallback] for m in made),
        },
        "digest": hashlib.sha256(b"".join(p.read_bytes()[:64] for p in paths)).hexdigest()[:8],
    }


def table(figures: dict) -> str:
    """The figures as the plain-text table the bench prints."""
    n = figures["photos"]
    lines = [
        f"media bench: {n} photos of {figures['megapixels']} MP "
        f"({figures['source_mb']} MB of JPEG), pool of {figures['workers']} workers",
        "",
        f"{'run':<8}{'stage':<10}{'wall s':>9}{'CPU s':>9}{'CPU s/photo':>13}",
    ]
    for run_name in ("cold", "warm"):
        for stage in figures[run_name].values():
            lines.append(
                f"{run_name:<8}{stage.name:<10}{stage.wall_s:>9.2f}{stage.cpu_s:>9.2f}"
                f"{stage.cpu_s / n:>13.3f}"
            )
    cold = figures["cold"]
    total = sum(s.cpu_s for s in cold.values())
    warm_total = sum(s.cpu_s for s in figures["warm"].values())
    lines.append("")
    lines.append(
        f"CPU s/photo: {total / n:.3f} without the cache, {warm_total / n:.4f} with it "
        f"({total / max(warm_total, 1e-9):.0f}x less)"
    )
    page = figures["page_bytes"]
    lines.append(
        f"bytes per page of {n} photos: {page['originals'] / 1e6:.2f} MB as given -> "
        f"{page['avif'] / 1e6:.2f} MB AVIF ({page['webp'] / 1e6:.2f} MB WebP, "
        f"{page['jpeg'] / 1e6:.2f} MB JPEG fallback)"
    )
    derive_stage = cold["derive"]
    check_stage = cold["check"]
    bound = derive_stage.cpu_s / figures["workers"]
    lines.append(
        f"wall vs critical path (cold): check {check_stage.wall_s:.2f} s (serial, on load) + "
        f"derive {derive_stage.wall_s:.2f} s wall; the derive's critical path is its longest "
        f"job, {derive_stage.longest_job_s:.2f} s, and its CPU over {figures['workers']} "
        f"workers is {bound:.2f} s, so the pool's floor is "
        f"{max(bound, derive_stage.longest_job_s):.2f} s"
    )
    return "\n".join(lines)


def main(*, quick: bool = False, keep: Path | None = None) -> str:
    """Run the bench and return its table."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return table(run(keep, quick=quick))
    with tempfile.TemporaryDirectory(prefix="merlin-bench-media-") as tmp:
        return table(run(Path(tmp), quick=quick))
