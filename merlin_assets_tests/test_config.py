"""Project configs: what is accepted, and the one clear message for what is not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from merlin_assets.config.examples import FIELD_EXAMPLES, hint_for
from merlin_assets.config.project import (
    MAX_CONFIG_BYTES,
    ConfigError,
    ProjectConfig,
    load_config,
    parse_config_text,
)

EXAMPLES = sorted((Path(__file__).parents[1] / "examples" / "projects").iterdir())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_valid(path: Path):
    config = load_config(path)
    assert config.name and config.industry
    assert config.project_id == config.id
    assert len(config.services) >= 3


def test_examples_cover_different_industries():
    industries = {load_config(p).industry.split()[0].lower() for p in EXAMPLES}
    assert len(industries) >= 4


def test_id_is_derived_from_name():
    config = parse_config_text(
        "name: Crumb & Co Bakery\nindustry: bakery\n", source="x.yaml", suffix=".yaml"
    )
    assert config.project_id == "crumb-co-bakery"
    assert config.site_url == "https://crumb-co-bakery.example.com"


@pytest.mark.parametrize(
    ("text", "suffix", "field", "reason"),
    [
        ("name: [unclosed\nindustry: x", ".yaml", "", "invalid YAML"),
        ('{"name": "A", "industry": }', ".json", "", "invalid JSON"),
        ("- just\n- a list\n", ".yaml", "", "top level must be a mapping"),
        ("industry: bakery\n", ".yaml", "'name'", "Field required"),
        ("name: A\nindustry: bakery\nservices: cakes\n", ".yaml", "'services'", "valid list"),
        ("name: A\nindustry: bakery\nid: Big Bakery\n", ".yaml", "'id'", "a-z, 0-9"),
        ("name: A\nindustry: bakery\nid: ../../etc\n", ".yaml", "'id'", "a-z, 0-9"),
        ("name: A\nindustry: bakery\nid: /abs/path\n", ".yaml", "'id'", "a-z, 0-9"),
        (
            "name: A\nindustry: bakery\nbrand: {colors: {primary: red}}\n",
            ".yaml",
            "'brand.colors.primary'",
            "should match pattern",
        ),
        (
            "name: A\nindustry: bakery\nbrand: {colors: {primary: '#fff;} body{x:y'}}\n",
            ".yaml",
            "'brand.colors.primary'",
            "should match pattern",
        ),
        (
            "name: A\nindustry: bakery\nbrand: {fonts: {body: 'x;}</style>'}}\n",
            ".yaml",
            "'brand.fonts.body'",
            "should match pattern",
        ),
        ("name: A\nindustry: bakery\nservices: [ok, 7]\n", ".yaml", "'services[1]'", "string"),
        ("name: A\nindustry: bakery\nsevrices: [x]\n", ".yaml", "'sevrices'", "unknown field"),
        ("!!python/object/apply:os.system ['echo hi']\n", ".yaml", "", "invalid YAML"),
        ("name: !!python/name:os.system\nindustry: x\n", ".yaml", "", "invalid YAML"),
    ],
)
def test_bad_configs_name_file_and_field(text, suffix, field, reason):
    with pytest.raises(ConfigError) as info:
        parse_config_text(text, source=f"projects/bad{suffix}", suffix=suffix)
    message = str(info.value)
    assert message.startswith(f"projects/bad{suffix}")
    assert field in message
    assert reason in message


def test_oversized_config_is_refused_before_parsing():
    text = "name: A\nindustry: b\nnotes: " + "x" * MAX_CONFIG_BYTES
    with pytest.raises(ConfigError, match="limit is"):
        parse_config_text(text, source="big.yaml", suffix=".yaml")


def test_unknown_extension(tmp_path: Path):
    path = tmp_path / "site.toml"
    path.write_text("name = 'x'")
    with pytest.raises(ConfigError, match=r"expected a \.yaml"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "field"),
    [("name: A\nindustry: bakery\nid: ../escape\n", "id"), ("name: [oops\n", "")],
)
def test_cli_exits_2_and_writes_nothing(tmp_path: Path, text: str, field: str):
    config = tmp_path / "bad.yaml"
    config.write_text(text)
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "merlin_assets.cli", "generate", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert str(config) in proc.stderr
    assert field in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


# --- facts the business supplies ----------------------------------------------------------------

HEADER = "name: Acme Bakery\nindustry: bakery\n"
NEW_FIELDS = (
    "testimonials",
    "team",
    "hours",
    "contact",
    "offers",
    "founded",
    "accreditations",
    "form_endpoint",
)


def _parse(text: str, suffix: str = ".yaml") -> ProjectConfig:
    return parse_config_text(HEADER + text, source=f"projects/acme{suffix}", suffix=suffix)


def _week(**days) -> dict:
    return {
        day: (
            {"closed": True, "periods": []}
            if spec == "closed"
            else {
                "closed": False,
                "periods": [
                    dict(zip(("opens", "closes"), p.split("-"), strict=True)) for p in spec
                ],
            }
        )
        for day, spec in days.items()
    }


OFFICE = _week(
    mon=["08:00-17:00"],
    tue=["08:00-17:00"],
    wed=["08:00-17:00"],
    thu=["08:00-17:00"],
    fri=["08:00-17:00"],
    sat=["09:00-13:00"],
    sun="closed",
)


@pytest.mark.parametrize(
    "text",
    [
        'hours: {mon-fri: "08:00-17:00", sat: "09:00-13:00", sun: closed}',
        "hours: {Mon-Fri: 8am-5pm, Saturday: 9am to 1pm, sun: Closed}",
        'hours: {"mon, tue, wed, thu, fri": "8:00 - 17:00", sat: "9-13", sun: off}',
        "hours: {weekdays: 08.00–17.00, sat: 9:00-13:00, sun: closed}",
        # Unquoted 8:00 is a base-60 number to YAML (480); it still means eight o'clock.
        "hours:\n"
        "  - {days: mon-fri, opens: 8:00, closes: 17:00}\n"
        "  - {days: [sat], opens: '09:00', closes: 1pm}\n"
        "  - {days: sun, closed: true}\n",
    ],
    ids=["mapping", "words", "day-list", "dots", "list"],
)
def test_hours_in_either_form_become_one_model(text):
    config = _parse(text + "\n")
    assert config.hours is not None
    assert config.hours.model_dump() == OFFICE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{mon: "18:00-2am"}', _week(mon=["18:00-02:00"])),
        ("{tue: 24 hours}", _week(tue=["00:00-24:00"])),
        ("{wed: 9am-midnight}", _week(wed=["09:00-24:00"])),
        ('{thu: ["9-12", "13:30-17:30"]}', _week(thu=["09:00-12:00", "13:30-17:30"])),
        ('{fri: "9-12, 13-17"}', _week(fri=["09:00-12:00", "13:00-17:00"])),
        (
            '{sat-mon: "12pm-4pm"}',
            _week(sat=["12:00-16:00"], sun=["12:00-16:00"], mon=["12:00-16:00"]),
        ),
        (
            "[{days: mon, opens: '09:00', closes: '12:00'}, {days: mon, opens: 1pm, closes: 5pm}]",
            _week(mon=["09:00-12:00", "13:00-17:00"]),
        ),
    ],
    ids=["overnight", "all-day", "midnight", "split-list", "split-text", "wrapping-range", "items"],
)
def test_hours_forms_people_write(text, expected):
    config = _parse(f"hours: {text}\n")
    assert config.hours is not None
    stated = {k: v for k, v in config.hours.model_dump().items() if v is not None}
    assert stated == expected


def test_normalised_hours_validate_again():
    config = _parse('hours: {mon-fri: "08:00-17:00", sat: "09:00-13:00", sun: closed}\n')
    again = ProjectConfig.model_validate(config.model_dump())
    assert again == config and again.content_hash() == config.content_hash()


@pytest.mark.parametrize(
    ("text", "check"),
    [
        (
            'testimonials: [{quote: "  Best bread in town. ", name: Morag Reid, role: Regular}]',
            lambda c: (
                c.testimonials[0].model_dump()
                == {"quote": "Best bread in town.", "name": "Morag Reid", "role": "Regular"}
            ),
        ),
        (
            "testimonials: [{quote: Lovely cakes, name: Tom, role: ''}]",
            lambda c: c.testimonials[0].role is None,
        ),
        (
            "team: [{name: Dana Whitfield, role: Managing partner, bio: 20 years in law.}]",
            lambda c: (
                (c.team[0].name, c.team[0].role, c.team[0].bio)
                == ("Dana Whitfield", "Managing partner", "20 years in law.")
            ),
        ),
        ("team: [{name: Lena, role: Hygienist}]", lambda c: c.team[0].bio is None),
        (
            'contact: {phone: "+44 (0)131 555-0186", email: hello@crumb.example, '
            'address: "14 Shore Place\\nLeith"}',
            lambda c: (
                c.contact.model_dump()
                == {
                    "phone": "+44 (0)131 555-0186",
                    "email": "hello@crumb.example",
                    "address": "14 Shore Place\nLeith",
                    "map_url": None,
                }
            ),
        ),
        (
            "contact: {map_url: 'HTTPS://Maps.Google.com/?q=14+Shore+Place&z=15'}",
            lambda c: c.contact.map_url == "https://maps.google.com/?q=14+Shore+Place&z=15",
        ),
        (
            'offers: [{name: Loaf, price: "£5.20"}, {name: Cake, price: from $120, '
            "description: Serves 12}, {name: Tart, price: 45}, {name: Advice}]",
            lambda c: (
                [(o.name, o.price) for o in c.offers]
                == [("Loaf", "£5.20"), ("Cake", "from $120"), ("Tart", "45"), ("Advice", None)]
            ),
        ),
        ("founded: 1998", lambda c: c.founded == 1998),
        ("founded: '1998'", lambda c: c.founded == 1998),
        (
            "accreditations: [Gas Safe registered, ' OFTEC ']",
            lambda c: c.accreditations == ["Gas Safe registered", "OFTEC"],
        ),
        (
            "form_endpoint: https://formspree.io/f/xyzabcd",
            lambda c: c.form_endpoint == "https://formspree.io/f/xyzabcd",
        ),
        ("form_endpoint: ''", lambda c: c.form_endpoint is None),
        (
            "testimonials: " + str([{"quote": "q", "name": "n"}] * 30),
            lambda c: len(c.testimonials) == 30,
        ),
        ("team: " + str([{"name": "n", "role": "r"}] * 50), lambda c: len(c.team) == 50),
        ("offers: " + str([{"name": "n"}] * 60), lambda c: len(c.offers) == 60),
    ],
    ids=[
        "testimonial",
        "testimonial-blank-role",
        "team",
        "team-no-bio",
        "contact",
        "contact-map-url",
        "offers",
        "founded",
        "founded-text",
        "accreditations",
        "form-endpoint",
        "form-endpoint-blank",
        "30-testimonials",
        "50-team",
        "60-offers",
    ],
)
def test_new_fields_are_accepted_and_normalised(text, check):
    assert check(_parse(text + "\n"))


def test_new_fields_default_to_nothing_and_keep_the_hash():
    config = _parse("")
    assert all(getattr(config, name) in (None, []) for name in NEW_FIELDS)
    # A config that uses none of the new fields hashes as it did before they existed (the value
    # was computed with the config model from before them): same seeds, same run keys.
    old = parse_config_text("name: A\nindustry: bakery\n", source="a.yaml", suffix=".yaml")
    assert old.content_hash() == "117b9170ee8325fd"


@pytest.mark.parametrize(
    ("colors", "expected"),
    [
        ('["#0B3D91", "#00C2A8"]', ("#0B3D91", "#00C2A8", None)),
        ('["#0B3D91", "#00C2A8", "#F2A900"]', ("#0B3D91", "#00C2A8", "#F2A900")),
        ('["#0B3D91"]', ("#0B3D91", None, None)),
        ('"#0B3D91"', ("#0B3D91", None, None)),
        ('["#abc"]', ("#aabbcc", None, None)),
        ('{primary: "#0B3D91", accent: "#F2A900"}', ("#0B3D91", None, "#F2A900")),
    ],
    ids=["two", "three", "one", "string", "short-hex", "mapping"],
)
def test_brand_colours_as_list_or_mapping(colors, expected):
    config = _parse(f"brand: {{colors: {colors}}}\n")
    c = config.brand.colors
    assert (c.primary, c.secondary, c.accent) == expected


def test_list_colours_hash_like_the_mapping():
    listed = _parse('brand: {colors: ["#0b3d91", "#00c2a8"]}\n')
    mapped = _parse('brand: {colors: {primary: "#0b3d91", secondary: "#00c2a8"}}\n')
    assert listed == mapped and listed.content_hash() == mapped.content_hash()


def test_sixty_services_are_accepted_and_sixty_one_are_not():
    services = [f"Service {i}" for i in range(61)]
    assert len(_parse(f"services: {services[:60]}\n").services) == 60
    with pytest.raises(ConfigError, match=r"field 'services'.*at most 60"):
        _parse(f"services: {services}\n")


BAD_NEW_VALUES = [
    # (yaml after the header, field named in the error, words of the reason)
    ("brand: {colors: [red]}", "brand.colors", "colour 1 ('red')"),
    ('brand: {colors: ["#000000", "#111111", "#222222", "#333333"]}', "brand.colors", "1 to 3"),
    ("brand: {colors: []}", "brand.colors", "1 to 3"),
    ("brand: {colors: 7}", "brand.colors", "got a number"),
    ("brand:\n  colors:\n    - #0B3D91\n", "brand.colors", "unquoted #"),
    ('brand: {colors: ["#fff;}body{x:y"]}', "brand.colors", "not a hex colour"),
    ("brand: {colors: {primary: blue}}", "brand.colors.primary", "should match pattern"),
    ("testimonials: [{quote: Great}]", "testimonials[0].name", "Field required"),
    ("testimonials: [{name: Bob}]", "testimonials[0].quote", "Field required"),
    ("testimonials: [{quote: Great, name: Bob, author: x}]", "testimonials[0].author", "unknown"),
    ('testimonials: [{quote: "a\\x1b[2J", name: Bob}]', "testimonials[0].quote", "control"),
    ("testimonials: " + str([{"quote": "q", "name": "n"}] * 31), "testimonials", "at most 30"),
    ("testimonials: {quote: Great, name: Bob}", "testimonials", "valid list"),
    ("team: [{name: Dana}]", "team[0].role", "Field required"),
    ("team: " + str([{"name": "n", "role": "r"}] * 51), "team", "at most 50"),
    ("team: [{name: Dana, role: Partner, bio: " + "x" * 1001 + "}]", "team[0].bio", "1000"),
    ("hours: Mon-Fri 9-5", "hours", "got text"),
    ("hours: {mon: 9 till late}", "hours", "'late' is not a time"),
    ("hours: {mon: '25:00-26:00'}", "hours", "not a time of day"),
    ("hours: {mon: '9:75-17:00'}", "hours", "not a time of day"),
    ("hours: {mon: '13pm-5pm'}", "hours", "1 to 12"),
    ("hours: {funday: '9-5'}", "hours", "'funday' is not a day"),
    ("hours: {mon: '9-17', monday: closed}", "hours", "'mon' is given twice"),
    ("hours: {mon: '9:00-9:00'}", "hours.mon.periods[0]", "write '24 hours'"),
    ("hours: [{days: mon, opens: '09:00'}]", "hours", "needs 'opens' and 'closes'"),
    ("hours: [{opens: '09:00', closes: '17:00'}]", "hours", "needs 'days'"),
    ("hours: [{days: mon, opens: 8.5, closes: '17:00'}]", "hours", "quote times"),
    ("hours: {}", "hours", "no days"),
    ("contact: {phone: 01615550142}", "contact.phone", "valid string"),  # YAML octal!
    ("contact: {phone: 'call us!'}", "contact.phone", "should match pattern"),
    ("contact: {phone: '12'}", "contact.phone", "3 to 20 digits"),
    ("contact: {email: not-an-email}", "contact.email", "should match pattern"),
    ("contact: {email: 'a@b'}", "contact.email", "should match pattern"),
    ("contact: {email: '\"x\"@evil.example'}", "contact.email", "should match pattern"),
    ("contact: {map_url: 'javascript:alert(1)'}", "contact.map_url", "should match pattern"),
    ("contact: {map_url: 'http://maps.example/'}", "contact.map_url", "should match pattern"),
    ("contact: {fax: '0161 555 0000'}", "contact.fax", "unknown field"),
    ("contact: {address: " + "x" * 301 + "}", "contact.address", "300"),
    ("contact: 0161 555 0142", "contact", "valid dictionary"),
    ("offers: [{price: '£45'}]", "offers[0].name", "Field required"),
    ("offers: [{name: Cake, price: " + "9" * 41 + "}]", "offers[0].price", "40"),
    ("offers: " + str([{"name": "n"}] * 61), "offers", "at most 60"),
    ("founded: 999", "founded", "out of range"),
    ("founded: 3000", "founded", "out of range"),
    ("founded: est. 1998", "founded", "valid integer"),
    ("founded: true", "founded", "not a year"),
    ("accreditations: Gas Safe", "accreditations", "valid list"),
    ("accreditations: " + str(["a"] * 31), "accreditations", "at most 30"),
    ("form_endpoint: http://forms.example/f", "form_endpoint", "should match pattern"),
    ('form_endpoint: "https://x.example/f\\"><script>"', "form_endpoint", "should match pattern"),
    ("form_endpoint: 'https://x.example/f url(evil)'", "form_endpoint", "should match pattern"),
    ("form_endpoint: https://user:pw@x.example/f", "form_endpoint", "should match pattern"),
]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize(("text", "field", "reason"), BAD_NEW_VALUES)
def test_bad_new_values_name_file_field_and_show_an_example(text, field, reason, suffix):
    if suffix == ".json":
        source = json.dumps(yaml.safe_load(HEADER + text))
    else:
        source = HEADER + text + "\n"
    with pytest.raises(ConfigError) as info:
        parse_config_text(source, source=f"projects/acme{suffix}", suffix=suffix)
    message = str(info.value)
    assert message.startswith(f"projects/acme{suffix}: field '{field}': "), message
    assert info.value.field == field
    assert reason in message, message
    expected, example = hint_for(field).removeprefix("expected ").split(", e.g. ", 1)
    assert f"expected {expected}, e.g. {example}" in message
    assert "\n" not in message and len(message) < 400, message


def test_brand_colours_error_reads_as_documented():
    with pytest.raises(ConfigError) as info:
        _parse("brand: {colors: [navy]}\n")
    assert str(info.value).endswith(
        'expected a list of hex colours or a mapping, e.g. colors: ["#0B3D91", "#00C2A8"]'
    )


def test_unknown_top_level_field_suggests_the_near_one():
    with pytest.raises(ConfigError, match=r"unknown field \(did you mean 'testimonials'\?\)"):
        _parse("testimonial: [{quote: q, name: n}]\n")


@pytest.mark.parametrize("field", sorted(ProjectConfig.model_fields))
def test_every_field_has_an_example_that_parses(field):
    """Each top-level field has an entry in the table, and its example is a valid config."""
    assert field in FIELD_EXAMPLES
    example = FIELD_EXAMPLES[field][1]
    text = example + "\n" if field in {"name", "industry"} else HEADER + example + "\n"
    if field == "name":
        text += "industry: bakery\n"
    elif field == "industry":
        text += "name: Acme\n"
    config = parse_config_text(text, source="example.yaml", suffix=".yaml")
    assert getattr(config, field) not in (None, [], "")


@pytest.mark.parametrize("field", sorted(k for k in FIELD_EXAMPLES if "." in k))
def test_nested_examples_parse_in_place(field):
    """'brand.colors.primary' -> brand: {colors: {primary: ...}} must validate."""
    *parents, leaf = field.split(".")
    value = yaml.safe_load(FIELD_EXAMPLES[field][1])
    assert list(value) == [leaf]
    lists = {"testimonials", "team", "offers", "photos"}
    required = {
        "testimonials": {"quote": "q", "name": "n"},
        "team": {"name": "n", "role": "r"},
        "offers": {"name": "n"},
        "photos": {"file": "media/shop.jpg", "alt": "a"},
    }
    node: object = value
    for parent in reversed(parents):
        node = [{**required[parent], **node}] if parent in lists else {parent: node}
        if parent in lists:
            node = {parent: node}
    data = {"name": "Acme", "industry": "bakery", **node}
    if leaf == "photo":  # a team member's or offer's photo names one of the config's photos
        data["photos"] = [{"file": value["photo"], "alt": "a"}]
    parse_config_text(json.dumps(data), source="example.json", suffix=".json")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_keep_their_ids(path: Path):
    ids = {
        "brightsmile-dental.json": "brightsmile-dental-studio",
        "crumb-and-co-bakery.yaml": "crumb-co-bakery",
        "greenline-plumbing.yaml": "greenline-plumbing-heating",
        "harbor-legal.yaml": "harbor-legal",
        "ledgerly.yaml": "ledgerly",
    }
    assert load_config(path).project_id == ids[path.name]


def test_every_new_field_appears_in_some_example():
    configs = [load_config(p) for p in EXAMPLES]
    for name in NEW_FIELDS:
        assert any(getattr(c, name) not in (None, []) for c in configs), name
    assert any(c.brand.colors.secondary for c in configs)
