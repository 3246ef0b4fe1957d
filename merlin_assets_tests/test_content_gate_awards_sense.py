"""Awards, language, lexicon, nonsense and warm-up at their edges: each threshold of the
content gate's boast, language and word-frequency checks tried on both sides with real
words (wordfreq's Zipf frequencies, lingua's detector), and the warm-up judged by what the
first check after it still has to load."""

from __future__ import annotations

import pytest

from merlin_assets.content_gate import CopyField, Facts, check_copy, language, style, wordlists
from merlin_assets.content_gate import lexicon as lexicon_module
from merlin_assets.content_gate.warm import warm

# The loaders `warm` is there to fill: each reads a list or model from disk on its first call.
LOADERS = {
    "places": wordlists._places,
    "place first words": wordlists.place_first_words,
    "given names": wordlists._first_names,
    "dictionary": wordlists._dictionary,
    "day names": wordlists.day_names,
    "detector": language.detector,
    "inflect": style._inflect,
    "readability scorer": style._scorer,
}


def _misses() -> dict[str, int]:
    return {name: f.cache_info().misses for name, f in LOADERS.items()}


def test_after_warm_the_first_check_loads_nothing():
    for f in LOADERS.values():
        f.cache_clear()
    lexicon_module.zipf.cache_clear()
    warm()  # an English site's
    loaded = _misses()
    assert all(loaded.values()), loaded
    field = CopyField(
        "page:home",
        "sections[0].body",
        "body",
        "Open Monday to Saturday in Leith: Anna bakes a loaf an hour, award-winning bread.",
    )
    check_copy([field], Facts(name="Crumb & Co", industry="Bakery", location="Leith"))
    style.flesch([field.text], "en")
    assert _misses() == loaded


def test_warm_loads_the_site_language_s_frequencies_detector_and_scorer():
    import wordfreq

    caches = (lexicon_module.zipf, wordlists.zipf, wordfreq.get_frequency_dict)
    for f in (*LOADERS.values(), *caches):
        f.cache_clear()
    # wordfreq also keeps each word's answer: one an earlier test read would need no table.
    wordfreq._wf_cache.clear()
    warm("fr")
    loaded = (_misses(), wordfreq.get_frequency_dict.cache_info().misses)
    # What a French site's first check reads: the French table, detector and scorer, and the
    # English table (`wordlists.is_common_word` judges names in English whatever the site).
    wordfreq.zipf_frequency("boulangerie", "fr")
    wordfreq.zipf_frequency("boulangerie", "en")
    language.detector("fr")
    style._scorer("fr")
    assert (_misses(), wordfreq.get_frequency_dict.cache_info().misses) == loaded


# Zipf frequencies below are wordfreq 3.1's ("best" lists: English, French, Spanish, Italian,
# Portuguese), rounded to two places as `zipf_frequency` gives them; each word sits on or
# beside one threshold of lexicon.py.


def test_a_name_is_rare_at_home_and_equally_rare_in_three_other_languages():
    from merlin_assets.content_gate.lexicon import name_like

    # "abramson": 2.49 in English; 2.0, 1.86, 2.15, 1.62 in fr, es, it, pt.
    assert name_like("abramson")
    # "bork": 2.5 in English is common enough to be a word of it (the floor is inclusive).
    assert not name_like("bork")
    # "botanical": 3.49, its profile a name's (1.87 to 1.9 elsewhere), but a word at home.
    assert not name_like("botanical")
    # "chorley": seen in exactly three of the four (0.0 in French), at most 1.43: a name.
    assert name_like("chorley")
    # "flyby": seen in two only (1.5 in Italian, 1.05 in Portuguese): not a name's profile.
    assert not name_like("flyby")
    # "raab": its commonest other language is exactly 2.2 (Italian): too common to be a name.
    assert not name_like("raab")
    # "agassi": 2.28 to 2.42 in three of them.
    assert not name_like("agassi")


def test_two_common_words_run_together_are_a_compound():
    from merlin_assets.content_gate.lexicon import compound

    assert compound("tugboat")  # "tug" is exactly 3.5, "boat" 4.71
    assert compound("beehive")  # "bee" 4.09, "hive" exactly 3.5
    assert compound("catwalk")  # the one split is after three letters: "cat" + "walk"
    assert compound("toolbox")  # the one split leaves three letters: "tool" + "box"
    # "grand" + "ad" would leave two letters, and "grandad" has no other split.
    assert not compound("grandad")


