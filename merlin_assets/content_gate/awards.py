"""Awards, rankings, press, certifications, guarantees, insurance, reviews and ratings.

Each boast needs its own evidence in what the config says about the business (its
description, notes, accreditations, offers; never a customer's quote, where "the best" is
praise, not a title). When the boast names someone, a body or a paper ("Gas Safe registered",
"named by The Scotsman", "NICEIC approved"), the config must name them too; "certified" or
"accredited" alone pass when the config lists accreditations.
"""

from __future__ import annotations

import re

from merlin_assets.content_gate.facts import Facts
from merlin_assets.content_gate.findings import CopyField, Finding
from merlin_assets.content_gate.text import has_phrase, words

_CAP_WORD = r"(?:[A-Z][\w&.’'-]*|\d{3,5})"
_CAPS = rf"(?:(?:the|of|and|for|&)\s+)?{_CAP_WORD}(?:\s+(?:of|and|for|&|the)?\s*{_CAP_WORD})*"
_SUPER = (
    r"best|finest|favou?rite|top|leading|number one|no\.?\s?1|#\s?1|"
    r"most (?:loved|trusted|popular)|oldest|biggest|largest|busiest|original|only|premier|"
    r"greatest|highest[\s-]rated|top[\s-]rated"
)

# label -> (patterns, evidence words in the config, whether "not/no/never" before cancels it)
CLAIMS: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "reviews": (
        (
            r"\bverified (?:reviews?|customers?|buyers?|clients?|reviewers?)\b",
            r"\b(?:google|trustpilot|yelp|tripadvisor|checkatrade|feefo|facebook|g2|capterra|"
            r"avvo|healthgrades|zocdoc)\s+reviews?\b",
            r"\breviews? (?:on|from) (?:google|trustpilot|yelp|tripadvisor|checkatrade|feefo|g2)\b",
            r"\btrustpilot\b|\bcheckatrade\b|\btripadvisor\b",
            r"\b\d[\d,]*\+?\s+(?:\w+\s)?reviews\b",
        ),
        ("review*", "trustpilot", "yelp", "tripadvisor", "checkatrade", "feefo"),
        False,
    ),
    "award": (
        (
            r"\baward[\s-]winning\b",
            r"\bmulti[\s-]award\b",
            r"\bprize[\s-]winning\b",
            r"\bwon (?:an?|the|several|many|numerous|\d+|two|three)?\s*(?:[\w']+\s){0,4}"
            r"(?:awards?|prizes?|medals?|titles?|stars?)\b",
            r"\bwinners? of\b",
            r"\bawarded\b",
            r"\b(?:gold|silver|bronze) (?:award|medal|star)\b",
            r"\bshort[\s-]?listed\b|\bfinalists?\b|\bnominated\b|\brunners?[\s-]up\b",
            r"\bawards?\b(?! (?:ceremony|season))",
            r"\b(?:best|top)\s+(?:[A-Z][\w']*\s+){0,3}(?:of the year|20\d\d|awards?)\b",
            r"\b(?:great taste|michelin|bib gourmand|rosette)s?\b",
        ),
        ("award*", "prize*", "winner*", "won", "medal*", "shortlist*", "finalist*"),
        False,
    ),
    "ranking": (
        (
            r"\bvoted\b",
            r"\bnamed\s+(?:as\s+)?(?:the\s+|one of\s+)?(?:[\w'’]+\s+){0,3}(?:" + _SUPER + r")",
            r"\branked\b|\branking\b",
            r"(?:#\s?1|\bnumber one|\bno\.\s?1)\b",
            r"\b[A-Z][\w]+(?:\s[A-Z]\w+)?['’]s\s+(?i:(?:very\s+)?(?:" + _SUPER + r"))\b",
            r"\b(?i:the\s+\w+['’]s\s+(?:very\s+)?(?:" + _SUPER + r"))\b",
            r"\b(?i:hands down|second to none|unbeatable|unrivalled|unmatched)\b",
            r"\bthe\s+(?:very\s+)?(?:"
            + _SUPER
            + r")\s+(?:[\w-]+\s+){1,3}(?:in|around|on|for miles|"
            r"outside|north|south|east|west|this side)\b",
            r"\b(?:best|finest|top)\s+(?:[\w-]+\s+){0,2}in\s+(?:town|the city|the area|the region|"
            r"the country|the uk|britain|the world|[A-Z]\w+)\b",
            r"\btop\s+(?:\d+|ten|five|three)\b",
            r"\bbest[\s-]sell(?:ing|er)\b",
            r"\b(?:industry|market)[\s-]leading\b|\bleading\s+(?:provider|supplier|firm|bakery|"
            r"practice|team|expert|specialist|company)s?\b",
        ),
        ("voted", "number one", "#1", "no. 1", "ranked", "best", "leading", "favourite", "top"),
        False,
    ),
    "press": (
        (
            r"\bas (?:featured|seen|heard|mentioned|recommended) (?:in|on|by)\b",
            r"\bfeatured (?:in|on|by)\b",
            r"\b(?:named|recommended|reviewed|praised|listed|rated|profiled|written up)\s+"
            r"(?:\w+\s+){0,6}"
            r"(?:by|in)\s+(?:the\s+)?[A-Z]\w+",
            r"\bin the (?:press|papers|news)\b",
            r"\b(?i:published|quoted|interviewed|covered|profiled)\s+(?:in|by|on)\s+(?:the\s+)?[A-Z]",
            r"\b(?:according to|says) the [A-Z]\w+",
            r"\b(?:the (?:scotsman|guardian|times|telegraph|observer|independent|herald)|"
            r"bbc|itv|time out|new york times|washington post|forbes|techcrunch|vogue|"
            r"good food guide|timeout)\b",
        ),
        ("featured", "press", "magazine", "newspaper", "guide"),
        False,
    ),
    "endorsement": (
        (
            r"\b(?i:backed|funded|endorsed|sponsored|powered|supported)\s+by\s+(?:the\s+)?[A-Z]",
            r"\b(?i:as used by|trusted by|used by|chosen by|relied on by|clients include|"
            r"customers include|partners? include|in partnership with|official partner)\s+"
            r"(?:the\s+)?[A-Z]",
        ),
        ("backed", "funded", "endorsed", "partner", "used by", "trusted by", "clients include"),
        False,
    ),
    "certification": (
        (
            r"\bcertified\b|\bcertification\b|\bcertificated\b",
            r"\baccredited\b|\baccreditation\b",
            r"\blicen[cs]ed\b",
            r"\bchartered\b",
            r"\b(?i:gas safe)\b|\bNICEIC\b|\bOFTEC\b|\bNAPIT\b|\bTrustMark\b|\bFCA\b|\bSRA\b|"
            r"\bCQC\b|\bOfsted\b",
            r"\bISO\s?\d{3,5}\b",
            r"\bregulated by\b|\bregistered (?:with|by)\b|\bapproved (?:by|installer|supplier)\b",
            r"\b(?!(?:A|An|The|Our|We|Fully|Highly|All|Every|Each)\b)[A-Z][\w-]*\s+"
            r"(?:registered|approved|accredited|certified|members?|qualified)\b",
            r"\b\w+-(?:approved|accredited|certified|registered|recogni[sz]ed)\b",
            r"\b[A-Z][\w-]*\s+(?:recogni[sz]ed|listed|honou?rees?)\b",
            r"\b(?i:recogni[sz]ed\s+(?:by|as|in))\b",
            r"\b(?i:members?) of (?:the\s+)?[A-Z]\w+",
            r"\b(?i:trusted trader|checkatrade|trustmark|master locksmiths?|approved trader)\b",
            r"\b(?:fully|highly|professionally)\s+qualified\b|\bqualified\s+(?:and|&)\b",
            r"\bDBS[\s-]checked\b|\bvetted\b|\bbackground[\s-]checked\b",
            r"\bboard[\s-]certified\b|\bcompliant\b",
        ),
        (
            "certif*",
            "accredit*",
            "licen*",
            "chartered",
            "regulat*",
            "registered",
            "approved",
            "member",
            "qualified",
            "recognised",
        ),
        False,
    ),
    "guarantee": (
        (
            r"\bguarantee[sd]?\b",
            r"\bmoney[\s-]back\b",
            r"\bno[\s-]win,?\s+no[\s-]fee\b",
            r"\bwarrant(?:y|ies|ied)\b",
            r"\bprice[\s-]match\b|\brisk[\s-]free\b|\bno[\s-]quibble\b",
            r"\b(?:full\s+)?refunds?\b",
            r"\bno call[\s-]out (?:fee|charge)\b|\bno hidden (?:fees|costs|charges)\b",
            r"\bfixed[\s-](?:price|fee)s?\b",
        ),
        ("guarantee*", "warrant*", "money-back", "money back", "refund*", "no win"),
        True,
    ),
    "rating": (
        (
            r"\b(?:top|highly|best|highest|5[\s-]star|five[\s-]star)[\s-]rated\b",
            r"\brated\b",
            r"\b(?:5|five)[\s-]stars?\b",
            r"★{3,}",
        ),
        ("rated", "rating*", "star", "review*", "ofsted", "cqc"),
        True,
    ),
    "insured": (
        (r"\b(?:fully\s+)?insured\b|\binsurance[\s-]backed\b|\bbonded\b",),
        ("insur*", "bonded"),
        True,
    ),
}
# Evidence a boast of this kind may share with another: "fixed-price quotes" back a fixed price.
_OWN_WORDS = {
    "guarantee": (r"fixed[\s-](?:price|fee)", "fixed"),
    "ranking": (r"named by", "named by"),
}
_NEGATION = re.compile(
    r"\b(?:not|no|never|can't|cannot|can’t|won't|without)\b[\w\s,]{0,20}$", re.IGNORECASE
)
_NOUN = {
    "reviews": "reviews",
    "award": "an award",
    "ranking": "a ranking",
    "press": "press coverage",
    "certification": "a certification or licence",
    "endorsement": "a backer, partner or client",
    "guarantee": "a guarantee",
    "rating": "a rating",
    "insured": "insurance",
}
_NAMED = re.compile(
    rf"(?:by|with|of|in|on)\s+({_CAPS})|({_CAPS})\s+(?:registered|approved|accredited|certified|"
    rf"member|recognised|qualified)",
)
_CERT_WORDS = set(
    words(
        "certified certification certificated accredited accreditation licensed licenced "
        "chartered registered approved member members of the fully highly professionally "
        "qualified regulated compliant vetted checked by with proud proudly our we are and"
    )
)
_NOT_BODIES = set(words("we our you your the a fully highly all every meet call best top"))


