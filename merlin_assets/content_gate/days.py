"""Opening days and hours in the copy, against the config's `hours`.

Read per sentence: the days it names (CLDR names in several languages, ranges such as
"Tuesday to Sunday" or "Mon-Fri", "weekends", "7 days a week", "daily"), whether it says they
are open or closed, the clock times it gives ("from 7:30", "until 4pm") and round-the-clock or
late-opening words. An open day the config says is closed, a closed day it says is open, a time
that is no day's opening or closing time, and any hours at all when the config gives none are
errors. Days and times in the config's own text (an offer "delivered before 7am, Tuesday to
Saturday") are facts too.
"""

from __future__ import annotations

import re

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.text import sentences
from merlin_assets.content_gate.wordlists import DAYS, day_names

_OPEN = re.compile(
    r"\b(?:open|opens|opening|ouvert|geöffnet|abierto|aperto|geopend|here|serving|trading|"
    r"hours|doors|pop in|drop in|come in|visit|call|staffed|answer|available|bake|baking)\b",
    re.IGNORECASE,
)
_CLOSED = re.compile(
    r"\b(?:closed|shut|day off|days off|not open|fermé|geschlossen|cerrado|chiuso|"
    r"take\s+(?:\w+\s+){0,2}off|\w+days?\s+off|"
    r"gesloten|rest day)\b",
    re.IGNORECASE,
)
_EVERY_DAY = re.compile(
    r"\b(?:(?:7|seven)\s+days(?:\s+a\s+week)?|daily|all\s+week|"
    r"every\s+(?:single\s+)?day(?!\s+(?:that\s+)?we(?:'re|’re| are)\s+open)|"
    r"365\s+days|every day of the week|jeden tag|tous les jours|todos los días)\b",
    re.IGNORECASE,
)
_ROUND_CLOCK = re.compile(
    r"\b24\s*/\s*7\b|\b24\s*/\s*365\b|\b24[\s-]hours?\b|\b(?:a|around|round)[\s-]the[\s-]clock\b|"
    r"\bday (?:or|and) night\b|\bnever close\b",
    re.IGNORECASE,
)
_LATE = re.compile(
    r"\b(?:open\s+late|late[\s-]night|late\s+(?:opening|evenings?|on)|evening\s+(?:opening|"
    r"hours|appointments))\b",
    re.IGNORECASE,
)
_EXCEPT = re.compile(
    r"\b(?:except|apart from|but not|excluding|other than|bar)\s+(?:on\s+)?([^.;:!?]{3,60})",
    re.IGNORECASE,
)
# A day said as a routine: "every Tuesday", "Thursday evenings", "on Saturdays".
_SCHEDULE = re.compile(
    r"\bevery\s+[A-Z]|\b(?:mornings?|evenings?|afternoons?|nights?|weekly)\b|\b[A-Z][a-z]+days\b"
)
_HOLIDAYS = re.compile(r"\b(?:bank|public)\s+holidays?\b|\bchristmas day\b", re.IGNORECASE)
_TIME = re.compile(
    r"(?<![\d£$€.:/,])(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|h\b|uhr\b)?(?![\d%/])"
    r"|\b(noon|midday|midnight)\b",
    re.IGNORECASE,
)
_GROUPS = {
    "weekdays": DAYS[:5],
    "weekday": DAYS[:5],
    "weekends": DAYS[5:],
    "weekend": DAYS[5:],
    "week-ends": DAYS[5:],
}
_RANGE = r"\s*(?:-|–|—|to|through|thru|until|till|au|bis|a|al)\s*"
# A day after these words is a deadline, not a day the business says it is open.
_DEADLINE = re.compile(r"\b(?:by|before|order|for|on or before|ahead of)\s+(?:the\s+)?$", re.I)


