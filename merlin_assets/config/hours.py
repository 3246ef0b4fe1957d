"""Opening hours as people write them ("mon-fri: 8-5pm", lists of items) -> one dict per day."""

from __future__ import annotations

import re

from merlin_assets.config.fields import DAYS, kind_name, show_value

_DAY_NAMES = {
    **{d: d for d in DAYS},
    "monday": "mon",
    "tues": "tue",
    "tuesday": "tue",
    "weds": "wed",
    "wednesday": "wed",
    "thur": "thu",
    "thurs": "thu",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
_DAY_GROUPS = {
    "weekdays": DAYS[:5],
    "weekday": DAYS[:5],
    "weekends": DAYS[5:],
    "weekend": DAYS[5:],
    "daily": DAYS,
    "every day": DAYS,
    "everyday": DAYS,
    "all week": DAYS,
}
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b)\s*")
_ALL_DAY = {"24 hours", "24h", "24 h", "24hrs", "24 hrs", "24/7", "open 24 hours", "all day"}
_CLOSED = {"closed", "close", "shut", "off", "no", "none", "-", "–", "—"}
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_HOURS_ITEM_KEYS = {"days", "opens", "closes", "closed"}


def _days(spec: object) -> list[str]:
    """'mon-fri', 'Sat & Sun', 'weekdays', ['mon', 'wed'] -> day keys ('mon' ... 'sun')."""
    items = spec if isinstance(spec, list) else [spec]
    found: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(
                f"{show_value(item)} is not a day like 'mon' or a range like 'mon-fri'"
            )
        for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", item.strip().lower()):
            part = part.strip().rstrip(".")
            if part in _DAY_GROUPS:
                found.extend(_DAY_GROUPS[part])
                continue
            ends = _RANGE_SPLIT.split(part)
            names = [_DAY_NAMES.get(e.strip().rstrip(".")) for e in ends]
            if not part or None in names or len(names) > 2:
                raise ValueError(
                    f"{show_value(part)} is not a day like 'mon' or a range like 'mon-fri'"
                )
            if len(names) == 1:
                found.append(names[0])
            else:
                start, end = DAYS.index(names[0]), DAYS.index(names[1])
                span = (end - start) % 7 + 1  # 'fri-mon' wraps through the weekend
                found.extend(DAYS[(start + i) % 7] for i in range(span))
    return found


def _clock(value: object, *, closing: bool) -> str:
    """'8', '8:30', '08.30', '5pm', '5:30 p.m.', 'noon', 'midnight' -> 'HH:MM'."""
    if isinstance(value, int) and not isinstance(value, bool):
        # Unquoted YAML reads 8:30 as the base-60 number 510; a bare 8 is an hour.
        if 0 <= value <= 24:
            hour, minute = value, 0
        elif 60 <= value <= 24 * 60:
            hour, minute = divmod(value, 60)
        else:
            raise ValueError(f'{value} is not a time; quote times: "08:00"')
    elif isinstance(value, str):
        text = value.strip().lower()
        if text == "noon":
            return "12:00"
        if text == "midnight":
            return "24:00" if closing else "00:00"
        match = _TIME.fullmatch(text)
        if match is None:
            raise ValueError(f"{show_value(value)} is not a time like '08:00' or '5pm'")
        hour, minute = int(match[1]), int(match[2] or 0)
        if match[3]:
            if not 1 <= hour <= 12:
                raise ValueError(f"{show_value(value)} is not a time: 12-hour times run 1 to 12")
            hour = hour % 12 + (12 if match[3].startswith("p") else 0)
    else:
        raise ValueError(f"{show_value(value)} is not a time like '08:00'; quote times in YAML")
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise ValueError(f"{show_value(value)} is not a time of day")
    if closing and hour == 0 and minute == 0:
        hour = 24  # closing at midnight is the end of the day
    if not closing and hour == 24:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _day_hours(value: object) -> dict:
    """One day's hours as written ('08:00-17:00', 'closed', ['9-12', '13-17']) -> DayHours."""
    if value is False:  # YAML reads an unquoted `off` or `no` as false
        return {"closed": True}
    if isinstance(value, dict):
        if value.keys() <= {"closed", "periods"}:
            return value
        if value.keys() <= {"opens", "closes", "closed"}:
            return _hours_item({**value, "days": "mon"})
        raise ValueError(f"a day's hours cannot have {', '.join(sorted(map(str, value)))}")
    parts = value if isinstance(value, list) else [value]
    periods: list[dict] = []
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"{show_value(part)} is not hours like '08:00-17:00' or 'closed'")
        text = part.strip().lower()
        if text in _CLOSED:
            if len(parts) > 1:
                raise ValueError("a day is either closed or open, not both")
            return {"closed": True}
        if text in _ALL_DAY:
            periods.append({"opens": "00:00", "closes": "24:00"})
            continue
        for piece in re.split(r"\s*(?:,|;|\band\b|&)\s*", text):
            ends = _RANGE_SPLIT.split(piece.strip())
            if len(ends) != 2:
                raise ValueError(f"{show_value(piece)} is not hours like '08:00-17:00' or 'closed'")
            periods.append(
                {"opens": _clock(ends[0], closing=False), "closes": _clock(ends[1], closing=True)}
            )
    return {"periods": periods}


def _hours_item(item: object) -> dict:
    if not isinstance(item, dict):
        raise ValueError("each item is a mapping like {days: mon-fri, opens: '08:00', ...}")
    unknown = set(item) - _HOURS_ITEM_KEYS
    if unknown:
        raise ValueError(f"unknown key {show_value(sorted(map(str, unknown))[0])} in an hours item")
    if "days" not in item:
        raise ValueError("an hours item needs 'days'")
    if item.get("closed") is True:
        if "opens" in item or "closes" in item:
            raise ValueError("an hours item is either closed or has opens and closes")
        return {"closed": True}
    if "opens" not in item or "closes" not in item:
        raise ValueError("an hours item needs 'opens' and 'closes' (or 'closed: true')")
    period = {
        "opens": _clock(item["opens"], closing=False),
        "closes": _clock(item["closes"], closing=True),
    }
    return {"periods": [period]}


def parse_hours(value: object) -> object:
    """Either written form of `hours` -> {day: DayHours}; each day given at most once.

    List items for the same days add periods (a lunch break is two items)."""
    if isinstance(value, dict):
        pairs = [(_days(k), _day_hours(v)) for k, v in value.items()]
        merge = False
    elif isinstance(value, list):
        pairs = []
        for item in value:
            hours = _hours_item(item)  # checks the item's keys before reading its days
            pairs.append((_days(item["days"]), hours))
        merge = True
    else:
        raise ValueError(f"got {kind_name(value)}")
    out: dict[str, dict] = {}
    for days, hours in pairs:
        for day in days:
            seen = out.get(day)
            if seen is None:
                out[day] = {
                    "closed": hours.get("closed", False),
                    "periods": list(hours.get("periods", [])),
                }
            elif merge and not seen["closed"] and not hours.get("closed"):
                seen["periods"].extend(hours.get("periods", []))
            else:
                raise ValueError(f"'{day}' is given twice")
    if not out:
        raise ValueError("no days given")
    return out