def test_a_word_less_its_ending_is_a_common_word():
    from merlin_assets.content_gate.lexicon import base_is_common

    assert base_is_common("spores")  # "spore" is exactly 3.0, the floor
    assert base_is_common("boats")  # "boat": four letters are enough
    assert base_is_common("churches")  # only less "es": "churche" is no word
    assert base_is_common("teacher")  # only less "er"
    assert base_is_common("renters")  # only less "ers": "renter" is 2.77
    assert not base_is_common("cats")  # "cat" is three letters: too short to judge
    assert not base_is_common("spores", floor=3.01)


def test_a_word_at_least_2_in_another_language_is_a_loanword():
    from merlin_assets.content_gate.lexicon import loanword

    assert loanword("kudo")  # exactly 2.0 in French, under it elsewhere
    assert not loanword("chorley")  # at most 1.43


def _claims(text: str, config_says: str = "", accredited: tuple[str, ...] = ()) -> list[str]:
    from merlin_assets.content_gate.awards import check_claim_words

    texts = (config_says,) if config_says else ()
    facts = Facts(name="Crumb & Co", texts=texts, accreditations=accredited)
    field = CopyField("page:about", "sections[0].body", "body", text)
    return [f.message for f in check_claim_words([field], facts)]


CERTIFICATION = " claims a certification or licence that the config does not give"
GUILD = ("Craft Guild",)


@pytest.mark.parametrize(
    "text, found",
    [
        # A place named 24 characters before the boast is not what it is certified by.
        ("Baked in Portobello every morning, and fully certified.", []),
        # A name ending two characters before the boast is part of it (45 characters in).
        (
            "Our bakers have baked bread for forty years in Portobello: certified organic.",
            ["'certified'" + CERTIFICATION],
        ),
        # ...three characters before, it is not.
        ("We have baked bread for forty years in Portobello - certified organic.", []),
        # A name starting two characters after the boast is part of it, three after is not.
        (
            "We have baked bread and cakes for forty years. Certified; in Portobello since 1990.",
            ["'Certified'" + CERTIFICATION],
        ),
        (
            "We have baked bread and cakes for forty years. Certified — in Portobello since 1990.",
            [],
        ),
        # A name outside the window does not end the look: the body after the boast is read.
        (
            "Baked in Portobello every morning, and fully certified by Leithbody.",
            ["'certified'" + CERTIFICATION],
        ),
    ],
)
def test_the_names_a_boast_is_read_with_lie_within_two_characters_of_it(text, found):
    assert _claims(text, accredited=GUILD) == found


@pytest.mark.parametrize(
    "text, accredited, found",
    [
        # "the" and "Chartered" are no part of the body's own name: "Bakers Guild" is.
        ("Registered with the Chartered Bakers Guild.", ("Bakers Guild",), []),
        # A lone letter is no word of a name ("Q Guild" is the Guild the config names)...
        ("Q Guild approved butchers.", ("Butchers Guild",), []),
        # ...but two letters are: the config does not say "UK".
        (
            "Registered with the UK Bakers Guild.",
            ("Bakers Guild",),
            ["'Registered with'" + CERTIFICATION],
        ),
    ],
)
def test_the_words_of_a_body_that_the_config_must_name(text, accredited, found):
    assert _claims(text, accredited=accredited) == found


def test_a_paper_the_config_names_backs_the_press_boast_that_names_it():
    said = "The Scotsman wrote about our rye in 2023."
    assert _claims("We were praised by The Scotsman.", config_says=said) == []
    assert _claims("We were praised by The Scotsman.") == [
        "'praised by The' claims press coverage that the config does not give"
    ]
    # A membership boast naming its body is no press boast: it needs its own word.
    assert _claims("Proud members of the Bakers Guild.", "We belong to the Bakers Guild.") == [
        "'Proud members'" + CERTIFICATION
    ]


def test_a_ranking_backed_by_its_own_word():
    voted = "Voted best bakery in Leith, 2023."
    assert _claims("The best sourdough bakery in Leith.", config_says=voted) == []
    assert _claims("The best sourdough bakery in Leith.") == [
        "'The best sourdough bakery in' claims a ranking that the config does not give"
    ]


def test_stars_with_no_word_are_a_rating_no_config_text_backs():
    assert _claims("★★★★★ from our customers.", config_says="Loved by our customers.") == [
        "'★★★★★' claims a rating that the config does not give"
    ]


