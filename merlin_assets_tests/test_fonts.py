"""Self-hosted subset WOFF2 fonts: merlin_assets.render.fonts."""

from __future__ import annotations

import io
import re
import time

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


def _faces(css: str) -> list[str]:
    """The brand font's @font-face rules (those with a file), not the metric fallbacks."""
    return [f for f in FONT_FACE_RE.findall(css) if "url(" in f]


def _fallbacks(css: str) -> list[str]:
    return [f for f in FONT_FACE_RE.findall(css) if "url(" not in f]


@pytest.fixture(autouse=True, scope="module")
def font_cache(tmp_path_factory: pytest.TempPathFactory):
    """A machine font cache of this module's own, empty at its start."""
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("merlin-cache")
    mp.setenv("MERLIN_FONT_CACHE_DIR", str(folder / "fonts"))
    fonts.clear_memory_cache()
    yield folder / "fonts"
    mp.undo()


@pytest.fixture(scope="module")
def bundle(font_cache) -> fonts.FontBundle:
    return fonts.build_fonts("Playfair Display", "Inter", TEXT)


def _in_range(face: str) -> set[int]:
    """The code points of a @font-face's unicode-range."""
    [value] = re.findall(r"unicode-range: ([^;]+);", face)
    out: set[int] = set()
    for part in value.split(", "):
        first, _, last = part.removeprefix("U+").partition("-")
        out |= set(range(int(first, 16), int(last or first, 16) + 1))
    return out


def _block_chars(font_path, blocks) -> set[int]:
    spans = [(a, b) for a, b, name in fonts._block_spans() if name in blocks]
    cmap = TTFont(font_path).getBestCmap()
    # Control characters are never drawn: left out even when the font maps them.
    return {cp for cp in cmap if any(a <= cp <= b for a, b in spans) and not fonts._control(cp)}


def _woff2_files(bundle: fonts.FontBundle) -> dict[str, bytes]:
    return {k: v for k, v in bundle.files.items() if k.endswith(".woff2")}


def _source_path(family: str, weight: int):
    fam, _ = fonts.resolve_family(family)
    assert fam is not None, f"{family} is not installed; pip install -e . brings it"
    return fonts.font_file(fam, weight)


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


def test_subset_covers_whole_blocks_and_is_much_smaller(bundle: fonts.FontBundle) -> None:
    # Latin, Latin-1, Latin Extended-A and General Punctuation always; the text adds its
    # blocks (€ is in Currency Symbols, ✓ in Dingbats: kept when the font has them).
    assert set(fonts.ALWAYS_BLOCKS) <= set(bundle.blocks)
    assert "Currency Symbols" in bundle.blocks and "CJK Unified Ideographs" in bundle.blocks
    for family, key in (("Playfair Display", "playfair-display"), ("Inter", "inter")):
        for weight in (400, 700):
            source = _source_path(family, weight)
            original = set(TTFont(source).getBestCmap())
            [data] = [v for k, v in bundle.files.items() if k.startswith(f"fonts/{key}-{weight}-")]
            cmap = set(TTFont(io.BytesIO(data)).getBestCmap())
            # Every character of those blocks the font has, and nothing outside them.
            assert cmap == _block_chars(source, bundle.blocks)
            wanted = {ord(c) for c in TEXT} & original
            assert wanted <= cmap, [chr(c) for c in wanted - cmap]
            # Copy written later in the same language: Polish, Czech, Turkish, typography.
            later = {ord(c) for c in "ąćęłńóśźż ČŘŠŽ ğışİ ‰ ′″ ‣ ‸"} & original
            assert later and later <= cmap, [chr(c) for c in later - cmap]
            # Scripts the font lacks are left to the fallback fonts, not faked.
            assert ord("中") not in cmap and ord("😀") not in cmap
            assert len(data) * 10 < source.stat().st_size, (family, weight, len(data))


def test_non_latin_text_in_the_config_is_covered_when_the_font_has_it() -> None:
    # Inter has Greek and Cyrillic: a Greek name brings the Greek block, and only it.
    b = fonts.build_fonts("Inter", "Inter", "Ταβέρνα Ωμέγα, Łódź")
    assert "Greek and Coptic" in b.blocks and "Cyrillic" not in b.blocks
    [data] = [v for k, v in b.files.items() if k.startswith("fonts/inter-400-")]
    cmap = set(TTFont(io.BytesIO(data)).getBestCmap())
    assert {ord(c) for c in "ΤαβέρναΩμέγαΨψ Łódź"} <= cmap
    assert ord("Ж") not in cmap
    face = next(f for f in _faces(b.css) if "font-weight: 400;" in f)
    assert {ord(c) for c in "ΑΩαω"} <= _in_range(face)  # Greek in the unicode-range
    # DM Sans has no Cyrillic: the block is asked for, the file stays Latin and the browser
    # takes Cyrillic from the stack; the subset is the one a Latin-only text gets.
    cyrillic = fonts.build_fonts("DM Sans", "DM Sans", "Жар-птица")
    latin = fonts.build_fonts("DM Sans", "DM Sans", "Firebird")
    assert "Cyrillic" in cyrillic.blocks
    assert cyrillic.files == latin.files and set(latin.sources.values()) == {"memory"}
    [data] = [v for k, v in cyrillic.files.items() if k.startswith("fonts/dm-sans-400-")]
    assert ord("Ж") not in set(TTFont(io.BytesIO(data)).getBestCmap())


def test_unicode_range_is_what_the_file_maps(bundle: fonts.FontBundle) -> None:
    for face in _faces(bundle.css):
        [url] = re.findall(r'url\("\.\./([^"]+)"\)', face)
        cmap = sorted(TTFont(io.BytesIO(bundle.files[url])).getBestCmap())
        assert f"unicode-range: {fonts._unicode_range(tuple(cmap))};" in face


