"""What is made from the business's media: clean pixels, sanitised SVG, crops, caches, slots."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from merlin_assets.config.project import ConfigError, parse_config_text
from merlin_assets.media.check import check_file, decode
from merlin_assets.media.clean import clean_photo
from merlin_assets.media.crop import crop_box, crop_to
from merlin_assets.media.derive import Job, derive
from merlin_assets.media.plan import fit_photos, photo_for
from merlin_assets.media.svg import clean_svg, rasterise
from merlin_assets.testing.media_files import GPS_IFD, jpeg_with_metadata, logo_svg, photo
from merlin_assets.types.images import PlannedImage

HOSTILE_SVG = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 100 40" onload="alert(1)">
  <script>alert(2)</script>
  <script xlink:href="https://evil.example/x.js"/>
  <style>@import url(https://evil.example/a.css); rect { fill: url(https://e.example/p) }</style>
  <image href="https://evil.example/track.png" width="10" height="10"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <a href="javascript:alert(3)"><rect width="100" height="40" fill="#7a3e1d" onclick="x()"/></a>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml" onmouseover="y()">hi</div>
  </foreignObject>
  <use href="#dot"/><circle id="dot" cx="20" cy="20" r="8" fill="#e9b44c"
     style="fill: url(https://evil.example/f)"/>
</svg>"""