# lingua's low-accuracy detector and wordfreq, on an English site: the detected language and
# its confidence, the share of words under Zipf 4.0 in English ("rare"), and the share
# commoner in the detected language than in English, measured for each sentence.
@pytest.mark.parametrize(
    "text, found",
    [
        # French at 0.99; 2 of 5 words rare (the floor, 0.4, is inclusive); all commoner in
        # French. "pause" is exactly 4.0 in English: an everyday word, not a rare one.
        ("Une pause pour le dessert", "fr"),
        # 2 of 6 rare ("pause" not counted): the English words carry it.
        ("Une pause café pour le chef", ""),
        # French at 0.96, but 3 of 9 rare: mostly words English uses too.
        ("Le restaurant est ouvert pour le brunch du dimanche", ""),
        # 4 of 9 rare, 6 of 9 commoner in French: foreign.
        ("Le restaurant est ouvert pour le brunch avec Morag", "fr"),
        # Italian at only 0.53: not sure enough, however rare the words.
        ("Le brunch est servi avec Morag et Hamish", ""),
        # French at 1.0, 3 of 6 commoner in French: half is enough...
        ("Hot bread and croissants chez nous", "fr"),
        # ...3 of 7 is not,
        ("Warm bread and fresh croissants chez nous", ""),
        # ...nor is a name neither language has ("Zorbly": 0.0 in both) counted for French.
        ("Hot bread and croissants chez Zorbly", ""),
    ],
)
def test_the_thresholds_a_foreign_sentence_passes(text, found):
    from merlin_assets.content_gate.language import foreign_language

    assert foreign_language(text, "en") == found


def _language_findings(text: str, facts: Facts) -> list[str]:
    from merlin_assets.content_gate.language import check_language

    field = CopyField("page:home", "sections[0].body", "body", text)
    return [f.message for f in check_language([field], facts)]


def test_the_config_s_names_are_read_in_the_site_s_language():
    # "maison" is 5.5 in French: a word of a French site, not a name to take out. Kept, the
    # sentence has its five words, and they are English.
    maison = Facts(name="Maison Martin", language="fr")
    assert _language_findings("Maison bakes bread every morning", maison) == [
        "'Maison bakes bread every morning' reads as English, but the site is in French"
    ]
    # On an English site "Petit" and "Pâtisserie" are the business's: four words are left.
    petit = Facts(name="Le Petit Four Pâtisserie", location="Bath")
    assert _language_findings("Bienvenue chez Le Petit Four Pâtisserie", petit) == []


def test_a_long_foreign_sentence_is_cut_at_a_word_end():
    text = "Nous faisons du pain au levain tous les matins, dans notre fournil a Leith"
    assert _language_findings(text, Facts(name="Crumb & Co")) == [
        "'Nous faisons du pain au levain tous les matins, dans notre…' reads as French, "
        "but the site is in English"
    ]


def test_what_makes_a_rare_word_no_name():
    from merlin_assets.content_gate.lexicon import name_like

    # "lecourt" is never seen in English (1.12 to 2.19 in three others): unknown, which the
    # gibberish check judges on its own; a name's profile needs its own language to have it.
    assert not name_like("lecourt")
    # Each has a name's profile (2.46 to 2.49, and under 2.2 in three other languages)...
    assert not name_like("baristas")  # ...but less its "s" it is a common word,
    assert not name_like("gamification")  # an English derivation ("-tion"),
    assert not name_like("feelgood")  # two common words ("feel" 5.1, "good" 6.3).
    # On a French site the endings and compounds are French: "soufflé" less "s" is 3.3 in
    # French; "grand" + "mont" are both common French words.
    assert not name_like("soufflés", "fr")
    assert not name_like("grandmont", "fr")


def test_compounds_are_read_in_the_site_s_language():
    from merlin_assets.content_gate.lexicon import compound

    # "porte" is 5.47 and "feuille" 4.41 in French, 3.13 and 1.73 in English.
    assert compound("portefeuille", "fr")
    assert not compound("portefeuille")


def test_config_names_are_the_words_rarer_than_4():
    from merlin_assets.content_gate.lexicon import config_names

    # "coup" is exactly 4.0 in English, "le" higher: only "bakery" (3.8) is the business's.
    assert config_names(Facts(name="Le Coup Bakery")) == {"bakery"}
    # "maison" is 3.1 in English, 5.5 in French.
    assert config_names(Facts(name="Maison Martin")) == {"maison"}
    assert config_names(Facts(name="Maison Martin"), "fr") == frozenset()


