"""Invented claims: people, testimonials and quotes the config never supplied, and the
dispatch to the other typed claims (contact, places, days, figures, boasts).

People are found where copy names them: a `name` field, a "— Name" attribution after a
quotation, a "Firstname X." initial, "Name, Role" with a job word, "Meet Name", "Name, our
head baker", or a given name (from a maintained list) followed by a surname. A name passes
when every full word of it appears in the config; a config person must keep their part (a
customer quoted in the config is not "our head baker"). A quote, in a quote field or
attributed in running text ("'Quick.' Janet Okafor", "Morag says ..."), must be one the config
gives, by the person who said it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from merlin_assets.content_gate.awards import check_claim_words
from merlin_assets.content_gate.contact import check_contact
from merlin_assets.content_gate.days import check_days
from merlin_assets.content_gate.facts import Facts, Person
from merlin_assets.content_gate.figures import check_figures
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.places import check_places
from merlin_assets.content_gate.text import STOPWORDS, stem, stems_match, words, wordset
from merlin_assets.content_gate.wordlists import is_common_word, is_given_name, place

_TOKEN = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_INITIAL = r"[A-Z]\."
_PARTICLE = r"(?:de|da|del|della|van|von|der|den|la|le|bin|al|ibn|st\.)"
_PERSON = rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?(?:{_TOKEN}|{_INITIAL})){{0,2}}"
_ROLES = (
    r"manager|director|owner|founder|co-founder|ceo|cto|cfo|coo|head|lead|partner|homeowner|"
    r"customer|client|parent|mum|mom|dad|mother|father|teacher|nurse|doctor|student|engineer|"
    r"designer|developer|chef|baker|landlord|tenant|patient|retiree|bride|groom|consultant|"
    r"accountant|architect|officer|president|editor|analyst|member|volunteer|regular|resident|"
    r"local|visitor|guest|buyer|seller|researcher|scientist|professor|coordinator|specialist"
)
NAME_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "... great service." — Sarah Jones   /   — Yusuf W., Product manager
    re.compile(rf"[\"”'’]\s*[—–~-]{{1,2}}\s*({_PERSON})(?=\s*(?:[,(]|$))", re.MULTILINE),
    # Yusuf W.  /  Anna Maria K.
    re.compile(rf"\b({_TOKEN}(?:\s+{_TOKEN})?\s+[A-Z]\.)(?=[\s,)]|$)"),
    # Sarah Jones, Homeowner  /  Tom Reed, Product manager in Leith  (two words, at a line end;
    # one word is too often an adjective: "Chartered, qualified accountants")
    re.compile(
        rf"\b({_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?(?:{_TOKEN}|{_INITIAL})){{1,2}}),\s+(?i:(?:[a-z-]+\s+){{0,3}}?(?:{_ROLES})s?)"
        rf"(?:\s+(?:in|from|at|of)\s+[A-Z][\w' -]{{0,40}})?\s*(?=$|[.|•·)])",
        re.MULTILINE,
    ),
)
# Capitalised words that start sentences and headings but never a name.
_NOT_NAMES = wordset(
    "our the we your you meet call book ask find get visit see read learn discover why what "
    "how who when where which this that these those here there every each all more most "
    "thanks thank dear hello hi welcome home about contact services service pricing faq "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december mr mrs ms dr unit plan grade "
    "vitamin type part block class section level phase room suite floor flat studio option "
    "model size step stage team group"
)
# How much of a quote's wording must come from one config testimonial to count as that one.
QUOTE_OVERLAP = 0.5


def check_claims(fields: Iterable[CopyField], facts: Facts) -> list[Finding]:
    """People, quotes, contact details, places, hours, figures and boasts the config does
    not back."""
    fields = list(fields)
    out = check_names(fields, facts) + check_quotes(fields, facts)
    # The config's own quotes are checked above; their words ("the best", "three weeks")
    # are a customer's, not claims of the business.
    said = [_without_given_quotes(f, facts) for f in fields]
    out += check_contact(said, facts) + check_places(said, facts) + check_days(said, facts)
    return out + check_figures(said, facts) + check_claim_words(said, facts)


def _without_given_quotes(f: CopyField, facts: Facts) -> CopyField:
    given = [(p, _content(p.text)) for p in facts.testimonials if p.text]
    if not given:
        return f
    if f.kind == "quote":
        return replace(f, text="" if _best(_content(f.text), given)[1] >= QUOTE_OVERLAP else f.text)

    def blank(m: re.Match[str]) -> str:
        said = _content(m.group(1) or m.group(2))
        return " " if said and _best(said, given)[1] >= QUOTE_OVERLAP else m.group()

    text = _QUOTED.sub(blank, f.text)
    for m in _REPORTED.finditer(text):
        person = _config_person(m.group(1), facts)
        said = _content(m.group(2))
        if (
            person
            and person.text
            and said
            and len(said & _content(person.text)) / len(said) >= PARAPHRASE_OVERLAP
        ):
            text = text.replace(m.group(2), " ")
    return replace(f, text=text)


_TITLE = r"(?:Dr|Mr|Mrs|Ms|Mx|Chef|Prof|Professor|Sister|Nurse)\.?"
# "Meet Fiona", "Fiona, our head baker", "says Fiona", "Fiona says": a person, not a word.
_PERSON_CONTEXT = (
    re.compile(
        rf"\b(?:[Mm]eet|[Aa]sk(?: for)?|says|said|by|[Ww]ith|[Ff]ounder|[Oo]wner|run by|led by|"
        rf"[Tt]hanks to|[Hh]i to|[Hh]ello to|[Cc]hef|[Bb]aker)\s+({_TOKEN})\b"
    ),
    re.compile(
        rf"\b({_TOKEN})(?=['’]s\s+[a-z]|\s+(?:and|&)\s+(?:her|his|their)\b|\s+(?:will|would|is|"
        rf"was|has|bakes|makes|trained|joined|answers|looks after|takes care)\b)"
    ),
    re.compile(rf"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+({_TOKEN})\b(?!\s+{_TOKEN})"),
    re.compile(
        rf"\b(?:[Mm]eet|[Aa]sk|says|said|by|[Ww]ith|founder|owner|run by|led by)\s+({_TOKEN})\b"
    ),
    re.compile(rf"\b({_TOKEN}),\s+(?:our|the|a|who|one of)\b"),
    re.compile(
        rf"\b({_TOKEN})\s+(?:says|said|told|tells|founded|started|runs|leads|bakes|set up)\b"
    ),
    re.compile(rf"\b(?:our|the)\s+(?:[a-z-]+\s+){{0,2}}(?:{_ROLES})s?,?\s+({_TOKEN})\b", re.I),
)
_FULL_NAME = re.compile(
    rf"(?<![\w’'-])(?:({_TITLE})\s+)?({_TOKEN})((?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{1,2}})"
)
# "Ewan and Kirsty": two given names side by side are people, not words.
_FIRST_NAMES = re.compile(rf"\b({_TOKEN})\s+(?:and|&)\s+({_TOKEN})\b")
# "our paralegal, Jenny Ford": a part, then a name whose words are everyday words too.
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:[Oo]ur|[Tt]he|[Bb]y|[Ww]ith|[Mm]eet|[Aa]sk for)\s+(?:[a-z-]+\s+){0,2}[a-z-]+,?\s+"
    r"|\b(?:[Mm]eet|[Aa]sk for|[Tt]hanks to|[Hh]i to|[Hh]ello to)\s+)$"
)
_NOT_SURNAMES = wordset(
    "garden gardens street road lane avenue place square park court way drive close terrace "
    "bakery cafe "
    "kitchen house hall centre center studio shop market day week road"
)
# "X, our head baker" / "our head baker, X": the part a person plays.
_VERBS = r"is|was|has|will|who|leads|runs|handles|shapes|restores|fits|answers|bakes|makes|says"
_OUR_ROLE = (
    re.compile(
        rf"({_PERSON}),\s+(?:our|the)\s+([^,.;:!?]{{2,40}}?)(?=\s*[,.;:!?]|\s+(?:{_VERBS})\b)"
    ),
    re.compile(rf"\b(?:[Oo]ur|[Tt]he)\s+((?:[\w-]+\s+){{0,2}}[\w-]+),?\s+({_PERSON})"),
)
# A name followed by a part or a speech verb is a person even when its words are everyday
# words too ("Tom Reed, Product manager", "Will Baker says").
_PERSON_AFTER = re.compile(
    rf"^(?:,?\s+(?:(?:a|an|the|our)\s+)?(?:[\w-]+\s+){{0,3}}?(?:{_ROLES})s?\b"
    rf"|\s+(?:says|said|calls|called|told|tells|writes|wrote)\b)",
    re.IGNORECASE,
)


def check_names(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Names of people who are not in the config, and config people given another part."""
    known = set(words(facts.corpus))
    out = []
    for f in fields:
        reported: set[str] = set()
        for name in _names_in(f):
            if name in reported or _known_person(name, known):
                continue
            reported.add(name)
            who = "testimonials or team" if not facts.people else "testimonials/team list"
            out.append(
                Finding(
                    f.item,
                    f.field,
                    "invented_name",
                    f"{name!r} is not a person named in the config's {who}",
                )
            )
        out += [Finding(f.item, f.field, "invented_name", why) for why in _wrong_parts(f, facts)]
    return out