def check_days(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Opening days and times the config's hours contradict or never give."""
    out = []
    for f in fields:
        for sentence in sentences(f.text):
            for why in _problems(sentence, facts):
                out.append(Finding(f.item, f.field, "invented_hours", why))
    return out


def _problems(sentence: str, facts: Facts) -> list[str]:
    days = facts.days
    corpus = facts.corpus.lower()
    low = sentence.lower()
    out = []
    if _ROUND_CLOCK.search(sentence) and not _round_the_clock(facts):
        said = _ROUND_CLOCK.search(sentence).group()
        out.append(f"{said!r}: the config's hours are not round the clock")
    named = mentioned_days(sentence)
    every = _EVERY_DAY.search(sentence)
    # "daily except Monday": the days after "except" are said to be closed.
    but = _EXCEPT.search(sentence)
    excepted = {d for d, _ in mentioned_days(but.group(1))} if but else set()
    if every and (_OPEN.search(sentence) or re.search(r"\b(?:7|seven) days\b", low)):
        named = [(d, every.start()) for d in DAYS]
    named = [(d, at) for d, at in named if d not in excepted]
    for day in sorted(excepted, key=DAYS.index):
        if days.get(day):
            out.append(f"says closed on {_DAY_WORD[day]}, but the config opens then")
    closed_said = bool(_CLOSED.search(sentence))
    about_hours = (
        _OPEN.search(sentence)
        or closed_said
        or _SCHEDULE.search(sentence)
        or any(_clock(m) for m in _TIME.finditer(sentence))
    )
    if named and not days and about_hours and not _in_config_text(sentence, facts):
        return [*out, "the config gives no opening hours; say none"]
    for day, at in named:
        if day not in days or _DEADLINE.search(sentence[:at]):
            continue
        is_closed = days[day] == ()
        said_closed = _closed_here(sentence, at)
        if said_closed and not is_closed:
            out.append(f"says closed on {_DAY_WORD[day]}, but the config opens then")
        elif not said_closed and is_closed and (_OPEN.search(sentence) or every):
            out.append(f"says open on {_DAY_WORD[day]}, but the config says closed")
        elif not said_closed and is_closed and not _in_config_text(sentence, facts):
            out.append(f"names {_DAY_WORD[day]}, a day the config says is closed")
    out += _times(sentence, facts, [d for d, _ in named])
    if _LATE.search(sentence) and not _late(facts, [d for d, _ in named]):
        out.append(f"{_LATE.search(sentence).group()!r}: no day in the config opens late")
    if _HOLIDAYS.search(sentence) and "holiday" not in corpus:
        out.append("the config says nothing about holidays")
    return list(dict.fromkeys(out))


_DAY_WORD = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


def mentioned_days(sentence: str) -> list[tuple[str, int]]:
    """(day key, where it is said) for each day the sentence names, ranges expanded."""
    names = day_names()
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    day = rf"(?:{alternatives})\.?"
    out: list[tuple[str, int]] = []
    taken: list[tuple[int, int]] = []
    for m in re.finditer(rf"\b({day}){_RANGE}({day})(?!\w)", sentence, re.IGNORECASE):
        start = DAYS.index(names[m.group(1).lower().rstrip(".")])
        end = DAYS.index(names[m.group(2).lower().rstrip(".")])
        span = (end - start) % 7 + 1
        out += [(DAYS[(start + i) % 7], m.start()) for i in range(span)]
        taken.append(m.span())
    for m in re.finditer(rf"\b({day})(?!\w)", sentence, re.IGNORECASE):
        if any(a <= m.start() < b for a, b in taken):
            continue
        word = m.group(1).lower().rstrip(".")
        if len(word) <= 3 and not m.group(1)[0].isupper():
            continue  # "sat", "wed" and "sun" are words too
        out.append((names[word], m.start()))
    for m in re.finditer(r"\b(week-?ends?|weekdays?)\b", sentence, re.IGNORECASE):
        out += [(d, m.start()) for d in _GROUPS[m.group(1).lower()]]
    return out


def _closed_here(sentence: str, at: int) -> bool:
    """The clause that names the day (between commas) says closed, and gives no clock time:
    "Mon-Fri 7-6, closed Sunday"; "we close at 3pm on Fridays" is a closing time."""
    start = max(sentence.rfind(",", 0, at), sentence.rfind(";", 0, at)) + 1
    ends = [i for i in (sentence.find(",", at), sentence.find(";", at)) if i != -1]
    clause = sentence[start : min(ends) if ends else len(sentence)]
    if not _CLOSED.search(clause):
        return False
    return not any(_clock(m) for m in _TIME.finditer(clause))


def _in_config_text(sentence: str, facts: Facts) -> bool:
    """Every day the sentence names is one the config's own text (not its hours) names."""
    text = facts.claims_text.replace(facts.hours, "") if facts.hours else facts.claims_text
    given = {d for d, _ in mentioned_days(text)}
    return all(d in given for d, _ in mentioned_days(sentence))


def _round_the_clock(facts: Facts) -> bool:
    if facts.hours.startswith("24/7"):
        return True
    return bool(_ROUND_CLOCK.search(facts.claims_text))


def _late(facts: Facts, named: list[str]) -> bool:
    closes = [c for d, ps in facts.days.items() if not named or d in named for _, c in ps]
    return any(c >= "19:00" for c in closes) or "late" in facts.claims_text.lower()


def _times(sentence: str, facts: Facts, named: list[str]) -> list[str]:
    """Clock times that are no opening or closing time of the days said (or any day)."""
    said = [(m.group(), _clock(m)) for m in _TIME.finditer(sentence)]
    said = [(raw, t) for raw, t in said if t]
    about_hours = named or _OPEN.search(sentence) or _CLOSED.search(sentence)
    if not said or not (about_hours or _RANGE_OF_TIMES.search(sentence)):
        return []  # "a burst pipe at 11pm": a time in a story, not opening hours
    given = {t for d, ps in facts.days.items() if not named or d in named for p in ps for t in p}
    any_day = {t for ps in facts.days.values() for p in ps for t in p}
    own_text = facts.claims_text.replace(facts.hours, "") if facts.hours else facts.claims_text
    text_times = {_clock(m) for m in _TIME.finditer(own_text) if _clock(m)}
    out = []
    for raw, t in said:
        if t in given or t in text_times:
            continue
        if not facts.days:
            out.append(f"{raw.strip()!r}: the config gives no opening hours")
        elif t in any_day:
            out.append(f"{raw.strip()!r} is not an opening or closing time on the days said")
        else:
            out.append(f"{raw.strip()!r} is no opening or closing time in the config")
    return out


_RANGE_OF_TIMES = re.compile(
    r"\b(?:from|until|till|til|between|after|before)\s+\d|\d\s*(?:am|pm)?\s*(?:-|–|to)\s*\d",
    re.IGNORECASE,
)


def _clock(m: re.Match[str]) -> str:
    """A written time -> "HH:MM"; "" for a number that is not a time of day."""
    if m.group(4):
        return {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[m.group(4).lower()]
    hour, minute, half = int(m.group(1)), m.group(2), (m.group(3) or "").lower()
    if not minute and not half:
        return ""
    if half.startswith(("a", "p")) and half != "uhr":
        if not 1 <= hour <= 12:
            return ""
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 24 or (minute and int(minute) > 59):
        return ""
    return f"{hour:02d}:{minute or '00'}"
