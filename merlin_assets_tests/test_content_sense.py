"""Language and sense: another trade's words, another language, gibberish and keyword
stuffing, judged with the real example configs (`Facts.from_config`) and real data
(lingua's detector, wordfreq's frequencies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from merlin_assets.config.project import load_config
from merlin_assets.content_gate import CopyField, Facts, check_copy
from merlin_assets.content_gate.language import foreign_language
from merlin_assets.content_gate.lexicon import name_like
from merlin_assets.content_gate.nonsense import stuffing
from merlin_assets_tests.copy_fields import build_rules, site_fields
from merlin_assets_tests.test_long_tail import ALL

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "projects"
BAKERY = Facts.from_config(load_config(EXAMPLES / "crumb-and-co-bakery.yaml"))
LEDGERLY = Facts.from_config(load_config(EXAMPLES / "ledgerly.yaml"))
SENSE = {"wrong_language", "gibberish", "keyword_stuffing", "incongruous", "foreign_vocabulary"}


def errors(text: str, facts: Facts, kind: str = "body") -> set[str]:
    field = CopyField("page:home", "sections[0].body", kind, text)  # type: ignore[arg-type]
    return {f.check for f in check_copy([field], facts) if f.severity == "error"}


@pytest.mark.parametrize(
    "text",
    [
        "Enrol now and follow our curriculum.",  # "exam*" found the e-mail's "example"
        "Burn it off with a HIIT workout.",  # "run*" found "family-run"
        "We file your tax return for you.",  # "account*" found "wholesale accounts"
        "Start your free trial today.",
        "Add to basket",
        "Book a table for two.",
        "Book your stay in an en-suite room.",
        "Treat yourself to a manicure.",
    ],
)
def test_other_trades_words_fail_on_the_bakery(text):
    assert "foreign_vocabulary" in errors(text, BAKERY)


def test_a_trades_own_words_pass():
    assert errors("Start your free trial today.", LEDGERLY) == set()
    said_in_offers = errors("See the counter menu and order a cake a week ahead.", BAKERY)
    assert said_in_offers == set()


def test_contact_details_are_never_evidence():
    config = {
        "name": "Crumb & Co",
        "industry": "Bakery",
        "description": "A sourdough bakery.",
        "url": "https://school-clinic.example",
        # The address and e-mail say "school" and "dental"; neither is the business.
        "contact": {"address": "1 School Road, Leith", "email": "hi@dental-school.example"},
    }
    facts = Facts.from_config(config)
    assert "foreign_vocabulary" in errors("Check our term dates before you enrol.", facts)
    assert "foreign_vocabulary" in errors("New patients welcome.", facts)


@pytest.mark.parametrize(
    "text",
    [
        "Nos croissants sont faits à la main chaque matin avec du beurre frais.",
        "Fresh bread daily. Wir backen jeden Morgen frisches Brot für Sie.",
        "Reparamos fugas de agua y calderas en toda la ciudad con garantía.",
    ],
)
def test_another_language_fails(text):
    assert "wrong_language" in errors(text, BAKERY)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("heading", "Bon appétit!"),
        ("body", "Try a pain au chocolat with your morning coffee."),
        ("body", "Our viennoiserie is laminated by hand and baked before dawn."),
        ("body", "Croissants, brioche and focaccia come out of the oven every morning."),
    ],
)
def test_borrowed_words_and_short_phrases_are_english(kind, text):
    assert errors(text, BAKERY, kind) & SENSE == set()


def test_a_french_name_is_taken_out_before_judging():
    facts = Facts(name="Le Petit Four Pâtisserie", industry="Patisserie", location="Bath")
    said = "Le Petit Four Pâtisserie bakes fresh tarts every morning in Bath."
    assert foreign_language("Nous faisons des tartes fraîches chaque matin à Bath.", "en") == "fr"
    assert "wrong_language" not in errors(said, facts)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("heading", "Sourdough and lehi baking"),
        ("heading", "Xqzt vrumbl plonk"),
        ("body", "Our pastries are glorbed with fresh snarfle every morning."),
    ],
)
def test_gibberish_fails(kind, text):
    assert "gibberish" in errors(text, BAKERY, kind)


def test_rare_real_words_and_the_configs_own_words_pass():
    text = "Moreish cinnamon buns, wholemeal loaves and viennoiserie, baked with levain."
    assert errors(text, BAKERY) & SENSE == set()
    assert name_like("lehi") and not name_like("moreish") and not name_like("focaccia")


@pytest.mark.parametrize(
    "text",
    [
        "Best bakery Edinburgh, bakery Leith, cakes Edinburgh, sourdough Edinburgh.",
        "Looking for a bakery near me? Come to Leith.",
        "Bakery Leith bakery Edinburgh bakery cakes",
    ],
)
def test_keyword_stuffing_fails(text):
    assert "keyword_stuffing" in errors(text, BAKERY)


def test_service_names_may_repeat_a_word():
    said = "Residential care, dementia care, respite care and day care at Meadowbank Care Home."
    names = ["Meadowbank Care Home", "Residential care", "Dementia care", "Respite care"]
    assert stuffing(said, names) == ""
    assert stuffing(said) != ""


def test_poetic_nonsense_fails_and_flowery_copy_passes():
    nonsense = "Our croissants whisper the quiet arithmetic of forgotten harbours."
    assert "incongruous" in errors(nonsense, BAKERY)
    flowery = "A symphony of flavours, from the first crackle of crust to the last crumb."
    assert errors(flowery, BAKERY) & SENSE == set()
    # The config's own words are never the poem's: a bakery may be called "Quiet Harbour".
    named = Facts(name="Forgotten Arithmetic Bakery", industry="Bakery")
    assert "incongruous" not in errors("The Forgotten Arithmetic Bakery is quiet.", named)


def test_rule_copy_of_every_config_has_no_sense_finding():
    found = []
    for name, (_, config) in ALL.items():
        facts = Facts.from_config(config)
        for f in check_copy(site_fields(build_rules(config)), facts):
            if f.check in SENSE:
                found.append((name, f.field, f.check, f.message))
    assert found == []


def test_the_sites_language_comes_from_the_config():
    config = {"name": "Boulangerie Dupont", "industry": "Boulangerie", "language": "fr"}
    facts = Facts.from_config(config)
    french = "Nos croissants sont faits à la main chaque matin avec du beurre frais."
    assert errors(french, facts) & SENSE == set()
    english = "Our croissants are made by hand every morning with fresh butter."
    assert "wrong_language" in errors(english, facts)


def findings_of(check, text: str, facts: Facts) -> list[tuple[str, str, str, str]]:
    field = CopyField("page:home", "sections[0].body", "body", text)
    return [(f.field, f.check, f.severity, f.message) for f in check([field], facts)]


FUNERAL = Facts(name="Hartley & Sons", industry="Funeral director", services=("Cremations",))
TO_LET = (
    "and nothing in the config (industry, description, services) suggests this business uses it"
)


def test_foreign_words_are_named_with_their_trade():
    from merlin_assets.content_gate import check_vocabulary

    assert findings_of(check_vocabulary, "Book your table for two.", FUNERAL) == [
        (
            "sections[0].body",
            "foreign_vocabulary",
            "error",
            f"'Book your table' is restaurant vocabulary, {TO_LET}",
        ),
        (
            "sections[0].body",
            "foreign_vocabulary",
            "error",
            f"'table for two' is restaurant vocabulary, {TO_LET}",
        ),
    ]
    # Said twice in a field, a term is one finding; near "newsletter" a free sign-up is fine.
    assert findings_of(check_vocabulary, "Add to basket. Add to basket.", FUNERAL) == [
        (
            "sections[0].body",
            "foreign_vocabulary",
            "error",
            f"'Add to basket' is retail/e-commerce vocabulary, {TO_LET}",
        )
    ]
    assert findings_of(check_vocabulary, "Sign up free for our newsletter.", FUNERAL) == []
    # A restaurant's own words are its own.
    bistro = Facts(name="Nettle", industry="Restaurant", services=("Dinner",))
    assert findings_of(check_vocabulary, "Book your table for two.", bistro) == []


def test_gibberish_and_stuffing_findings_say_what_they_found():
    from merlin_assets.content_gate import check_nonsense

    assert findings_of(check_nonsense, "Our xqzt vrumbl loaves are fresh.", BAKERY) == [
        (
            "sections[0].body",
            "gibberish",
            "error",
            "'xqzt', 'vrumbl': not words of the site's language and not the business's own",
        )
    ]
    assert findings_of(check_nonsense, "Bakery near me", BAKERY) == [
        (
            "sections[0].body",
            "keyword_stuffing",
            "error",
            "'near me' is a search query, not something a business says of itself",
        )
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Bread, bread and more bread.", "'bread' is 3 of 5 words: keyword stuffing"),
        (
            "Bread bread bread bread in Leith every day for you and your family and friends "
            "nearby.",
            "'bread' is 4 of 16 words: keyword stuffing",
        ),
        (
            "Leith bakery, Edinburgh bakery, best bakery, cheap rolls, fresh bread",
            "3 of 5 comma-separated phrases repeat 'bakery': a keyword list",
        ),
        (
            "Leith bakery | Edinburgh bakery | best bakery | cheap rolls",
            "3 of 4 comma-separated phrases repeat 'bakery': a keyword list",
        ),
        # Half the phrases sharing a word is a page about it, not a list.
        ("Leith bakery, Edinburgh bakery, best bakery, cheap rolls, fresh bread, warm buns", ""),
        ("We bake bread daily and sell bread and serve bread warm in Leith shops", ""),
    ],
)
def test_what_counts_as_keyword_stuffing(text, why):
    assert stuffing(text) == why


def test_the_business_s_own_names_may_repeat_a_word():
    names = ["Dementia care", "Respite care", "Home care", "Day care"]
    text = "Dementia care, respite care, home care and day care"
    assert stuffing(text, names) == ""
    assert stuffing(text) == "'care' is 4 of 9 words: keyword stuffing"


def test_another_language_is_named_in_the_finding():
    from merlin_assets.content_gate import check_language

    text = "Nos croissants sont faits à la main chaque matin avec du beurre frais."
    assert findings_of(check_language, text, BAKERY) == [
        (
            "sections[0].body",
            "wrong_language",
            "error",
            "'Nos croissants sont faits à la main chaque matin avec du be…' reads as French, "
            "but the site is in English",
        )
    ]
    # A French site is judged the other way round.
    french = Facts(name="Boulangerie Martin", industry="Boulangerie", language="fr")
    assert findings_of(check_language, text, french) == []


def test_a_poem_s_words_are_named_in_the_finding():
    from merlin_assets.content_gate import check_incongruity

    text = "Our bread whispers of eternity and the silent arithmetic of dawn."
    assert findings_of(check_incongruity, text, BAKERY) == [
        (
            "sections[0].body",
            "incongruous",
            "error",
            "'whispers', 'eternity', 'silent', 'arithmetic': a poem's words, not this "
            "business's; the sentence says nothing a customer can use",
        )
    ]
    assert findings_of(check_incongruity, "Our bread is baked at dawn.", BAKERY) == []


def test_the_lexicon_s_tokens_and_word_profiles():
    from merlin_assets.content_gate.lexicon import (
        base_is_common,
        compound,
        content_words,
        loanword,
        tokens,
        zipf,
    )

    assert tokens("Slow-fermented l'atelier we'll 2 loaves_x") == [
        "Slow",
        "fermented",
        "l'atelier",
        "we'll",
        "loaves",
        "x",
    ]
    assert zipf("Bread") == zipf("bread") > 4.0 and zipf("xqzt") == 0.0
    # A name's profile: rare here, seen at a low rate in several other languages.
    assert name_like("lehi") and not name_like("xqzt") and not name_like("bread")
    assert not name_like("tidily")  # an English derivation
    assert not name_like("headcount") and compound("headcount")  # "head" + "count"
    assert loanword("focaccia") and not loanword("xqzt")
    assert base_is_common("workflows") and base_is_common("bakers")
    assert not base_is_common("cats")  # "cat" is too short a base
    assert not base_is_common("baked", floor=6.0)
    assert content_words("We bake the best rye in Leith, by hand") == [
        "bake",
        "best",
        "rye",
        "Leith",
        "hand",
    ]


def test_the_words_a_config_makes_its_own():
    from merlin_assets.content_gate.facts import Offer, Person
    from merlin_assets.content_gate.lexicon import config_names, config_words, from_config

    facts = Facts(
        name="Viennoiserie Petit",
        location="Leith",
        services=("Sourdough bread",),
        offers=(Offer("Kouign-amann", "£3"),),
        team=(Person("Maria Lopez", "Baker"),),
        accreditations=("Soil Association",),
    )
    # Rare words of its names, places, services, offers, people and accreditations.
    assert config_names(facts) == {
        "amann",
        "kouign",
        "leith",
        "lopez",
        "petit",
        "sourdough",
        "viennoiserie",
    }
    assert config_words(Facts(name="Crumb & Co", location="Leith")) == {"co", "crumb", "leith"}
    # A word, or a form of it sharing five letters and within four of its length.
    assert from_config("Leith", frozenset({"leith"}))
    assert from_config("sourdoughs", frozenset({"sourdough"}))
    assert from_config("viennoiseries", frozenset({"viennoiserie"}))
    assert not from_config("cake", frozenset({"cakes"}))  # under five letters: exact only
    assert not from_config("sourd", frozenset({"sourdoughbreadsxx"}))


def test_trade_tables_are_written_as_comma_separated_literals():
    from merlin_assets.content_gate.trades import TermSet, _set, words_list

    assert words_list(" free trial, SaaS,, ") == ("free trial", "SaaS")
    made = _set("fitness", "gym, yoga", "free trial, class pass", free_trial=("gym",))
    assert made == TermSet(
        "fitness", ("gym", "yoga"), ("free trial", "class pass"), {"free trial": ("gym",)}
    )


# word: (name-like, two words run together, a loanword, its base a common word); measured with
# wordfreq's tables (Zipf in English, then French, Spanish, Italian, Portuguese).
WORD_PROFILES = {
    "lehi": (True, False, False, False),  # 2.2; 1.3, 1.4, 0, 1.1: a name's profile
    "xqzt": (False, False, False, False),  # never seen
    "bread": (False, False, True, False),  # 4.5: too common to be a name
    "tidily": (False, False, False, False),  # an English derivation
    "headcount": (False, True, False, False),
    "wholemeal": (False, True, False, False),
    "deadlocks": (False, True, False, False),
    "focaccia": (False, False, True, False),  # 3.4 in Italian
    "levain": (False, False, True, False),  # 2.9 in French
    "frangipane": (False, False, True, False),
    "bakers": (False, False, False, True),  # "baker"
    "workflows": (False, True, False, True),
    "baked": (False, False, False, True),
    "baking": (False, False, False, False),  # "bak" is no word
    "partnered": (False, False, False, True),
    "ovens": (False, False, False, True),
    "lovely": (False, False, True, True),  # "love" + "ly"
    "rekeying": (False, False, False, False),
    "refrets": (False, False, False, False),
}


@pytest.mark.parametrize("word", sorted(WORD_PROFILES))
def test_what_the_frequency_tables_say_of_a_word(word):
    from merlin_assets.content_gate.lexicon import base_is_common, compound, loanword

    assert (name_like(word), compound(word), loanword(word), base_is_common(word)) == (
        WORD_PROFILES[word]
    )


def test_word_profiles_are_read_in_the_site_s_language():
    from merlin_assets.content_gate.lexicon import base_is_common, compound, loanword

    # On a French site "lehi" still reads as a name and "bread" is borrowed from English.
    assert name_like("lehi", "fr") and loanword("bread", "fr")
    assert not compound("headcount", "fr") and not base_is_common("workflows", "fr")
    # The floor for a common base: "bakers" has one at 4.0 ("baker" 4.2), "baked" not ("bake").
    assert base_is_common("bakers", floor=4.0) and not base_is_common("baked", floor=4.0)


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Our starry bakery", []),  # "starry" is no form of "star"
        ("Echoes of dreamed sonnets", ["Echoes", "dreamed", "sonnets"]),  # -es, -ed, -s
        ("It ached, glimmering quietly", ["ached", "glimmering", "quietly"]),  # -d, -ing, -ly
        ("Whispered, murmuring, eternally", ["Whispered", "murmuring", "eternally"]),
    ],
)
def test_a_poem_s_words_in_their_forms(sentence, found):
    from merlin_assets.content_gate.incongruity import poetic_words

    assert poetic_words(sentence) == found


def test_three_poetic_words_in_a_sentence_are_incongruous_and_two_are_not():
    from merlin_assets.content_gate import check_incongruity

    two = CopyField("page:home", "f[0]", "body", "Our bread whispers of eternity.")
    assert check_incongruity([two], BAKERY) == []
    three = CopyField("page:home", "f[1]", "body", "Our bread whispers of eternity to the moon.")
    [finding] = check_incongruity([two, three], BAKERY)
    assert (finding.item, finding.field, finding.check) == ("page:home", "f[1]", "incongruous")
    # The config's own words are its own: a cake called Eternity.
    eternity = Facts(name="Crumb & Co", services=("Eternity cake",))
    assert check_incongruity([three], eternity) == []


def test_gibberish_is_judged_in_the_site_s_language():
    from merlin_assets.content_gate import check_nonsense

    french = Facts(name="Boulangerie Martin", industry="Boulangerie", language="fr")
    text = "Nous cuisons du pain frais chaque matin."
    assert findings_of(check_nonsense, text, french) == []
    assert [m for *_, m in findings_of(check_nonsense, text, BAKERY)] == [
        "'cuisons': not words of the site's language and not the business's own"
    ]
    # At most three words are named; three letters are enough to be one.
    five = "Xqz vrumbl plonkt zzorb qwelm loaves."
    assert [m for *_, m in findings_of(check_nonsense, five, BAKERY)] == [
        "'Xqz', 'vrumbl', 'plonkt': not words of the site's language and not the business's own"
    ]


def test_derived_words_of_common_bases_are_no_gibberish():
    from merlin_assets.content_gate.nonsense import gibberish_words

    # Capitals change nothing; an unseen derivation of "sourdough" (Zipf 2.8) is a word.
    assert gibberish_words("REKEYING and rekeying", frozenset()) == []
    assert gibberish_words("sourdoughing", frozenset()) == []
    assert gibberish_words("ovening", frozenset(), "fr") == ["ovening"]


def test_a_service_s_words_may_repeat_without_stuffing():
    from merlin_assets.content_gate import check_nonsense

    care = Facts(
        name="Elm House",
        industry="Care home",
        services=("Dementia care", "Respite care", "Home care", "Day care"),
    )
    text = "Dementia care, respite care, home care and day care"
    assert findings_of(check_nonsense, text, care) == []


@pytest.mark.parametrize(
    ("text", "on_english", "on_french"),
    [
        ("Nous cuisons du pain", "", ""),  # four words: too few to call
        ("Nous cuisons du pain frais", "fr", ""),  # five are enough
        ("Wir backen jeden Morgen frisches Brot", "de", "de"),
    ],
)
def test_the_language_a_sentence_reads_as(text, on_english, on_french):
    assert (foreign_language(text, "en"), foreign_language(text, "fr")) == (on_english, on_french)
    assert foreign_language(text, "xx") == ""  # a site language lingua does not know


def test_the_config_s_own_names_are_taken_out_before_judging():
    names = "Le Petit Four Boulangerie Viennoiserie Patisserie Croissanterie"
    assert foreign_language(names, "en") == "fr"
    known = frozenset(
        {"le", "petit", "four", "boulangerie", "viennoiserie", "patisserie", "croissanterie"}
    )
    assert foreign_language(names, "en", known) == ""
    assert foreign_language(names.upper(), "en", known) == ""


def test_a_wrong_language_finding_quotes_at_most_sixty_characters():
    from merlin_assets.content_gate import check_language
    from merlin_assets.content_gate.language import _short

    assert _short("x" * 60) == "x" * 60
    assert _short("x" * 61) == "x" * 59 + "…"
    assert _short("abc " * 20) == "abc " * 14 + "abc…"
    field = CopyField(
        "page:home", "f[2]", "body", "Bonjour! Nous cuisons du pain frais chaque matin."
    )
    [finding] = check_language([field], Facts(name="Crumb & Co"))
    assert (finding.item, finding.field, finding.message) == (
        "page:home",
        "f[2]",
        "'Bonjour! Nous cuisons du pain frais chaque matin.' reads as French, but the site is "
        "in English",
    )