def check_claim_words(fields: list[CopyField], facts: Facts) -> list[Finding]:
    """Boasts the config gives no cause for."""
    text = facts.claims_text
    out = []
    for f in fields:
        for label, (patterns, evidence, negatable) in CLAIMS.items():
            said = _first_unsupported(f.text, patterns, negatable, label, evidence, facts, text)
            if said:
                out.append(
                    Finding(
                        f.item,
                        f.field,
                        "unsupported_claim",
                        f"{said!r} claims {_NOUN[label]} that the config does not give",
                    )
                )
    return out


def _first_unsupported(
    text: str,
    patterns: tuple[str, ...],
    negatable: bool,
    label: str,
    evidence: tuple[str, ...],
    facts: Facts,
    config: str,
) -> str:
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE if pattern.islower() else 0):
            if negatable and _NEGATION.search(text[: m.start()]):
                continue
            if _said_in_config(m.group(), config):
                continue
            if not _bodies_known(text, m.start(), m.end(), config):
                return m.group()
            if not _has_evidence(label, evidence, m.group(), facts, config):
                return m.group()
    return ""


def _said_in_config(said: str, config: str) -> bool:
    return has_phrase(config, said.strip()) if re.search(r"\w", said) else False


def _bodies_known(text: str, start: int, end: int, config: str) -> bool:
    """Every body, paper or scheme the boast names is one the config names."""
    known = set(words(config))
    lo = max(0, start - 40)
    for m in _NAMED.finditer(text[lo : end + 50]):
        if m.end() + lo < start - 2 or m.start() + lo > end + 2:
            continue  # a name near the boast but not part of it
        body = m.group(1) or m.group(2) or ""
        named = [w for w in words(body) if w not in _NOT_BODIES | _CERT_WORDS and len(w) > 1]
        if named and not all(w in known for w in named):
            return False
    return True


def _has_evidence(
    label: str, evidence: tuple[str, ...], said: str, facts: Facts, config: str
) -> bool:
    if label == "certification":
        # What the boast names beyond the certifying word ("board", "ISO 27001") must be the
        # config's own words; the certifying word then needs its stem there, or a list of
        # accreditations for a bare "certified".
        specific = set(words(said)) - _CERT_WORDS
        if not specific <= set(words(config)):
            return False
        if facts.accreditations:
            return True
    if label == "press" and _NAMED.search(said):
        return True  # the paper or body it names is one the config names (checked above)
    own = _OWN_WORDS.get(label)
    if own and re.search(own[0], said, re.IGNORECASE) and own[1] in config.lower():
        return True
    if label == "ranking":
        # A ranking needs its own word in the config: "best" does not back "No.1".
        wanted = [w for w in words(said) if w in set(words(" ".join(evidence)))]
        return bool(wanted) and all(has_phrase(config, w) for w in wanted)
    return any(has_phrase(config, e) for e in evidence)