def test_css_has_relative_swap_font_faces(bundle: fonts.FontBundle) -> None:
    css = bundle.css
    faces = _faces(css)
    assert len(faces) == 4 and len(_fallbacks(css)) == 4
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
    assert heading.startswith('"Playfair Display", "Playfair Display Fallback", Georgia')
    assert heading.endswith(", serif")
    assert body.startswith('"Inter", "Inter Fallback", system-ui')
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
def test_unknown_or_hostile_names_get_a_served_family_of_their_kind(name: str) -> None:
    b = fonts.build_fonts(name, name, TEXT)
    # None of these is served or near a served name: the sans default draws them.
    assert b.families == {"heading": "Inter", "body": "Inter"}
    assert {k for k in b.files if k.endswith(".woff2")} == {
        k for k in b.files if re.fullmatch(r"fonts/inter-\d{3}-[0-9a-f]{8}\.woff2", k)
    }
    for stack in b.stacks.values():
        assert '"Inter", "Inter Fallback", system-ui,' in stack
        assert stack.endswith(", sans-serif")
        assert '"Noto Sans CJK SC"' in stack and '"Noto Color Emoji"' in stack
        assert not set(stack) & set(";{}<>\\\n/:()")
        if name:
            assert name not in stack or name == "Wingdings Pro"
    assert (
        '"Wingdings Pro", "Inter"' in fonts.build_fonts("Wingdings Pro", "x", "").stacks["heading"]
    )
    assert len(b.notes) == 2 and all("Inter" in n for n in b.notes)


def test_names_are_looked_up_not_used_as_paths() -> None:
    # A name is only ever a key into the installed index: a path gives the kind's default.
    for name in ("../../etc/passwd", "inter/../../lato", None, "x" * 500):
        fam, note = fonts.resolve_family(name)
        assert fam is not None and fam.key == "inter" and note, name
        assert fam.files[0].path.is_relative_to(fonts.family_index()["inter"].files[0].path.parent)
    # Case, spacing and a CSS-style list are tolerated: only the lookup key changes.
    for name in ("  playfair   DISPLAY ", "Playfair_Display", '"Playfair Display", serif'):
        fam, note = fonts.resolve_family(name)
        assert fam is not None and fam.name == "Playfair Display" and note is None


def test_missing_families_map_to_the_closest_open_family() -> None:
    fam, note = fonts.resolve_family("Source Sans Pro")
    assert fam is not None and fam.name == "Source Sans 3"
    assert note and "Source Sans 3" in note
    # A renamed family is served as its successor; a system name is the visitor's own font.
    b = fonts.build_fonts("Source Serif Pro", "Helvetica", "")
    assert b.families == {"heading": "Source Serif 4", "body": None}
    assert b.stacks["heading"].startswith('"Source Serif Pro", "Source Serif 4", ')
    assert b.stacks["heading"].endswith(", serif")
    assert b.stacks["body"].startswith("Helvetica, system-ui,")
    assert not any("helvetica" in k for k in b.files)


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
    assert len(_woff2_files(b)) == 2 and len(_faces(b.css)) == 2
    assert b.stacks["heading"] == b.stacks["body"]
    # DM Serif Display has only a 400: one file, declared at 400 and 700 (no faux bold).
    b = fonts.build_fonts("DM Serif Display", "Helvetica", TEXT)
    assert len(_woff2_files(b)) == 1
    assert re.findall(r"font-weight: (\d+);", "".join(_faces(b.css))) == ["400", "700"]
    assert len(set(re.findall(r'url\("([^"]+)"\)', b.css))) == 1


def test_subsets_are_cached_on_disk_and_deterministic(font_cache) -> None:
    first = fonts.subset_woff2("Inter", 400, TEXT)
    assert first is not None and first[:4] == b"wOF2"
    assert fonts.subset_woff2("Inter", 400, TEXT) is first  # in-process hit
    # Another text in the same blocks is the same subset.
    assert fonts.subset_woff2("Inter", 400, TEXT + " Zoë Łukasz “more”") is first
    cached = [p.name for p in font_cache.glob("inter-400-*.woff2") if p.read_bytes() == first]
    assert len(cached) == 1
    assert not list(font_cache.glob(".*.tmp"))  # written atomically, nothing left behind
    fonts.clear_memory_cache()
    assert fonts.subset_woff2("Inter", 400, TEXT) == first  # read back from disk
    # A damaged cache file is made again, not served.
    (font_cache / cached[0]).write_bytes(first[:100])
    fonts.clear_memory_cache()
    assert fonts.subset_woff2("Inter", 400, TEXT) == first
    assert (font_cache / cached[0]).read_bytes() == first
    assert fonts.subset_woff2("../../etc/passwd", 400, TEXT) is None


def test_second_build_on_a_machine_takes_a_tenth_of_the_first(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MERLIN_FONT_CACHE_DIR", str(tmp_path / "fonts"))
    fonts.clear_memory_cache()
    started = time.process_time()
    first = fonts.build_fonts("Playfair Display", "Source Sans 3", TEXT)
    cold = time.process_time() - started
    assert set(first.sources.values()) == {"subset"}
    fonts.clear_memory_cache()  # as a new process would start
    started = time.process_time()
    second = fonts.build_fonts("Playfair Display", "Source Sans 3", TEXT)
    warm = time.process_time() - started
    assert set(second.sources.values()) == {"disk"}
    assert second.files == first.files and second.css == first.css
    assert warm < cold / 10, (warm, cold)
    # The same process again: from memory.
    third = fonts.build_fonts("Playfair Display", "Source Sans 3", TEXT)
    assert set(third.sources.values()) == {"memory"}
