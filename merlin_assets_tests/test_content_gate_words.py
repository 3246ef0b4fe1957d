"""How the content gate reads words and numbers: the stems a service is matched on, the
figures a config states, and numbers written in words."""

from __future__ import annotations

import pytest

from merlin_assets.content_gate import CopyField, Facts, check_relevance
from merlin_assets.content_gate.numbers import numbers_in
from merlin_assets.content_gate.text import numbers, stem, stems_match, wordset


def test_services_are_found_in_other_forms_of_their_words():
    # Each service is said only in another form: "balcony" for Balconies ("ies" to "y"),
    # "tiles" for tiling (both stem to "til"), "roofers" for Roof (a 4-letter prefix).
    facts = Facts(name="Slate & Son", services=("Balconies", "Roof tiling", "Roof repairs"))
    fields = [
        CopyField("page:home", "f[0]", "body", "Slate & Son: our roofers repair storm damage."),
        CopyField("page:home", "f[1]", "body", "We fit roof tiles and build a balcony."),
    ]
    assert check_relevance(fields, facts) == []


def test_a_service_said_in_no_form_of_its_words_is_missing():
    facts = Facts(name="Slate & Son", services=("Balconies", "Roof tiling", "Roof repairs"))
    fields = [CopyField("page:home", "f[0]", "body", "Slate & Son fit roof tiles.")]
    [finding] = check_relevance(fields, facts)
    assert finding.check == "missing_services" and finding.severity == "error"
    assert finding.message.endswith("missing: Balconies, Roof repairs")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Bakeries", "bakery"),
        ("baking", "bak"),
        ("bakes", "bak"),
        ("trims", "trim"),
        ("glass", "glass"),  # "ss" is no plural
        ("bus", "bus"),  # too short to lose its "s"
        ("ring", "ring"),
        ("pies", "pie"),  # "ies" would leave two letters; "s" goes instead
    ],
)
def test_the_stem_a_word_is_compared_on(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("design", "design", True),
        ("roof", "roofer", True),
        ("roofer", "roof", True),
        ("tea", "teapot", False),  # three letters are too few to be a prefix
        ("roof", "proof", False),
    ],
)
def test_stems_match_when_equal_or_one_is_a_prefix_of_four_letters(a, b, same):
    assert stems_match(a, b) is same


def test_a_word_list_literal_is_a_set():
    assert wordset("open closed open") == frozenset({"open", "closed"})


def test_the_figures_a_config_states_include_digits_with_thousands_commas():
    facts = Facts(name="Crumb & Co", texts=("We bake 1,200 loaves a week, open 24/7.",))
    assert {1200.0, 24.0, 7.0} <= facts.figures
    assert numbers("Rated 4.9, from 2,000 reviews.") == {4.9, 2000.0}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # (raw, value, the span of copy it covers, written in digits, with a "+")
        ("Trusted by 1,200 clients", [("1,200", 1200.0, "1,200", True, False)]),
        ("Over 500+ projects", [("500", 500.0, "500+", True, True)]),
        ("A 2k community", [("2", 2000.0, "2k", True, False)]),
        ("twenty-five years", [("twenty-five", 25.0, "twenty-five", False, False)]),
        (
            "A Hundred and twelve+ cakes",
            [("A Hundred and twelve", 112.0, "A Hundred and twelve+", False, True)],
        ),
        ("a ten-year warranty", [("a ten", 10.0, "a ten", False, False)]),
        ("a dozen flavours", [("a dozen", 12.0, "a dozen", False, False)]),
        ("loved by thousands", [("thousands", 0.0, "thousands", False, False)]),
        ("thousands of loaves", [("thousands", 0.0, "thousands", False, False)]),
        # The unit follows "a", as after "three decades": the span is the article.
        ("for a decade", [("a", 1.0, "a ", False, False)]),
        (
            "over two decades",
            [("two", 2.0, "two", False, False), ("decades", 0.0, "decades", False, False)],
        ),
        # Not counts: "one of", "half a", a version, a fraction's part, a model number.
        ("one of our bakers, half a loaf, Quarter of the flour", []),
        ("One or two", [("two", 2.0, "two", False, False)]),
        ("v2.5 and 3/4 and x-10", [("3", 3.0, "3", True, False)]),
    ],
)
def test_numbers_in_copy_as_the_figure_check_reads_them(text, said):
    found = [(n.raw, n.value, text[n.start : n.end], n.is_digits, n.plus) for n in numbers_in(text)]
    assert found == said