def _names_in(f: CopyField) -> list[str]:
    found = []
    if f.kind == "name":
        head = re.split(r"\s*[,(|•·—–]\s*|\s+-\s+", f.text.strip(), maxsplit=1)[0]
        if re.fullmatch(_PERSON, head):
            found.append(head)
    for pattern in NAME_PATTERNS:
        found += [m.group(1) for m in pattern.finditer(f.text)]
    for i, pattern in enumerate(_PERSON_CONTEXT):
        for m in pattern.finditer(f.text):
            if _named_in_context(m.group(1), after_title=i == 2, right_after=i in (0, 3)):
                found.append(m.group(1))
    for m in _FIRST_NAMES.finditer(f.text):
        pair = [m.group(1), m.group(2)]
        if all(is_given_name(n) and not is_common_word(n) for n in pair):
            found += pair
    for m in _FULL_NAME.finditer(f.text):
        title, first, rest = m.group(1), m.group(2), m.group(3).split()
        if rest[-1].lower() in _NOT_SURNAMES or rest[0].lower() in _NOT_SURNAMES:
            continue
        given = is_given_name(first) and (
            not is_common_word(first)
            or not is_common_word(rest[0])
            or _PERSON_AFTER.match(f.text[m.end() :])
            or _PERSON_BEFORE.search(f.text[: m.start()])
        )
        if title or given:
            found.append(" ".join([first, *rest]))
    found = [re.sub(r"['’]s$", "", n) for n in found]  # "Callum Brodie's customers"
    return [n for n in found if not _NOT_NAMES & set(words(n)) and _name_shaped(n)]


