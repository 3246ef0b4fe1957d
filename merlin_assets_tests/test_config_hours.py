"""Opening hours as people write them: every form read to the same days and times, and every
refusal with the words the person sees after the file and field (test_config.py covers the
whole config; these pin each step so a changed range, edge or message fails)."""

from __future__ import annotations

import pytest

from merlin_assets.config.hours import _clock, _day_hours, _days, _hours_item, parse_hours


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("mon", ["mon"]),
        ("Monday.", ["mon"]),
        ("tues", ["tue"]),
        ("Weds", ["wed"]),
        ("thurs", ["thu"]),
        ("thur", ["thu"]),
        ("mon-wed", ["mon", "tue", "wed"]),
        ("Mon to Wed", ["mon", "tue", "wed"]),
        ("fri until sun", ["fri", "sat", "sun"]),
        ("fri till sun", ["fri", "sat", "sun"]),
        ("fri–mon", ["fri", "sat", "sun", "mon"]),
        ("sat - sat", ["sat"]),
        ("Sat & Sun", ["sat", "sun"]),
        ("mon, wed and fri", ["mon", "wed", "fri"]),
        ("tue/thu", ["tue", "thu"]),
        ("weekdays", ["mon", "tue", "wed", "thu", "fri"]),
        ("weekday", ["mon", "tue", "wed", "thu", "fri"]),
        ("weekends", ["sat", "sun"]),
        ("weekend", ["sat", "sun"]),
        ("daily", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        ("every day", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        ("everyday", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        ("all week", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
        (["mon", "Sunday"], ["mon", "sun"]),
        # Abbreviations with a full stop, alone, in a range and after a group.
        ("Mon.", ["mon"]),
        ("Thu.-Sat.", ["thu", "fri", "sat"]),
        ("weekends., Tue.", ["sat", "sun", "tue"]),
    ],
)
def test_days_people_write(spec, days) -> None:
    assert _days(spec) == days


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "'' is not a day like 'mon' or a range like 'mon-fri'"),
        (["mon", 3], "3 is not a day like 'mon' or a range like 'mon-fri'"),
        ("funday", "'funday' is not a day like 'mon' or a range like 'mon-fri'"),
        ("mon-tue-wed", "'mon-tue-wed' is not a day like 'mon' or a range like 'mon-fri'"),
        ("mon,", "'' is not a day like 'mon' or a range like 'mon-fri'"),
    ],
)
def test_days_refused(spec, message) -> None:
    with pytest.raises(ValueError) as exc:
        _days(spec)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("value", "closing", "clock"),
    [
        (8, False, "08:00"),
        (0, False, "00:00"),
        (0, True, "24:00"),
        (24, False, "00:00"),
        (24, True, "24:00"),
        (510, False, "08:30"),  # unquoted 8:30 in YAML is base 60
        (60, False, "01:00"),
        (1440, True, "24:00"),
        ("8", False, "08:00"),
        ("8:30", False, "08:30"),
        ("08.30", False, "08:30"),
        ("8h30", False, "08:30"),
        ("5pm", True, "17:00"),
        ("5:30 p.m.", True, "17:30"),
        ("12pm", False, "12:00"),
        ("12am", False, "00:00"),
        ("12am", True, "24:00"),
        ("1am", False, "01:00"),
        ("11 a.m.", False, "11:00"),
        (" Noon ", True, "12:00"),
        ("midnight", True, "24:00"),
        ("midnight", False, "00:00"),
        ("24:00", True, "24:00"),
        ("23:59", False, "23:59"),
    ],
)
def test_clock_readings(value, closing, clock) -> None:
    assert _clock(value, closing=closing) == clock


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (25, '25 is not a time; quote times: "08:00"'),
        (59, '59 is not a time; quote times: "08:00"'),
        (1441, '1441 is not a time; quote times: "08:00"'),
        (-1, '-1 is not a time; quote times: "08:00"'),
        (True, "True is not a time like '08:00'; quote times in YAML"),
        (8.5, "8.5 is not a time like '08:00'; quote times in YAML"),
        ("late", "'late' is not a time like '08:00' or '5pm'"),
        ("13pm", "'13pm' is not a time: 12-hour times run 1 to 12"),
        ("0am", "'0am' is not a time: 12-hour times run 1 to 12"),
        ("8:60", "'8:60' is not a time of day"),
        ("25:00", "'25:00' is not a time of day"),
        ("24:01", "'24:01' is not a time of day"),
    ],
)
def test_clock_refused(value, message) -> None:
    with pytest.raises(ValueError) as exc:
        _clock(value, closing=False)
    assert str(exc.value) == message


def test_clock_edges_accepted() -> None:
    assert _clock("12:59 pm", closing=False) == "12:59"
    assert _clock("8:59", closing=False) == "08:59"


