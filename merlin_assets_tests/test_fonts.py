"""Self-hosted subset WOFF2 fonts: merlin_assets.render.fonts."""

from __future__ import annotations

import io
import re

import pytest
from fontTools.ttLib import TTFont

from merlin_assets import industries
from merlin_assets.render import fonts

TEXT = (
    "Crumb & Co. — fresh sourdough, croissants and café crème since 1998. "
    "“Best bakery in town!” said Zoë. Prices from £3.50 / €4. Naïve façade, déjà vu. "
    "中文 العربية 😀 ✓"
)
HOSTILE = [
    "../../etc/passwd",
    "Comic Sans; } body{background:url(https://evil.example/x)}",
    '"Inter"; src: url(http://x)',
    "Inter\n}",
    "",
    "Wingdings Pro",  # well-formed but not packaged
]
FONT_FACE_RE = re.compile(r"@font-face \{(.*?)\}", re.S)


@pytest.fixture(scope="module")
def bundle() -> fonts.FontBundle:
    return fonts.build_fonts("Playfair Display", "Inter", TEXT)


def _woff2_files(bundle: fonts.FontBundle) -> dict[str, bytes]:
    return {k: v for k, v in bundle.files.items() if k.endswith(".woff2")}


def _source_path(family: str, weight: int):
    fam, _ = fonts.resolve_family(family)
    assert fam is not None, f"{family} is not installed; pip install -e . brings it"
    return fonts._font_file(fam, weight)


def test_known_families_give_woff2_per_weight(bundle: fonts.FontBundle) -> None:
    assert bundle.families == {"heading": "Playfair Display", "body": "Inter"}
    names = sorted(_woff2_files(bundle))
    assert [n.rsplit("-", 1)[0] for n in names] == [
        "fonts/inter-400",
        "fonts/inter-700",
        "fonts/playfair-display-400",
        "fonts/playfair-display-700",
    ]
    for name, data in _woff2_files(bundle).items():
        assert re.fullmatch(r"fonts/[a-z0-9-]+-\d{3}-[0-9a-f]{8}\.woff2", name)
        assert data[:4] == b"wOF2", name
        weight = int(name.split("-")[-2])
        font = TTFont(io.BytesIO(data))
        assert "fvar" not in font and "gvar" not in font, "a static instance per weight"
        assert font["OS/2"].usWeightClass == weight
    # The OFL travels with the fonts.
    assert b"SIL OPEN FONT LICENSE" in bundle.files["fonts/inter-LICENSE.txt"].upper()
    assert "fonts/playfair-display-LICENSE.txt" in bundle.files


def test_subset_covers_the_text_and_is_much_smaller(bundle: fonts.FontBundle) -> None:
    for family, key in (("Playfair Display", "playfair-display"), ("Inter", "inter")):
        for weight in (400, 700):
            source = _source_path(family, weight)
            original = set(TTFont(source).getBestCmap())
            [data] = [v for k, v in bundle.files.items() if k.startswith(f"fonts/{key}-{weight}-")]
            cmap = set(TTFont(io.BytesIO(data)).getBestCmap())
            wanted = {ord(c) for c in TEXT} & original
            assert wanted <= cmap, [chr(c) for c in wanted - cmap]
            # Basic Latin and digits stay for small later edits.
            assert {ord(c) for c in "AZaz09!?&%@"} <= cmap
            # Scripts the font lacks are left to the fallback fonts, not faked.
            assert ord("中") not in cmap and ord("😀") not in cmap
            assert len(data) * 10 < source.stat().st_size, (family, weight, len(data))


def test_css_has_relative_swap_font_faces(bundle: fonts.FontBundle) -> None:
    css = bundle.css
    faces = FONT_FACE_RE.findall(css)
    assert len(faces) == 4
    assert "http:" not in css and "https:" not in css and "//" not in css
    urls = re.findall(r'url\("([^"]+)"\)', css)
    assert len(urls) == 4
    for face in faces:
        assert "font-display: swap;" in face
        assert 'format("woff2")' in face
        assert re.search(r"unicode-range: U\+20-7E[,;]", face)
        assert re.search(r'font-family: "(Inter|Playfair Display)";', face)
    for url in urls:
        assert url.startswith("../fonts/") and ".." not in url[3:]
        assert url[3:] in bundle.files  # relative to assets/site.css


