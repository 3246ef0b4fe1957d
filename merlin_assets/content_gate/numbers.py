"""Numbers as copy writes them: digits ("2,000", "4.9", "500+"), words ("twenty-five",
"two thousand", "a dozen", "a decade") and vague amounts ("thousands", "dozens")."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS)}
WORD_VALUES |= {w: float(20 + 10 * i) for i, w in enumerate(_TENS)}
WORD_VALUES |= {"half": 0.5, "quarter": 0.25}
_SCALES = {"dozen": 12.0, "hundred": 100.0, "thousand": 1000.0, "million": 1e6}
# Amounts with no figure that still claim a size ("loved by thousands").
VAGUE = frozenset(
    {"dozens", "hundreds", "thousands", "millions", "countless", "tens", "scores"}
    | {"generations", "decades"}
)
_WORD = "|".join(sorted([*WORD_VALUES, *_SCALES], key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?<![\w.,/])(?<![A-Za-z]-)(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(k\b)?(\+)?"
    rf"|\b((?:an?\s+)?(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*)\b(\+)?"
    rf"|\b({'|'.join(sorted(VAGUE))})\b"
    r"|\b(an?)\s+(decade|century)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    raw: str
    value: float
    start: int
    end: int
    is_digits: bool = False
    plus: bool = False


def numbers_in(text: str) -> list[Number]:
    """Every number in the text, in order; words such as "one" in "one of" are left out."""
    out = []
    for m in _TOKEN.finditer(text):
        if m.group(1):
            raw = m.group(1)
            value = float(raw.replace(",", "")) * (1000 if m.group(2) else 1)
            out.append(Number(raw, value, m.start(), m.end(), True, bool(m.group(3))))
        elif m.group(4):
            value = _words_value(m.group(4))
            if value is None or m.group(4).lower() in ("one", "a", "an", "half", "quarter"):
                continue
            out.append(Number(m.group(4), value, m.start(), m.end(), plus=bool(m.group(5))))
        elif m.group(6):
            out.append(Number(m.group(6), 0.0, m.start(), m.end()))
        else:  # "a decade", "a century": the unit follows, as after "three decades"
            out.append(Number(m.group(7), 1.0, m.start(), m.start(8)))
    return out


def _words_value(phrase: str) -> float | None:
    """ "twenty-five" -> 25, "two thousand" -> 2000, "a hundred" -> 100."""
    total, current = 0.0, 0.0
    parts = [p for p in re.split(r"[\s-]+", phrase.lower()) if p not in ("and",)]
    if parts and parts[0] in ("a", "an"):
        # "a hundred", "a dozen" are one of them; "a ten-year warranty" is ten.
        parts = ["one", *parts[1:]] if len(parts) > 1 and parts[1] in _SCALES else parts[1:]
    for part in parts:
        if part in WORD_VALUES:
            current += WORD_VALUES[part]
        elif part in _SCALES:
            current = max(current, 1.0) * _SCALES[part]
            if _SCALES[part] >= 1000:
                total, current = total + current, 0.0
        else:
            return None
    return total + current