@pytest.mark.parametrize(
    ("value", "hours"),
    [
        (False, {"closed": True}),
        ("Closed", {"closed": True}),
        ("shut", {"closed": True}),
        ("—", {"closed": True}),
        ({"closed": True}, {"closed": True}),
        ({"periods": []}, {"periods": []}),
        ("24 hours", {"periods": [{"opens": "00:00", "closes": "24:00"}]}),
        ("24/7", {"periods": [{"opens": "00:00", "closes": "24:00"}]}),
        ("9-5pm", {"periods": [{"opens": "09:00", "closes": "17:00"}]}),
        ("9am to 1pm", {"periods": [{"opens": "09:00", "closes": "13:00"}]}),
        (
            "9-12, 13-17",
            {
                "periods": [
                    {"opens": "09:00", "closes": "12:00"},
                    {"opens": "13:00", "closes": "17:00"},
                ]
            },
        ),
        (
            "9-12 and 13-17; 18-midnight",
            {
                "periods": [
                    {"opens": "09:00", "closes": "12:00"},
                    {"opens": "13:00", "closes": "17:00"},
                    {"opens": "18:00", "closes": "24:00"},
                ]
            },
        ),
        (
            ["9-12", "all day"],
            {
                "periods": [
                    {"opens": "09:00", "closes": "12:00"},
                    {"opens": "00:00", "closes": "24:00"},
                ]
            },
        ),
        ({"opens": "9", "closes": "5pm"}, {"periods": [{"opens": "09:00", "closes": "17:00"}]}),
        ({"closed": True, "opens": "9"}, None),
        ({"closed": True, "opens": "9", "closes": "5pm"}, None),
        # An all-day part does not end the list; midnight opens a day and closes it.
        (
            ["all day", "midnight-2"],
            {
                "periods": [
                    {"opens": "00:00", "closes": "24:00"},
                    {"opens": "00:00", "closes": "02:00"},
                ]
            },
        ),
    ],
)
def test_day_hours_people_write(value, hours) -> None:
    if hours is None:
        with pytest.raises(ValueError) as exc:
            _day_hours(value)
        assert str(exc.value) == "an hours item is either closed or has opens and closes"
    else:
        assert _day_hours(value) == hours


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"open": "9", "close": "5"}, "a day's hours cannot have close, open"),
        (["9-12", 3], "3 is not hours like '08:00-17:00' or 'closed'"),
        (["9-12", "closed"], "a day is either closed or open, not both"),
        ("9", "'9' is not hours like '08:00-17:00' or 'closed'"),
        ("9-12-3", "'9-12-3' is not hours like '08:00-17:00' or 'closed'"),
    ],
)
def test_day_hours_refused(value, message) -> None:
    with pytest.raises(ValueError) as exc:
        _day_hours(value)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("mon 9-5", "each item is a mapping like {days: mon-fri, opens: '08:00', ...}"),
        ({"days": "mon", "open": "9"}, "unknown key 'open' in an hours item"),
        ({"days": "mon", "zz": 1, "aa": 2}, "unknown key 'aa' in an hours item"),
        ({"opens": "9", "closes": "5"}, "an hours item needs 'days'"),
        (
            {"days": "mon", "closed": True, "closes": "5"},
            "an hours item is either closed or has opens and closes",
        ),
        (
            {"days": "mon", "opens": "9"},
            "an hours item needs 'opens' and 'closes' (or 'closed: true')",
        ),
        (
            {"days": "mon", "closes": "9"},
            "an hours item needs 'opens' and 'closes' (or 'closed: true')",
        ),
        (
            {"days": "mon", "closed": False},
            "an hours item needs 'opens' and 'closes' (or 'closed: true')",
        ),
    ],
)
def test_hours_item_refused(item, message) -> None:
    with pytest.raises(ValueError) as exc:
        _hours_item(item)
    assert str(exc.value) == message


def test_hours_item_read() -> None:
    assert _hours_item({"days": "mon", "closed": True}) == {"closed": True}
    assert _hours_item({"days": "mon", "opens": "midnight", "closes": "midnight"}) == {
        "periods": [{"opens": "00:00", "closes": "24:00"}]
    }


def test_parse_hours_mapping_and_list() -> None:
    assert parse_hours({"mon-tue": "9-5pm", "wed": "closed"}) == {
        "mon": {"closed": False, "periods": [{"opens": "09:00", "closes": "17:00"}]},
        "tue": {"closed": False, "periods": [{"opens": "09:00", "closes": "17:00"}]},
        "wed": {"closed": True, "periods": []},
    }
    # List items for the same days add periods: a lunch break is two items.
    assert parse_hours(
        [
            {"days": "mon-tue", "opens": "9", "closes": "12"},
            {"days": "mon", "opens": "13", "closes": "17"},
            {"days": "sun", "closed": True},
        ]
    ) == {
        "mon": {
            "closed": False,
            "periods": [
                {"opens": "09:00", "closes": "12:00"},
                {"opens": "13:00", "closes": "17:00"},
            ],
        },
        "tue": {"closed": False, "periods": [{"opens": "09:00", "closes": "12:00"}]},
        "sun": {"closed": True, "periods": []},
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mon-fri 9-5", "got text"),
        (None, "got nothing"),
        ({}, "no days given"),
        ([], "no days given"),
        ({"mon": "9-5", "Monday": "9-5"}, "'mon' is given twice"),
        (
            [{"days": "mon", "closed": True}, {"days": "mon", "opens": "9", "closes": "5"}],
            "'mon' is given twice",
        ),
        (
            [{"days": "mon", "opens": "9", "closes": "5"}, {"days": "mon", "closed": True}],
            "'mon' is given twice",
        ),
        (
            [{"days": "funday", "opens": "x", "closes": "5"}],
            "'x' is not a time like '08:00' or '5pm'",
        ),
    ],
)
def test_parse_hours_refused(value, message) -> None:
    with pytest.raises(ValueError) as exc:
        parse_hours(value)
    assert str(exc.value) == message