def _named_in_context(name: str, *, after_title: bool, right_after: bool) -> bool:
    """A single word in a person's context is a name: any word after "Dr."; a given name
    otherwise, and an everyday one ("Will", "Grace") only right after "Meet", "Ask"..."""
    if after_title:
        return True
    if not (name[0].isupper() and is_given_name(name)) or place(name):
        return False
    return right_after or not is_common_word(name)


def _wrong_parts(f: CopyField, facts: Facts) -> list[str]:
    """A config person called "our <role>" when the config gives them another part."""
    out = []
    for i, pattern in enumerate(_OUR_ROLE):
        for m in pattern.finditer(f.text):
            name, role = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            person = _config_person(name, facts)
            if person is None:
                continue
            wanted = {stem(w) for w in words(role) if w not in STOPWORDS}
            given = {stem(w) for w in words(f"{person.role} {person.text}")}
            fits = bool(wanted) and all(any(stems_match(w, g) for g in given) for w in wanted)
            ours = re.search(r"\bour\b", m.group(), re.IGNORECASE)
            if fits and (person in facts.team or not ours):
                continue
            part = f"the config's {person.role or 'customer'}" if person.role else "a customer"
            out.append(f"{name!r} is {part}, not our {role.strip()}")
    return out


def _config_person(name: str, facts: Facts) -> Person | None:
    said = {w for w in words(name) if len(w) > 1}
    for person in facts.team + facts.testimonials:
        if said and said <= set(words(person.name)):
            return person
    return None


