"""Degenerate text: the tell-tale shapes of a model that looped, rambled, stopped or left a gap.

Every rule here reads one field (or, for repeated sentences, one item) on its own; none of
them needs the config, except that placeholder-looking text the config itself contains
(an example.com address, say) is allowed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.text import STOPWORDS, norm, sentences, words, wordset

# Per kind: (most words, most characters). Far above what good copy uses, so only absurd
# output trips them: a heading of 15+ words is a paragraph, a button of 6+ words wraps.
LIMITS: dict[str, tuple[int, int]] = {
    "heading": (14, 110),
    "eyebrow": (8, 60),
    "button": (5, 32),
    "title": (14, 70),
    "name": (8, 80),
    "list_item": (40, 280),
    "description": (60, 400),
    "quote": (80, 600),
    "body": (120, 900),
}
# Kinds that are one line on the page; a line break inside one is a formatting accident.
ONE_LINE = frozenset({"heading", "eyebrow", "button", "title", "name"})
# Kinds a layout may leave out: an empty one means "none", not a failure.
OPTIONAL = frozenset({"eyebrow", "button"})
# Running text ends a sentence; text that stops without one was cut off.
RUNNING = frozenset({"body", "quote"})
# Only a quote may trail off with an ellipsis on purpose.
MAY_TRAIL = frozenset({"quote"})
# Words no finished heading, label or sentence ends on ("... of the", "Book your"). Words
# like "are", "of" or "to" are left out: "Who we are", "What we're proud of" are finished.
DANGLING = wordset("a an the and or but nor our your their its my")
# Sentences this short ("Call us today.") may repeat within a page on purpose.
MIN_REPEATED_SENTENCE_WORDS = 5

PLACEHOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("lorem ipsum", r"\blorem\b|\bipsum dolor\b|\bdolor sit amet\b"),
        ("TBD", r"\b(?:TBD|TBC|TODO|FIXME)\b"),
        ("[insert ...]", r"[\[<]\s*(?:insert|your|add|enter|business|company|client|name)\b"),
        ("a template slot", r"\{\{?\s*[a-z_][a-z0-9_ .]*\}\}?|\$\{[^}]*\}|%\(?[a-z_]+\)?s\b"),
        ("XXX", r"\b(?:X{3,}|x{3,})\b|\bN/A\b|\?\?\?"),
        ("placeholder", r"\bplaceholder\b"),
        ("example text", r"\b(?:sample|dummy|filler|example) (?:text|copy|content)\b"),
        ("example text", r"\b(?:your|company|business) (?:name|text|tagline|headline) here\b"),
        ("example text", r"\b(?:text|headline|copy) goes here\b"),
        ("an example.com address", r"\b(?:[\w.-]+\.)?example\.(?:com|org|net)\b"),
        ("an unfilled value", r"^\W*(?:undefined|null|none|nan)\W*$"),
    )
)


def check_degenerate(fields: Iterable[CopyField], config_text: str = "") -> list[Finding]:
    """Empty, placeholder, looping, over-long and cut-off copy; repeated sentences per item."""
    fields = list(fields)
    out: list[Finding] = []
    for f in fields:
        out += _field_findings(f, config_text)
    out += _repeated_sentences(fields)
    return out


def _finding(f: CopyField, check: str, message: str, severity: str = "error") -> Finding:
    return Finding(f.item, f.field, check, message, severity)  # type: ignore[arg-type]


def _field_findings(f: CopyField, config_text: str) -> list[Finding]:
    text = f.text.strip()
    if not text:
        if f.kind in OPTIONAL:
            return []
        return [_finding(f, "empty", f"the {f.kind} is empty")]
    out = []
    for label, pattern in PLACEHOLDERS:
        m = pattern.search(text)
        if m and m.group().lower() not in config_text.lower():
            out.append(_finding(f, "placeholder", f"placeholder text ({label}): {m.group()!r}"))
            break
    if f.kind in ONE_LINE and "\n" in text:
        n = text.count("\n") + 1
        out.append(_finding(f, "multiline", f"the {f.kind} runs over {n} lines"))
    max_words, max_chars = LIMITS[f.kind]
    n_words = len(text.split())
    if n_words > max_words:
        out.append(_finding(f, "too_long", f"{n_words} words; a {f.kind} has at most {max_words}"))
    elif len(text) > max_chars:
        out.append(
            _finding(f, "too_long", f"{len(text)} characters; a {f.kind} has at most {max_chars}")
        )
    out += _loops(f, text)
    cut = _cut_off(f.kind, text)
    if cut:
        out.append(_finding(f, "truncated", cut))
    return out


def _loops(f: CopyField, text: str) -> list[Finding]:
    """A word or short phrase repeated back to back, or one phrase over and over."""
    tokens = words(text)
    for n in (1, 2, 3, 4):
        for i in range(len(tokens) - 3 * n + 1):
            gram = tokens[i : i + n]
            if gram == tokens[i + n : i + 2 * n] == tokens[i + 2 * n : i + 3 * n]:
                said = " ".join(gram)
                return [_finding(f, "repeated_words", f"{said!r} repeated 3+ times in a row")]
    counts: Counter[tuple[str, ...]] = Counter()
    for n in (3, 4):
        for i in range(len(tokens) - n + 1):
            gram = tuple(tokens[i : i + n])
            if sum(w not in STOPWORDS for w in gram) >= 2:
                counts[gram] += 1
    top = max(counts.items(), key=lambda kv: (kv[1], len(kv[0])), default=None)
    if top and top[1] >= 3:
        said = " ".join(top[0])
        return [
            _finding(f, "repeated_phrase", f"{said!r} appears {top[1]} times", severity="warning")
        ]
    return []


def _cut_off(kind: str, text: str) -> str:
    """Why the text looks cut off, or "" if it looks finished."""
    stripped = text.rstrip()
    if stripped.endswith(("…", "...")) and kind not in MAY_TRAIL:
        return "ends with an ellipsis, as if cut off"
    if stripped.endswith((",", ":", ";", "-", "–", "—", "(", "/", "&")):
        return f"ends with {stripped[-1]!r}, as if cut off"
    tokens = words(stripped)
    last = tokens[-1] if tokens else ""
    if last in DANGLING and stripped[-1].isalnum():
        return f"ends on {last!r}, as if cut off mid-sentence"
    last_sentence = sentences(stripped)[-1] if kind in RUNNING else ""
    if len(words(last_sentence)) >= 8 and stripped[-1].isalnum():
        return "running text that stops without a full stop"
    return ""


def _repeated_sentences(fields: list[CopyField]) -> list[Finding]:
    """A sentence of five or more words said twice within one item (page or phase).

    Twice within one field is a model looping: an error. Once in each of two fields is an
    error when the later field is nothing but repeats (a whole section said again), else a
    warning: a page may echo a bullet in a paragraph, but should not.
    """
    seen: dict[tuple[str, str], str] = {}  # (item, normalised sentence) -> first field
    out = []
    for f in fields:
        if f.kind in {"button", "eyebrow", "name", "title"}:
            continue
        said = [(s, norm(s)) for s in sentences(f.text)]
        long_ = [(s, key) for s, key in said if len(key.split()) >= MIN_REPEATED_SENTENCE_WORDS]
        here: set[str] = set()
        repeats: list[tuple[str, str]] = []  # (sentence, where it was said first)
        for s, key in long_:
            if key in here:
                repeats.append((s, "earlier in this field"))
                continue
            here.add(key)
            first = seen.setdefault((f.item, key), f.field)
            if first != f.field:
                repeats.append((s, f"in {first}"))
        whole = bool(long_) and len(repeats) >= len(said)
        reported: set[str] = set()
        for s, where in repeats:
            if norm(s) in reported:
                continue
            reported.add(norm(s))
            severity = "error" if where.startswith("earlier") or whole else "warning"
            out.append(
                _finding(f, "repeated_sentence", f"{s!r} was already said {where}", severity)
            )
    return out
