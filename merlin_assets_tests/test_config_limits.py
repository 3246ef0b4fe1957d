"""Config loading at its limits: the exact edge of every bound, and the exact words of every
refusal (file, field, reason), so a bound moved by one or a reason changed fails here."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from merlin_assets.config.fields import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_NODES
from merlin_assets.config.loading import TooBig, check_json_shape, field_path, load_yaml
from merlin_assets.config.project import ConfigError, file_hash, load_config, parse_config_text

BASE = "name: Crumb & Co\nindustry: bakery\n"


def _refused(text: str | bytes, suffix: str = ".yaml") -> ConfigError:
    with pytest.raises(ConfigError) as exc:
        parse_config_text(text, source="c.yaml", suffix=suffix)
    return exc.value


def test_error_names_file_and_field() -> None:
    err = ConfigError("dir/c.yaml", "hours", "got text")
    assert (err.path, err.field, err.reason) == ("dir/c.yaml", "hours", "got text")
    assert str(err) == "dir/c.yaml: field 'hours': got text"
    assert str(ConfigError(Path("c.json"), "", "bad")) == "c.json: bad"


def test_field_path_reads_like_yaml() -> None:
    assert field_path(("testimonials", 3, "quote")) == "testimonials[3].quote"
    assert field_path((0, "a")) == "[0].a"
    assert field_path(()) == ""


def test_size_limit_is_exact() -> None:
    ok = BASE + "#" * (MAX_CONFIG_BYTES - len(BASE) - 1) + "\n"
    assert len(ok.encode()) == MAX_CONFIG_BYTES
    assert parse_config_text(ok, source="c.yaml", suffix=".yaml").name == "Crumb & Co"
    err = _refused(ok + "#")
    assert err.reason == f"file is {MAX_CONFIG_BYTES + 1} bytes; the limit is {MAX_CONFIG_BYTES}"
    assert err.field == ""


def test_bytes_that_are_not_text() -> None:
    assert _refused(b"name: \xff\n").reason == "not UTF-8 text (invalid start byte)"
    assert _refused(BASE + "notes: a\x00b\n").reason == "contains a NUL byte"


def _nested_yaml(depth: int) -> str:
    return BASE + "x: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"


def test_yaml_depth_limit_is_exact() -> None:
    # The top-level mapping is one level; MAX_DEPTH levels in all are read (and then refused
    # as an unknown field), one more is refused before anything is built.
    assert _refused(_nested_yaml(MAX_DEPTH)).reason.startswith("unknown field")
    err = _refused(_nested_yaml(MAX_DEPTH + 1))
    assert err.reason == f"YAML nested more than {MAX_DEPTH} levels deep"
    assert MAX_DEPTH == 32


def test_json_depth_and_size_limits_are_exact() -> None:
    def nested(depth: int) -> str:
        return (
            '{"name": "A", "industry": "bakery", "x": '
            + "[" * (depth - 1)
            + "]" * (depth - 1)
            + "}"
        )

    assert _refused(nested(MAX_DEPTH), ".json").reason.startswith("unknown field")
    err = _refused(nested(MAX_DEPTH + 1), ".json")
    assert err.reason == f"JSON nested more than {MAX_DEPTH} levels deep"
    check_json_shape(list(range(MAX_NODES - 1)))  # the list and its items: MAX_NODES values
    with pytest.raises(TooBig) as exc:
        check_json_shape(list(range(MAX_NODES)))
    assert str(exc.value) == f"more than {MAX_NODES} values"
    check_json_shape({"a": {"b": [1, {"c": 2}]}})
    with pytest.raises(TooBig):
        check_json_shape({"a": [[{}]] * MAX_NODES})


def test_yaml_alias_bombs_are_refused_before_building() -> None:
    lol = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdef", "abcde", strict=True):
        lol += f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
    err = _refused(lol)
    assert err.reason == f"YAML expands to more than {MAX_NODES} values (alias bomb?)"
    wide = "a: &a " + "x" * 60_000 + "\nb: [*a, *a, *a, *a, *a]\n"
    assert _refused(wide).reason == (
        f"YAML expands to more than {4 * MAX_CONFIG_BYTES} characters (alias bomb?)"
    )
    # An alias used a few times is fine and is built as the copies it stands for.
    assert load_yaml("a: &a [1, 2]\nb: *a\nc: *a\n") == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}
    assert load_yaml("") is None
    assert load_yaml("# only a comment\n") is None


def test_yaml_expansion_limits_are_exact() -> None:
    """Every node counts once, aliases as what they expand to: MAX_NODES values and
    MAX_EXPANDED_CHARS scalar characters are read, one more is refused."""
    flow = "[" + ", ".join(["x"] * (MAX_NODES - 1)) + "]"  # the list and its items
    assert _refused(flow).reason == "the top level must be a mapping of fields"
    err = _refused("[" + ", ".join(["x"] * MAX_NODES) + "]")
    assert err.reason == f"YAML expands to more than {MAX_NODES} values (alias bomb?)"
    # Two 4-character keys and a 32,767-character scalar written once and used seven times.
    size = (MAX_EXPANDED_CHARS - 8) // 8
    at = f"abcd: &a {'x' * size}\nefgh: [{', '.join(['*a'] * 7)}]\n"
    assert _refused(at).reason.startswith("Field required")  # read, then validated
    err = _refused(at.replace("efgh", "efghi"))
    assert err.reason == (
        f"YAML expands to more than {MAX_EXPANDED_CHARS} characters (alias bomb?)"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"name: A\x00", "contains a NUL byte"),
        (b"name: \xff", "not UTF-8 text (invalid start byte)"),
        (b"[" * 40, f"YAML nested more than {MAX_DEPTH} levels deep"),
        # Deeper than libyaml reads: its own refusal, in the same words.
        (b"[" * 1100, f"YAML nested more than {MAX_DEPTH} levels deep"),
        # A closed list gives back one level: 1 + 1 + 31 levels under `x`.
        (
            b"x: [[], " + b"[" * 31 + b"]" * 31 + b"]",
            f"YAML nested more than {MAX_DEPTH} levels deep",
        ),
        (b"a: &a [*a]", "YAML an alias refers to its own anchor (a recursive structure)"),
        (b"- a", "the top level must be a mapping of fields"),
    ],
)
def test_refusals_of_the_whole_file_name_the_file_and_no_field(text, reason) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_config_text(text, source="site.yaml", suffix=".yaml")
    assert (exc.value.path, exc.value.field, exc.value.reason) == ("site.yaml", "", reason)
    assert str(exc.value) == f"site.yaml: {reason}"


def test_refusals_of_what_the_parsers_cannot_read_name_no_field() -> None:
    # Deeper than the JSON decoder recurses: refused before the shape is measured.
    err = _refused("[" * 60_000, ".json")
    assert (err.field, err.reason) == ("", "JSON nested too deeply")
    err = _refused('{"name": ', ".json")
    assert (err.path, err.field) == ("c.yaml", "")
    assert str(err) == "c.yaml: invalid JSON: Expecting value: line 1 column 10 (char 9)"


def test_recursive_yaml_is_refused() -> None:
    err = _refused("a: &a [*a]\n")
    assert err.reason == "YAML an alias refers to its own anchor (a recursive structure)"


def test_invalid_text_names_the_parser_error() -> None:
    err = _refused("name: [unclosed\n")
    assert err.reason.startswith("invalid YAML: ")
    assert "\n" not in err.reason
    err = _refused('{"name": ', ".json")
    assert err.reason == "invalid JSON: Expecting value: line 1 column 10 (char 9)"
    assert _refused("- a\n- b\n").reason == "the top level must be a mapping of fields"
    assert _refused("[1]", ".json").reason == "the top level must be a mapping of fields"
    assert _refused("!!python/object:os.system {}\n").reason.startswith("invalid YAML: ")


def test_field_refusals_say_what_to_write() -> None:
    err = _refused(BASE + "nmae: x\n")
    assert err.field == "nmae"
    assert err.reason.startswith("unknown field (did you mean 'name'?)")
    err = _refused(BASE + "zzzzzzzz: x\n")
    assert err.reason == "unknown field"
    err = _refused(BASE + "brand: {colors: {primary: '#123456', tint: '#000000'}}\n")
    assert err.field == "brand.colors.tint"
    assert err.reason.startswith("unknown field")
    assert "did you mean" not in err.reason
    err = _refused(BASE + "brand: {colors: {primary: 'blue'}}\n")
    assert err.field == "brand.colors.primary"
    assert err.reason == (
        "String should match pattern '^#[0-9a-fA-F]{6}$'; expected a quoted hex colour "
        '"#RRGGBB", e.g. primary: "#0B3D91"'
    )
    err = _refused(BASE + "contact: {email: 'not an email'}\n")
    assert err.field == "contact.email"
    assert err.reason.startswith("String should match pattern; ")  # a long pattern says nothing
    assert _refused("industry: bakery\n").field == "name"
    assert _refused("name: A\nindustry: bakery\nid: ../x\n").reason.startswith(
        "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit"
    )
    assert _refused("name: '!!!'\nindustry: bakery\n").reason.startswith(
        "no usable id can be derived from 'name'; set 'id'"
    )
    assert _refused("name: '!!!'\nindustry: bakery\n").field == "(config)"


def test_founded_runs_from_1000_to_this_year() -> None:
    this_year = datetime.date.today().year
    for year in (1000, this_year):
        assert parse_config_text(BASE + f"founded: {year}\n", source="c", suffix=".yaml").founded
    for year in (999, this_year + 1):
        err = _refused(BASE + f"founded: {year}\n")
        assert (err.field, err.reason.split(";")[0]) == ("founded", f"{year} is out of range")
    assert _refused(BASE + "founded: true\n").reason.split(";")[0] == "true/false is not a year"


def test_derived_id_and_site_url() -> None:
    config = parse_config_text(BASE, source="c", suffix=".yaml")
    assert config.project_id == "crumb-co"
    assert config.site_url == "https://crumb-co.example.com"
    own = parse_config_text(
        BASE + "id: mine\nurl: https://crumb.example/\n", source="c", suffix=".yaml"
    )
    assert (own.project_id, own.site_url) == ("mine", "https://crumb.example")


def test_content_hash_ignores_later_fields_left_unset() -> None:
    plain = parse_config_text(BASE, source="c", suffix=".yaml")
    empty_lists = parse_config_text(
        BASE + "testimonials: []\nteam: []\noffers: []\naccreditations: []\n",
        source="c",
        suffix=".yaml",
    )
    assert plain.content_hash() == empty_lists.content_hash()
    assert len(plain.content_hash()) == 16
    data = plain.model_dump(mode="json")
    canonical = json.dumps(data, sort_keys=True)
    assert (
        plain.content_hash() != __import__("hashlib").sha256(canonical.encode()).hexdigest()[:16]
    )  # the unset later fields are left out of what is hashed
    founded = parse_config_text(BASE + "founded: 1990\n", source="c", suffix=".yaml")
    assert founded.content_hash() != plain.content_hash()


def test_load_config_reads_files_and_names_them(tmp_path: Path) -> None:
    yml = tmp_path / "c.YML"
    yml.write_text(BASE)
    assert load_config(yml).name == "Crumb & Co"
    js = tmp_path / "c.json"
    js.write_text(json.dumps({"name": "A", "industry": "bakery"}))
    assert load_config(js).project_id == "a"
    txt = tmp_path / "c.txt"
    txt.write_text(BASE)
    with pytest.raises(ConfigError) as exc:
        load_config(txt)
    assert str(exc.value) == f"{txt}: expected a .yaml, .yml or .json file"
    assert exc.value.field == ""
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "missing.yaml")
    assert exc.value.reason == "cannot read file: No such file or directory"
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(ConfigError) as exc:
        load_config(folder)
    assert str(exc.value) == f"{folder}: cannot read file: Is a directory"
    assert (exc.value.path, exc.value.field) == (str(folder), "")
    # What the parser refuses names the file it read, and a .json file is read as JSON.
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "A",}')
    with pytest.raises(ConfigError) as exc:
        load_config(broken)
    assert exc.value.path == str(broken)
    assert exc.value.reason.startswith("invalid JSON: ")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: Caf\xe9\nindustry: cafe\n")
    with pytest.raises(ConfigError) as exc:
        load_config(latin)
    assert (exc.value.path, exc.value.field) == (str(latin), "")
    assert str(exc.value) == f"{latin}: not UTF-8 text (invalid continuation byte)"
    big = tmp_path / "big.yaml"
    big.write_text(BASE + "#" * MAX_CONFIG_BYTES)
    with pytest.raises(ConfigError) as exc:
        load_config(big)
    # Read one byte past the limit, never the whole file.
    assert exc.value.reason.startswith(f"file is {MAX_CONFIG_BYTES + 1} bytes")


def test_file_hash_is_the_raw_bytes() -> None:
    assert file_hash(b"abc") == "ba7816bf8f01cfea"
    assert file_hash(b"abc ") != file_hash(b"abc")


def test_clip_cuts_at_a_word_and_marks_the_cut() -> None:
    from merlin_assets.types.field_limits import clip

    assert clip("  Fresh   bread daily ", 60) == "Fresh bread daily"
    assert clip("abcdef", 6) == "abcdef"  # exactly the limit: unchanged
    assert clip("Fresh bread, daily", 14) == "Fresh bread…"  # the comma goes with the cut
    assert len(clip("Fresh bread, daily", 14)) <= 14
    assert clip("Supercalifragilistic", 8) == "Superca…"  # one long word: cut inside it
    assert clip("a - b", 4) == "a…"
    assert clip("Fresh bread daily", 14) == "Fresh bread…"  # never a piece of "daily"
    assert clip("Call FOX now please", 13) == "Call FOX…"  # only spaces and punctuation go
    assert clip("-- Supercalifragilistic", 8) == "-- Supe…"  # nothing before a space: cut


def test_visible_text_shows_something_beyond_controls_and_spaces() -> None:
    from merlin_assets.types.field_limits import visible

    for blank in ("", "\x00\x00", " \t\n", "\u200b\xa0\u2028"):  # Cc, Zs, Cf, Zl
        assert not visible(blank), repr(blank)
    for shown in ("a", "\x00a", " 7", "\u200b.", "\u00e9"):
        assert visible(shown), repr(shown)


def test_as_key_is_safe_unique_and_never_empty() -> None:
    from merlin_assets.types.field_limits import as_key

    taken: set[str] = set()
    assert as_key("Our Story!", taken, "page") == "our-story"
    assert as_key("our story", taken, "page") == "our-story-2"
    assert as_key("Our-Story", taken, "page") == "our-story-3"
    assert as_key("", taken, "page") == "page"
    assert as_key("!!!", taken, "page") == "page-2"
    assert taken == {"our-story", "our-story-2", "our-story-3", "page", "page-2"}
    long = as_key("word " * 30, set(), "x")
    assert len(long) <= 50 and long.startswith("word-word")