def _name_shaped(name: str) -> bool:
    """Capitalised like a name: the role pattern runs case-insensitively, so check here."""
    parts = name.split()
    return all(p[0].isupper() or re.fullmatch(_PARTICLE, p) for p in parts) and len(parts) <= 4


def _known_person(name: str, known: set[str]) -> bool:
    """Every full word of the name (initials aside) is a word of the config, or every one that
    is no everyday word is, and some word is: a sentence that opens on a verb before the
    business's name ("Tell Greenline Plumbing & Heating straight away") names no one new."""
    full = [w for w in words(name) if len(w) > 1 and w not in STOPWORDS]
    if not full:
        return False
    if all(w in known for w in full):
        return True
    rare = [w for w in full if not is_common_word(w)]
    return bool(rare) and all(w in known for w in rare) and full[0] not in known


_QUOTED = re.compile(r"[“\"]([^”\"]{2,400})[”\"]|(?<![\w])[‘']([^’']{2,300}?)[’'](?![\w])")
_AFTER = re.compile(rf"^\s*[,.]?\s*(?:[—–~-]{{1,2}}\s*|(?:says|said|writes|wrote)\s+)?({_PERSON})")
# ", a regular since 2016," / " from Didsbury": who the speaker is, between name and verb.
_WHO = r"(?:,[^,]{1,40},|\s+(?:from|of|in|at)\s+[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,2})?"
_BEFORE = re.compile(rf"({_PERSON}){_WHO}\s+(?:says|said|writes|wrote|told us|tells us)[:,]?\s*$")
_REPORTED = re.compile(
    rf"({_PERSON}){_WHO}\s+(?:says|said|told us|tells us|reckons|calls|called|"
    rf"describes|described|loves|swears by|raves about)\s+(?:that\s+)?([^.!?\"“]+)"
)
# Share of a paraphrase's words that must come from what the person said.
PARAPHRASE_OVERLAP = 0.4


def check_quotes(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Testimonial quotes the config did not supply, or put in someone else's mouth."""
    out = []
    for f in fields:
        for why in invented_quotes(f, facts):
            check = "invented_testimonial" if not facts.testimonials else "unmatched_quote"
            out.append(Finding(f.item, f.field, check, why))
    return out


def invented_quotes(f: CopyField, facts: Facts) -> list[str]:
    """Why each quote in the field is not one the config gives (empty when all are)."""
    given = [(p, _content(p.text)) for p in facts.testimonials if p.text]
    out = []
    if f.kind == "quote" and f.text.strip():
        if not given:
            return ["a testimonial, but the config supplies no testimonials to quote"]
        if _best(_content(f.text), given)[1] < QUOTE_OVERLAP:
            return ["this quote is not one of the config's testimonials"]
        return []
    for m in _QUOTED.finditer(f.text):
        said = _content(m.group(1) or m.group(2))
        who = _AFTER.match(f.text[m.end() :]) or _BEFORE.search(f.text[: m.start()])
        if not who or not said:
            continue
        person = _config_person(who.group(1), facts)
        if person is None:
            continue  # an unknown name is reported by check_names
        if not person.text or len(said & _content(person.text)) / len(said) < QUOTE_OVERLAP:
            out.append(f"{who.group(1)!r} did not say this; quote the config's words")
    for m in _REPORTED.finditer(_QUOTED.sub(" ", f.text)):
        person = _config_person(m.group(1), facts)
        said = _content(m.group(2))
        if person is None or not said or person not in facts.testimonials:
            continue
        if len(said & _content(person.text)) / len(said) < PARAPHRASE_OVERLAP:
            out.append(f"{m.group(1)!r} did not say this; quote the config's words")
    return list(dict.fromkeys(out))


def _best(said: set[str], given: list[tuple[Person, set[str]]]) -> tuple[Person | None, float]:
    scores = [(p, len(said & g) / len(said)) for p, g in given if said]
    return max(scores, key=lambda x: x[1], default=(None, 0.0))


def _content(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOPWORDS}
