"""The small field types of the project config: what each accepts, rewrites and refuses.

A refusal's words reach the person who wrote the config (`ConfigError` names file and field,
then the reason), so the reasons are pinned here as well as the values.
"""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError

from merlin_assets.config.fields import (
    HexColor,
    HttpsUrl,
    _lower_host,
    _no_control_chars,
    blank_is_none,
    kind_name,
    number_as_text,
    short_hex,
    show_value,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({}, "a mapping"),
        ([], "a list"),
        ("x", "text"),
        (True, "true/false"),
        (None, "nothing"),
        (3, "a number"),
        (2.5, "a number"),
        (b"x", "a value"),
    ],
)
def test_kind_names_what_yaml_gave(value, kind) -> None:
    assert kind_name(value) == kind


def test_show_clips_long_values_to_forty_characters() -> None:
    assert show_value("mon") == "'mon'"
    forty = "x" * 38  # repr adds two quotes: exactly 40
    assert show_value(forty) == repr(forty)
    long = "y" * 39
    assert show_value(long) == repr(long)[:37] + "..."
    assert len(show_value(long)) == 40


def _checked(multiline: bool):
    return TypeAdapter(Annotated[str, _no_control_chars(multiline)])


@pytest.mark.parametrize("ch", ["\x00", "\x1f", "\x7f", "\x9f", "\u2028", "\u2029"])
def test_control_characters_are_refused(ch) -> None:
    for multiline in (False, True):
        with pytest.raises(ValidationError) as exc:
            _checked(multiline).validate_python(f"a{ch}b")
        assert f"contains a control character ({ord(ch):#04x})" in str(exc.value)


def test_newlines_and_tabs_only_in_paragraphs() -> None:
    para, line = _checked(True), _checked(False)
    assert para.validate_python("one\n\ttwo") == "one\n\ttwo"
    for ch in ("\n", "\t"):
        with pytest.raises(ValidationError, match=f"control character \\({ord(ch):#04x}\\)"):
            line.validate_python(f"a{ch}b")
    # The edges of the refused ranges are allowed, and so is every letter of a name.
    assert line.validate_python(" ~\xa0é") == " ~\xa0é"
    assert line.validate_python("Xavier Maxwell") == "Xavier Maxwell"


def test_short_hex_is_doubled() -> None:
    assert short_hex("#abc") == "#aabbcc"
    assert short_hex(" #A1f ") == "#AA11ff"
    assert short_hex("#abcd") == "#abcd"
    assert short_hex(12) == 12
    assert TypeAdapter(HexColor).validate_python("#0b3") == "#00bb33"


def test_lower_host_keeps_path_case() -> None:
    assert _lower_host(" HTTPS://Formspree.IO/f/AbC ") == "https://formspree.io/f/AbC"
    assert _lower_host("https://Example.com?Q=A") == "https://example.com?Q=A"
    # Only the first "://" ends the scheme; an address in the query keeps its case.
    assert _lower_host("HTTPS://A.com/r?u=https://B.com") == "https://a.com/r?u=https://B.com"
    assert _lower_host("https://Example.com#Top") == "https://example.com#Top"
    assert _lower_host("https://Example.COM") == "https://example.com"
    assert _lower_host("No-Scheme.com/Path") == "No-Scheme.com/Path"
    assert TypeAdapter(HttpsUrl).validate_python("https://A.com/X") == "https://a.com/X"


def test_numbers_are_text_to_people() -> None:
    assert number_as_text(45) == "45"
    assert number_as_text(4.5) == "4.5"
    assert number_as_text(45.0) == "45"
    assert number_as_text(True) is True
    assert number_as_text("45") == "45"


def test_blank_is_none() -> None:
    assert blank_is_none("  ") is None
    assert blank_is_none("") is None
    assert blank_is_none(" a ") == " a "
    assert blank_is_none(0) == 0
