"""The gate's decisions on one answer, as plain values: what the model is told on a redo, which
fields the rules write instead, and what is emptied or dropped so nothing failing is published.

test_gate_acts.py drives these through whole runs; here each step has exact inputs and outputs.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from merlin_assets.content_gate import Finding
from merlin_assets.engine.gate import (
    FINDINGS_MAX,
    _get,
    _repeated_items,
    _set,
    _steps,
    as_text,
    fall_back_fields,
    redo_note,
)


class Section(BaseModel):
    heading: str
    bullets: list[str] = []


class Page(BaseModel):
    title: str
    sections: list[Section]
    views: int = 0


def _err(field: str, message: str = "invented", check: str = "invented_name") -> Finding:
    return Finding("page:home", field, check, message)


def test_redo_note_lists_each_finding_up_to_the_limit() -> None:
    findings = [_err(f"f{i}", f"message {i}") for i in range(FINDINGS_MAX + 3)]
    findings[0] = Finding("page:home", "", "empty", "empty answer")
    note = redo_note(findings)
    assert note.startswith(
        "\n\nYour previous answer failed these checks. Write it again and fix every one; use "
        "only facts given above, never invent names, reviews, figures or awards:\n"
    )
    lines = note.split("\n")[3:]
    # Invented claims first, then every kind of finding once before any kind twice.
    assert lines[0] == "- f1: message 1"
    assert lines[1] == "- whole answer: empty answer"
    assert lines[2] == "- f2: message 2"
    assert len(lines) == FINDINGS_MAX == 12
    assert lines[-1] == "- f11: message 11"


def test_as_text_names_item_field_check_and_message() -> None:
    assert as_text([_err("title", "says 'award-winning'")]) == [
        "page:home title: invented_name: says 'award-winning'"
    ]
    assert as_text([Finding("", "", "empty", "empty")]) == [": empty: empty"]


def test_steps_read_dotted_paths_with_indices() -> None:
    assert _steps("sections[2].bullets[0]") == ["sections", 2, "bullets", 0]
    assert _steps("title") == ["title"]
    assert _steps("a.b[10]") == ["a", "b", 10]


def test_get_and_set_follow_the_steps_or_raise_key_error() -> None:
    data = {"sections": [{"heading": "H", "bullets": ["a", "b"]}]}
    assert _get(data, ["sections", 0, "bullets", 1]) == "b"
    assert _get(data, []) is data
    for bad in (["sections", 1], ["sections", "x"], ["nope"], ["sections", 0, "heading", 0]):
        try:
            _get(data, bad)
        except KeyError:
            continue
        raise AssertionError(f"{bad} should not be found")
    _set(data, ["sections", 0, "heading"], "New")
    assert data["sections"][0]["heading"] == "New"


def test_fall_back_replaces_failing_fields_with_the_rules_and_drops_extra_items() -> None:
    model = Page(
        title="Voted best in Leeds",
        sections=[
            Section(heading="Fresh bread", bullets=["Sourdough daily", "Ten awards won"]),
            Section(heading="Cakes", bullets=["Made to order"]),
        ],
        views=3,
    )
    rules = Page(title="Crumb & Co", sections=[Section(heading="Bread", bullets=["Sourdough"])])
    findings = [
        _err("title"),
        _err("sections[0].bullets[1]"),  # the rules have no second bullet: dropped
        _err("sections[5].heading"),  # not in the answer: nothing to do
        _err("views"),  # not text, but the rules have it (0)
        Finding("page:home", "sections[1].heading", "style", "long", "warning"),
        _err(""),  # the whole answer: no field to replace
    ]
    value, replaced = fall_back_fields(model, lambda: rules, findings)
    assert replaced == ["sections[0].bullets[1]", "title", "views"]
    assert value.title == "Crumb & Co"
    assert value.sections[0].bullets == ["Sourdough daily"]
    assert value.sections[1].heading == "Cakes"  # a warning changes nothing
    assert value.views == 0
    assert isinstance(value, Page)


def test_fall_back_drops_a_list_item_the_rules_lack() -> None:
    class Listing(BaseModel):
        items: list[list[str]]

    model = Listing(items=[["a"], ["b"]])
    rules = Listing(items=[["r"]])
    value, replaced = fall_back_fields(model, lambda: rules, [_err("items[1]")])
    assert replaced == ["items[1]"]
    assert value.items == [["a"]]


def test_fall_back_with_nothing_failing_does_not_ask_the_rules() -> None:
    model = Page(title="T", sections=[])

    def rules() -> Page:
        raise AssertionError("the rules were asked")

    assert fall_back_fields(model, rules, []) == (model, [])
    warning = Finding("page:home", "title", "style", "long", "warning")
    assert fall_back_fields(model, rules, [warning]) == (model, [])


def test_a_replaced_bullet_that_repeats_another_line_is_dropped() -> None:
    model = Page(
        title="Bakery",
        sections=[
            Section(heading="Bread", bullets=["Baked daily", "Award winning"]),
            Section(heading="Cakes", bullets=["Made to order", "Baked daily"]),
        ],
    )
    rules = Page(
        title="Bakery",
        sections=[Section(heading="Bread", bullets=["Baked daily", "Made  to ORDER"])],
    )
    value, replaced = fall_back_fields(model, lambda: rules, [_err("sections[0].bullets[1]")])
    assert replaced == ["sections[0].bullets[1]"]
    # "Made to order" now repeats the rules' line; the later copy and the repeated "Baked
    # daily" of the second section go, the first of each stays.
    assert value.sections[0].bullets == ["Baked daily", "Made  to ORDER"]
    assert value.sections[1].bullets == []


def test_repeated_items_are_list_items_only_and_never_empty_lines() -> None:
    data = {
        "a": "Same words",
        "b": "same  WORDS",  # not a list item: kept
        "list": ["", "", "x", "Same words", "y", "x"],
        "n": 5,
    }
    assert _repeated_items(data) == {("list", 3), ("list", 5)}


class Card(BaseModel):
    heading: str
    bullets: list[str] = Field(min_length=2)


class Deck(BaseModel):
    cards: list[Card]


def test_a_nested_list_below_its_minimum_comes_whole_from_the_rules() -> None:
    """The floor of a list inside a list item is read through the item's schema (a $ref), and
    the list taken from the rules is named by its whole path."""
    model = Deck(
        cards=[
            Card(heading="Bread", bullets=["Sourdough", "Rye", "Spelt"]),
            Card(heading="Cakes", bullets=["Carrot cake", "Brownies"]),
        ]
    )
    rules = Deck(cards=[Card(heading="Bakes", bullets=["Loaves", "Buns"])])
    # A card past the end of the rules: its failing bullet is dropped, one of two is left.
    value, replaced = fall_back_fields(model, lambda: rules, [_err("cards[1].bullets[0]")])
    assert replaced == ["cards[1].bullets[0]"]
    assert [c.heading for c in value.cards] == ["Bread"]
    # Within the rules' card: a third bullet goes and two are left, the floor.
    value, replaced = fall_back_fields(model, lambda: rules, [_err("cards[0].bullets[2]")])
    assert value.cards[0].bullets == ["Sourdough", "Rye"]
    assert replaced == ["cards[0].bullets[2]"]
    # Two of three go (one past the rules' end, one repeating the heading): one is left.
    model.cards[0].heading = "Rye"
    value, replaced = fall_back_fields(model, lambda: rules, [_err("cards[0].bullets[2]")])
    assert value.cards[0].bullets == ["Loaves", "Buns"]
    assert replaced == ["cards[0].bullets[2]", "cards[0].bullets"]


class Note(BaseModel):
    text: str


class Notice(BaseModel):
    title: str
    note: Note | None = None
    menus: dict[str, list[str]] = {}
    decks: list[Card] | None = None


def test_a_field_outside_any_list_the_rules_leave_unset_is_theirs_whole() -> None:
    model = Notice(title="Open", note=Note(text="Voted best in Leeds"))
    rules = Notice(title="Open")
    value, replaced = fall_back_fields(model, lambda: rules, [_err("note.text")])
    assert value.note is None
    assert replaced == ["note.text", "note"]


def test_a_list_under_a_mapping_loses_its_failing_item_and_keeps_the_rest() -> None:
    """A mapping's lists have no floor in the schema (no properties to walk): the item goes."""
    model = Notice(title="Open", menus={"bread": ["Rye", "Spelt"], "cakes": ["Scones"]})
    rules = Notice(title="Open", menus={"bread": ["Loaves"]})
    value, replaced = fall_back_fields(model, lambda: rules, [_err("menus.bread[1]")])
    assert value.menus == {"bread": ["Rye"], "cakes": ["Scones"]}
    assert replaced == ["menus.bread[1]"]


def test_an_optional_list_keeps_its_items_floor() -> None:
    """The floor is read through the optional's anyOf, on the branch that holds the list."""
    card = Card(heading="Rye", bullets=["Sourdough", "Rye", "Spelt"])
    model = Notice(title="Open", decks=[card])
    rules = Notice(title="Open", decks=[Card(heading="Bakes", bullets=["Loaves", "Buns"])])
    value, replaced = fall_back_fields(model, lambda: rules, [_err("decks[0].bullets[2]")])
    assert value.decks[0].bullets == ["Loaves", "Buns"]
    assert replaced == ["decks[0].bullets[2]", "decks[0].bullets"]


def test_a_mapping_field_the_rules_have_no_such_key_in_is_theirs_whole() -> None:
    model = Notice(title="Open", menus={"bread": ["Rye"], "cakes": ["Scones"]})
    rules = Notice(title="Open", menus={"bread": ["Loaves"]})
    value, replaced = fall_back_fields(model, lambda: rules, [_err("menus.cakes")])
    assert value.menus == {"bread": ["Loaves"]}
    assert replaced == ["menus.cakes", "menus"]