def test_a_form_of_a_config_word_shares_its_first_five_letters():
    from merlin_assets.content_gate.lexicon import from_config

    assert from_config("bread", frozenset({"breadbins"}))  # four letters longer
    assert not from_config("bread", frozenset({"breadboard"}))  # five
    assert from_config("crumbly", frozenset({"crumbs"}))  # "crumb", then "l" and "s"
    assert not from_config("crum", frozenset({"crumbs"}))  # under five letters: exact only


def test_gibberish_is_judged_with_the_site_s_language_s_neighbours():
    from merlin_assets.content_gate.nonsense import gibberish_words

    # "alongside" is never seen in French but 4.45 in English: borrowed, not gibberish.
    assert gibberish_words("Alongside", frozenset(), "fr") == []
    # "béjart" in lower case: 2.48 in French, 1.2 to 1.9 in three others, never in English.
    assert gibberish_words("Le ballet de béjart", frozenset(), "fr") == ["béjart"]
    # English by default: "abramson" in lower case is a name's profile, not a word.
    assert gibberish_words("We met abramson there", frozenset()) == ["abramson"]


def test_longer_service_names_are_taken_out_first():
    from merlin_assets.content_gate.nonsense import stuffing

    text = "Our Dark Rye is baked daily; Dark Rye toast, Dark Rye rolls and Dark Rye loaves."
    # Taking "Rye" out first would leave "Dark" four times in 15 words.
    assert stuffing(text, ["Rye", "Dark Rye"]) == ""


def test_a_word_said_six_times_in_75_is_stuffing():
    from merlin_assets.content_gate.nonsense import stuffing

    text = (
        "Our bread starts the night before, when the starter is fed and the dough is mixed by "
        "hand. By four in the morning the ovens are hot and the first bread goes in. We bake "
        "white bread, brown bread and dark rye, and the shop opens at seven. Come early for "
        "the best choice: most days the seeded bread has gone by ten, and the last of the "
        "bread is given to the food bank."
    )
    # 0.08 of the words, five times or more: the floor is inclusive.
    assert stuffing(text) == "'bread' is 6 of 75 words: keyword stuffing"


LIST = "3 of 4 comma-separated phrases repeat 'bakery': a keyword list"


@pytest.mark.parametrize(
    "text, found",
    [
        # A one-word phrase is a phrase of the list.
        ("Bakery, Leith sourdough bakery, Edinburgh bakery, fresh bread daily", LIST),
        # A part with no word ("24", "7") is none.
        ("Leith sourdough bakery, Edinburgh rye bakery, Portobello cake bakery, 24/7", ""),
        # Four words are still short...
        (
            "Leith sourdough bakery, Edinburgh rye bakery, Portobello cake bakery, "
            "open every day now",
            LIST,
        ),
        # ...and four short parts of five are a list (0.8 of them)...
        (
            "Leith sourdough bakery, Edinburgh rye bakery, Portobello cake bakery, fresh bread, "
            "we bake every single loaf by hand",
            LIST,
        ),
        # ...but not four of six.
        (
            "Leith sourdough bakery, Edinburgh rye bakery, Portobello cake bakery, fresh bread, "
            "we bake every single loaf by hand, our ovens are lit before dawn each day",
            "",
        ),
        # Short parts with no content word repeat nothing.
        ("On and on, by and by, so and so, as it is", ""),
        # A list's last word is read whole, whatever letter it ends on.
        (
            "Kids' BMX bikes, Adult road bikes, Racing BMX frames, Freestyle BMX",
            "3 of 4 comma-separated phrases repeat 'bmx': a keyword list",
        ),
    ],
)
def test_what_makes_a_keyword_list(text, found):
    from merlin_assets.content_gate.nonsense import stuffing

    assert stuffing(text) == found


@pytest.mark.parametrize(
    "text, config_says, found",
    [
        # The first guarantee is negated; the second is not, and the config gives none.
        ("We never guarantee a sale, but we guarantee every loaf.", "", ["'guarantee'"]),
        # "Great Taste" is the config's own; "Michelin" is not, and no award word backs it.
        ("Great Taste in 2023 and a Michelin star next.", "Great Taste 2023.", ["'Michelin'"]),
    ],
)
def test_each_match_of_a_boast_is_judged_after_one_that_passes(text, config_says, found):
    labels = {"'guarantee'": "a guarantee", "'Michelin'": "an award"}
    expected = [f"{s} claims {labels[s]} that the config does not give" for s in found]
    assert _claims(text, config_says=config_says) == expected