@pytest.fixture(autouse=True)
def _checked_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Passed checks are remembered in the test's own folder, not the user's cache."""
    monkeypatch.setenv("MERLIN_MEDIA_CHECKED", str(tmp_path / "checked"))


def _decoded(data: bytes):
    return decode(data, "JPEG", name="p.jpg", source="t.yaml", field="photos[0].file")


def test_hostile_svg_is_sanitised_to_drawing_only():
    out = clean_svg(HOSTILE_SVG.encode(), name="logo.svg", source="t.yaml", field="brand.logo")
    text = out.decode().lower()
    for bad in ("<script", "onload", "onclick", "onmouseover", "javascript:", "foreignobject"):
        assert bad not in text, bad
    for bad in ("evil.example", "e.example", "/etc/passwd", "@import", "track.png"):
        assert bad not in text, bad
    assert 'href="#dot"' in text  # a reference inside the file is kept
    assert "<rect" in text and "#7a3e1d" in text
    drawn = rasterise(out, 200)
    assert drawn.size == (200, 80) and drawn.mode == "RGBA"
    assert drawn.getpixel((60, 10))[:3] == (0x7A, 0x3E, 0x1D)  # the rect survived, drawn


def test_photo_is_cleaned_upright_and_without_metadata():
    # A portrait phone photo stored landscape with orientation 6 (rotate 90 degrees on show).
    raw = jpeg_with_metadata(photo(480, 320, 5), orientation=6)
    with Image.open(io.BytesIO(raw)) as src:
        assert src.getexif().get_ifd(GPS_IFD)  # the fixture really carries GPS
    clean = clean_photo(_decoded(raw))
    assert clean.size == (320, 480)
    assert clean.mode == "RGB" and clean.info == {}
    assert not clean.getexif()


def test_an_embedded_profile_is_applied_then_dropped():
    img = photo(300, 240, 2)
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    img.save(out, "JPEG", icc_profile=srgb, quality=95)
    decoded = _decoded(out.getvalue())
    assert decoded.info.get("icc_profile") == srgb
    clean = clean_photo(decoded)
    assert "icc_profile" not in clean.info
    # sRGB to sRGB changes nothing visible: the conversion ran on the pixels, not beside them.
    a, b = decoded.convert("RGB").getpixel((150, 120)), clean.getpixel((150, 120))
    assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 2


@pytest.mark.parametrize(
    ("focus", "box"),
    [
        ((0.5, 0.5), (50, 0, 350, 200)),
        ((0.0, 0.0), (0, 0, 300, 200)),
        ((1.0, 1.0), (100, 0, 400, 200)),
        ((0.3, 0.9), (0, 0, 300, 200)),
    ],
)
def test_crop_box_keeps_the_focus_inside_the_frame(focus, box):
    assert crop_box((400, 200), (3, 2), focus) == box


def test_tall_photo_cropped_wide_keeps_its_focus_row():
    assert crop_box((300, 900), (16, 9), (0.5, 0.8)) == (0, 636, 300, 805)


def test_smartcrop_finds_the_subject_when_no_focus_is_given():
    # A plain field with one saturated, detailed patch near the right edge.
    img = Image.new("RGB", (1200, 400), (200, 200, 200))
    patch = photo(240, 240, 9)
    img.paste(patch, (920, 80))
    cropped, focus = crop_to(img, "1:1", None)
    assert cropped.size == (400, 400)
    assert focus[0] > 0.6


def test_derive_writes_avif_webp_jpeg_without_metadata_and_caches(tmp_path: Path):
    src = tmp_path / "shop.jpg"
    src.write_bytes(jpeg_with_metadata(photo(1800, 1200, 4)))
    import hashlib

    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    job = Job(str(src), digest, "hero", "16:9", (0.5, 0.5), max_width=1600)
    made = derive(job, str(tmp_path / "cache"), str(tmp_path / "out"))
    assert not made.cached
    assert sorted(made.avif) == ["1600", "480", "960"] and sorted(made.webp) == sorted(made.avif)
    assert (made.width, made.height) == (1600, 900)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "hero-1600.avif" in names and "hero-480.webp" in names and "hero.jpg" in names
    for path in (tmp_path / "out").iterdir():
        with Image.open(path) as img:
            img.load()
            assert not img.getexif(), path.name
            assert not img.getexif().get_ifd(GPS_IFD), path.name
            for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"):
                assert key not in img.info, (path.name, key)
        assert b"SN-4242-SECRET" not in path.read_bytes()
        assert b"MerlinCam" not in path.read_bytes()
    with Image.open(tmp_path / "out" / "hero-1600.avif") as img:
        assert img.format == "AVIF" and img.size == (1600, 900)
    again = derive(job, str(tmp_path / "cache"), str(tmp_path / "other"))
    assert again.cached and again.avif == made.avif
    assert (tmp_path / "other" / "hero-960.avif").read_bytes() == (
        tmp_path / "out" / "hero-960.avif"
    ).read_bytes()


def _mean(img: Image.Image) -> tuple[float, ...]:
    from PIL import ImageStat

    return tuple(ImageStat.Stat(img.convert("RGB")).mean)


def test_the_placeholder_is_made_from_the_photo_and_cached_with_it(tmp_path: Path):
    import base64
    import hashlib

    made = {}
    for name, palette in (
        ("harbour", ((30, 60, 140), (40, 90, 170), (20, 50, 110), (60, 100, 180))),
        ("ovens", ((200, 90, 30), (220, 120, 40), (170, 70, 20), (240, 160, 60))),
    ):
        src = tmp_path / f"{name}.jpg"
        src.write_bytes(jpeg_with_metadata(photo(900, 600, 3, palette=palette)))
        digest = hashlib.sha256(src.read_bytes()).hexdigest()
        job = Job(str(src), digest, name, "4:3", None, max_width=960)
        made[name] = derive(job, str(tmp_path / "cache"), str(tmp_path / "out"))
        with Image.open(tmp_path / "out" / f"{name}.jpg") as shown:
            expected = _mean(shown)
        one = made[name]
        colour = tuple(int(one.color[i : i + 2], 16) for i in (1, 3, 5))
        assert max(abs(a - b) for a, b in zip(colour, expected, strict=True)) <= 6, name
        prefix = "data:image/webp;base64,"
        assert one.thumb.startswith(prefix) and len(one.thumb) < 400, len(one.thumb)
        with Image.open(io.BytesIO(base64.b64decode(one.thumb[len(prefix) :]))) as thumb:
            assert thumb.format == "WEBP" and thumb.size == (16, 12)
            assert max(abs(a - b) for a, b in zip(_mean(thumb), expected, strict=True)) <= 12
        again = derive(job, str(tmp_path / "cache"), str(tmp_path / "again"))
        assert again.cached and (again.color, again.thumb) == (one.color, one.thumb)
    blue, orange = made["harbour"], made["ovens"]
    assert blue.color != orange.color and blue.thumb != orange.thumb
    assert int(blue.color[5:7], 16) > int(blue.color[1:3], 16)  # blue photo, blue stand-in
    assert int(orange.color[1:3], 16) > int(orange.color[5:7], 16)


def test_derive_refuses_a_photo_changed_since_it_was_checked(tmp_path: Path):
    src = tmp_path / "shop.jpg"
    src.write_bytes(jpeg_with_metadata(photo(600, 400, 4)))
    job = Job(str(src), "0" * 64, "about-1", "4:3", None)
    with pytest.raises(ValueError, match="changed since the config was loaded"):
        derive(job, str(tmp_path / "cache"), str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


# --- hostile bytes: anything is either refused with a ConfigError or read as an image --------

_VALID = jpeg_with_metadata(photo(320, 240, 1))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.integers(0, len(_VALID) - 1).map(lambda n: _VALID[:n]),
        st.tuples(st.integers(0, len(_VALID) - 1), st.binary(min_size=1, max_size=8)).map(
            lambda t: _VALID[: t[0]] + t[1] + _VALID[t[0] + len(t[1]) :]
        ),
    ),
    name=st.sampled_from(["p.jpg", "p.png", "p.webp", "logo.svg"]),
)
def test_any_bytes_are_refused_cleanly_or_read(tmp_path: Path, data: bytes, name: str):
    (tmp_path / name).write_bytes(data)
    logo = name.endswith(".svg")
    field = "brand.logo" if logo else "photos[0].file"
    try:
        found, _ = check_file(tmp_path, name, source="site.yaml", field=field, logo=logo)
    except ConfigError as err:
        assert err.field == field and err.path == "site.yaml"
        assert name in err.reason or "does not exist" in err.reason
    else:
        assert found.width >= 1 and found.format in ("JPEG", "PNG", "WEBP", "SVG")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                '<g onload="x()"/>',
                '<a href="javascript:x()"><rect width="5" height="5"/></a>',
                '<image href="https://t.example/p.png"/>',
                '<rect width="10" height="10" fill="red"/>',
                "<style>@import url(//t.example/a.css);</style>",
                '<use xlink:href="http://t.example/s.svg#a"/>',
            ]
        ),
        max_size=6,
    )
)
def test_any_mix_of_hostile_svg_parts_comes_out_inert(parts: list[str]):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 10 10">{"".join(parts)}</svg>'
    )
    text = clean_svg(svg.encode(), name="l.svg", source="s.yaml", field="brand.logo").decode()
    assert "<script" not in text and "javascript:" not in text and "t.example" not in text
    assert "onload" not in text


# --- the plan: the user's photos first, every one placed ---------------------------------------


def _plan_image(key: str, section: str, purpose: str = "supporting", aspect: str = "4:3"):
    return PlannedImage(
        key=key, section_key=section, purpose=purpose, prompt="drawn", alt="x", aspect=aspect
    )


PLAN = [
    _plan_image("hero", "hero", "hero", "16:9"),
    _plan_image("about-1", "about"),
    _plan_image("gallery-1", "gallery"),
    _plan_image("gallery-2", "gallery"),
    _plan_image("team-1", "team", aspect="3:2"),
    _plan_image("services-icon-1", "services", "icon", "1:1"),
]
SECTIONS = {"hero": "hero", "about": "about", "gallery": "gallery", "team": "team"}
SECTIONS["services"] = "services"


def _config(photos: str, extra: str = ""):
    text = f"name: Crumb Co\nindustry: bakery\n{extra}photos:\n{photos}"
    return parse_config_text(text, source="s.yaml", suffix=".yaml")


def test_photos_fill_slots_by_use_and_the_rest_stay_generated():
    config = _config(
        "  - {file: a.jpg, alt: Shop front, use: hero}\n"
        "  - {file: b.jpg, alt: Ovens, use: about}\n"
        "  - {file: c.jpg, alt: Loaves, use: gallery}\n"
        "  - {file: d.jpg, alt: Buns, use: gallery}\n"
        "  - {file: e.jpg, alt: Cakes, use: gallery}\n"
        "  - {file: f.jpg, alt: Bread box, use: service}\n"
        "  - {file: g.jpg, alt: Street, use: any}\n"
        "  - {file: h.jpg, alt: Aisha, use: team}\n",
    )
    images, notes = fit_photos(config, PLAN, SECTIONS)
    users = {i.key: photo_for(config, i).file for i in images if photo_for(config, i)}
    assert users == {
        "hero": "a.jpg",
        "about-1": "b.jpg",
        "gallery-1": "c.jpg",
        "gallery-2": "d.jpg",
        "gallery-photo-1": "e.jpg",
        "services-icon-1": "f.jpg",
        "gallery-photo-2": "g.jpg",
        "team-1": "h.jpg",
    }
    assert {i.alt for i in images if i.key in users} >= {"Shop front", "Aisha", "Street"}
    assert len(notes) == 8
    # Running it again on its own output places nothing new.
    again, _ = fit_photos(config, images, SECTIONS)
    assert [i.key for i in again] == [i.key for i in images]


def test_no_photos_leaves_the_plan_as_it_was():
    config = parse_config_text("name: A\nindustry: bakery\n", source="s.yaml", suffix=".yaml")
    assert fit_photos(config, PLAN, SECTIONS) == (PLAN, [])


def test_a_photo_without_its_section_goes_to_any_free_slot():
    config = _config("  - {file: a.jpg, alt: Team, use: team}\n")
    images, _ = fit_photos(config, PLAN[:3], {"hero": "hero", "about": "about"})
    assert [i.key for i in images if photo_for(config, i)] == ["about-1"]


def test_team_members_photos_come_first_in_team_order():
    config = _config(
        "  - {file: b.jpg, alt: Ben, use: any}\n  - {file: a.jpg, alt: Aisha, use: any}\n",
        extra="team:\n  - {name: Aisha, role: Baker, photo: a.jpg}\n"
        "  - {name: Ben, role: Baker, photo: b.jpg}\n",
    )
    images, _ = fit_photos(config, PLAN, SECTIONS)
    team = [(i.key, i.alt) for i in images if i.section_key == "team"]
    assert team == [("team-1", "Aisha"), ("team-photo-1", "Ben")]
    assert {i.aspect for i in images if i.section_key == "team"} == {"1:1"}


def test_the_plan_file_says_which_images_are_the_users(tmp_path: Path):
    from merlin_assets.phases.image_plan import preview
    from merlin_assets.types.images import ImagePlan

    config = _config("  - {file: a.jpg, alt: Shop, use: hero}\n")
    images, _ = fit_photos(config, PLAN, SECTIONS)
    shown = preview(ImagePlan(images=images))
    assert shown["user_photos"] == ["hero"]
    assert "user_photos" not in preview(ImagePlan(images=PLAN))
    assert json.loads(ImagePlan(images=images).model_dump_json())["images"][0]["prompt"].startswith(
        "The business's own photo a.jpg"
    )


def test_logo_svg_fixture_is_an_svg():
    assert logo_svg("Crumb Co").startswith("<svg")


def test_a_refusal_in_a_worker_process_comes_back_whole(tmp_path: Path):
    from merlin_assets.media.pool import media_pool, shutdown

    src = tmp_path / "shop.jpg"
    src.write_bytes(b"\xff\xd8\xff" + b"\x00" * 64)  # a JPEG signature and nothing after
    import hashlib

    job = Job(str(src), hashlib.sha256(src.read_bytes()).hexdigest(), "hero", "16:9", None)
    try:
        future = media_pool().submit(derive, job, str(tmp_path / "cache"), str(tmp_path / "out"))
        with pytest.raises(ConfigError) as err:
            future.result(timeout=120)
    finally:
        shutdown()
    assert err.value.path == str(src) and "shop.jpg" in err.value.reason


def test_changing_one_photo_redoes_only_the_slots_made_from_it(tmp_path: Path):
    import hashlib

    def job(name: str, seed: int, key: str) -> Job:
        path = tmp_path / name
        if not path.exists() or seed >= 100:
            path.write_bytes(jpeg_with_metadata(photo(640, 480, seed)))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return Job(str(path), digest, key, "4:3", (0.5, 0.5), max_width=480)

    cache, out = str(tmp_path / "cache"), str(tmp_path / "out")
    first = [
        derive(job("a.jpg", 1, "about-1"), cache, out),
        derive(job("b.jpg", 2, "g-1"), cache, out),
    ]
    assert [m.cached for m in first] == [False, False]
    before = (tmp_path / "out" / "about-1.jpg").read_bytes()
    # b.jpg is replaced by another photo; a.jpg is untouched.
    second = [
        derive(job("a.jpg", 1, "about-1"), cache, out),
        derive(job("b.jpg", 101, "g-1"), cache, out),
    ]
    assert [m.cached for m in second] == [True, False]
    assert (tmp_path / "out" / "about-1.jpg").read_bytes() == before
    assert len(list((tmp_path / "cache").iterdir())) == 3