def test_stacks_fall_back_to_system_script_and_emoji_fonts(bundle: fonts.FontBundle) -> None:
    heading, body = bundle.stacks["heading"], bundle.stacks["body"]
    assert heading.startswith('"Playfair Display", Georgia')
    assert heading.endswith(", serif")
    assert body.startswith('"Inter", system-ui')
    assert body.endswith(", sans-serif")
    for stack in (heading, body):
        for fallback in (
            '"Noto Sans CJK SC"',
            '"PingFang SC"',
            '"Hiragino Sans"',
            '"Microsoft YaHei"',
            '"Noto Naskh Arabic"',
            '"Geeza Pro"',
            '"Segoe UI"',
            '"Apple Color Emoji"',
            '"Segoe UI Emoji"',
            '"Noto Color Emoji"',
        ):
            assert stack.count(fallback) == 1, (fallback, stack)
        assert not set(stack) & set(";{}<>\\\n")


@pytest.mark.parametrize("name", HOSTILE)
def test_unknown_or_hostile_names_give_system_stack_only(name: str) -> None:
    b = fonts.build_fonts(name, name, TEXT)
    assert b.files == {}
    assert b.css == ""
    assert b.families == {"heading": None, "body": None}
    for stack in b.stacks.values():
        assert stack.startswith(("system-ui,", "Georgia,"))
        assert stack.endswith(("sans-serif", "serif"))
        assert '"Noto Sans CJK SC"' in stack and '"Noto Color Emoji"' in stack
        assert not set(stack) & set(";{}<>\\\n/")
        if name:
            assert name not in stack
    assert len(b.notes) == 2


def test_names_are_looked_up_not_used_as_paths() -> None:
    assert fonts.resolve_family("../../etc/passwd")[0] is None
    assert fonts.resolve_family("inter/../../lato")[0] is None
    assert fonts.resolve_family(None)[0] is None  # type: ignore[arg-type]
    assert fonts.resolve_family("x" * 500)[0] is None
    # Case, spacing and a CSS-style list are tolerated: only the lookup key changes.
    for name in ("  playfair   DISPLAY ", "Playfair_Display", '"Playfair Display", serif'):
        fam, note = fonts.resolve_family(name)
        assert fam is not None and fam.name == "Playfair Display" and note is None


def test_missing_families_map_to_the_closest_open_family() -> None:
    fam, note = fonts.resolve_family("Source Sans Pro")
    assert fam is not None and fam.name == "Source Sans 3"
    assert note and "Source Sans 3" in note
    # Not packaged and no close family: system stack of the right kind.
    b = fonts.build_fonts("Source Serif Pro", "Helvetica", "")
    assert b.files == {}
    assert b.stacks["heading"].startswith("Georgia,") and b.stacks["heading"].endswith(", serif")
    assert b.stacks["body"].startswith("system-ui,")


def test_every_family_the_style_system_picks_is_packaged() -> None:
    installed = set(fonts.available_families())
    wanted = {
        name
        for profile in (*industries.PROFILES, industries.GENERIC)
        for pair in profile.font_pairs
        for name in pair
    }
    assert wanted, "industry profiles name font pairs"
    assert wanted <= installed, sorted(wanted - installed)


def test_shared_family_and_single_weight_family_ship_no_duplicates() -> None:
    b = fonts.build_fonts("Inter", "Inter", TEXT)
    assert len(_woff2_files(b)) == 2 and len(FONT_FACE_RE.findall(b.css)) == 2
    assert b.stacks["heading"] == b.stacks["body"]
    # DM Serif Display has only a 400: one file, declared at 400 and 700 (no faux bold).
    b = fonts.build_fonts("DM Serif Display", "Nope Sans", TEXT)
    assert len(_woff2_files(b)) == 1
    assert re.findall(r"font-weight: (\d+);", b.css) == ["400", "700"]
    assert len(set(re.findall(r'url\("([^"]+)"\)', b.css))) == 1


def test_subsets_are_cached_and_deterministic() -> None:
    first = fonts.subset_woff2("Inter", 400, TEXT)
    assert first is not None and first[:4] == b"wOF2"
    assert fonts.subset_woff2("Inter", 400, TEXT) is first  # lru_cache hit
    fonts._woff2.cache_clear()
    fonts._subset_source.cache_clear()
    assert fonts.subset_woff2("Inter", 400, TEXT) == first  # same font + chars -> same bytes
    assert fonts.subset_woff2("../../etc/passwd", 400, TEXT) is None
