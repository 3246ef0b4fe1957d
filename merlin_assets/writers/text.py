"""Phrase helpers shared by the rule-based writers: joining, trimming and the template context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from random import Random
from typing import Protocol, TypeVar

from slugify import slugify

from merlin_assets.config.project import ProjectConfig
from merlin_assets.content_gate.style import article_errors, expected_article
from merlin_assets.industries import IndustryProfile

T = TypeVar("T")


class Inputs(Protocol):
    """What a writer reads of a node's inputs (`phases.base.NodeInputs`) besides its fields: a
    stable seed per purpose. A protocol, so the writers sit below the nodes that use them."""

    def seed(self, salt: str) -> int: ...


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one string, so long vocabularies stay readable."""
    return frozenset(text.split())


_PHONE = re.compile(r"(?<![\w+])(\+?\d[\d ()\-.]{6,18}\d)(?!\w)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_TONE_SPLIT = re.compile(r",|;|/|&|\band\b|\bbut\b|\byet\b|\bwith\b", re.IGNORECASE)
_TRIM = " |-–—&,:;/+"
_DANGLING = wordset("a an and at by for from in of on or the to with your our")
# Goals usually start with a verb ("Grow catering orders"); those read as "to grow ...".
_VERBS = wordset(
    "add appear attract become book boost bring build capture collect convert create cut "
    "double drive earn encourage establish expand explain fill gain generate get grow help "
    "highlight improve increase keep land launch let list lower make offer open position "
    "promote raise rank reach recruit reduce retain save secure sell share show sign start "
    "take triple turn win"
)


def need(inputs: Inputs, *fields: str) -> None:
    """Fail loudly when an upstream result a writer depends on was not provided."""
    missing = [name for name in fields if getattr(inputs, name) is None]
    if missing:
        raise ValueError(f"rule-based writer needs {', '.join(missing)}")


def rng_for(inputs: Inputs, salt: str) -> Random:
    """A private generator per phase: the same config always picks the same phrasings."""
    return Random(inputs.seed(salt))


def pick(rng: Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def sample(rng: Random, options: Sequence[T], k: int) -> list[T]:
    return rng.sample(list(options), min(k, len(options)))


def article(word: str) -> str:
    """'a' or 'an' for the phrase that follows, by its sound ("an hour", "a university")."""
    return expected_article(word.strip()) if word.strip() else "a"


def a_label(label: str) -> str | None:
    """ "a bakery", "an osteopath"; None for a field or activity that takes no article
    ("deep-sea marine biology research"), so the caller writes the sentence another way."""
    phrase = f"{article(label)} {label}"
    return None if article_errors(f"{phrase} you") else phrase


def short_label(label: str) -> bool:
    """Whether a trade's label is short enough to repeat: "a canal boat hire business in"
    said on each page is a four-word phrase four times, "a bakery in" never is."""
    return len(label.split()) <= 2


def promise_order(inputs: Inputs, profile: IndustryProfile) -> list[str]:
    """The profile's promises in this project's own order, the same in every phase.

    Each writer takes the promise of its role (`PITCH`, `MESSAGES`, `VALUE`) rather than a
    random one, so no promise is written more than three times across a site: the pitch is
    shown three times already (value proposition, hero, home description).
    """
    order = list(profile.promises)
    Random(inputs.seed("promises")).shuffle(order)
    return order


# Roles, as indices into `promise_order` (modulo its length; every profile has four or more).
PITCH, MESSAGES, VALUE = 0, (1, 2), 3


def promise_at(order: Sequence[str], role: int) -> str:
    return order[role % len(order)]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def soft_lower(text: str, keep: str = "") -> str:
    """Lower a leading capital ("Local families" -> "local families") but not names or acronyms."""
    first = text.split(" ", 1)[0]
    if not first or not first[0].isupper() or (len(first) > 1 and not first[1:].islower()):
        return text
    if first.lower() in keep.lower().split():
        return text
    return text[:1].lower() + text[1:]


def to_you(text: str) -> str:
    """Turn an audience goal written about them ("keep their pet healthy") to the reader."""
    swaps = {"their": "your", "they": "you", "them": "you", "themselves": "yourself"}
    return re.sub(
        r"\b(their|they|them|themselves)\b", lambda m: swaps[m.group(1).lower()], text, flags=re.I
    )


def sentence(text: str) -> str:
    text = cap(" ".join(text.split()))
    return text if not text or text[-1] in ".!?" else text + "."


def join(items: Sequence[str], conj: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def truncate_words(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, never ending on a separator."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    words = cut.split(" ")[:-1] if " " in cut else [cut[:limit]]
    # "... Wills and" reads as a mistake; drop the little words a cut can leave dangling.
    while len(words) > 1 and words[-1].lower().strip(_TRIM) in _DANGLING:
        words.pop()
    return " ".join(words)[:limit].rstrip(_TRIM) or text[:limit]


def fit_sentences(sentences: Sequence[str], low: int, high: int) -> str:
    """Whole sentences that fit within `high`, topping up with a trimmed one to reach `low`."""
    out, spare = "", []
    for raw in sentences:
        part = sentence(raw)
        candidate = f"{out} {part}".strip()
        if len(candidate) <= high:
            out = candidate
        else:
            spare.append(part)
    if len(out) < low and spare:
        room = high - len(out) - (1 if out else 0) - 1
        clipped = truncate_words(spare[0].rstrip(".!?"), room)
        if clipped:
            out = f"{out} {clipped}.".strip()
    return truncate_words(out, high) if len(out) > high else out


def slug(text: str) -> str:
    return slugify(text, max_length=40, word_boundary=True) or "item"


def goal_clause(goal: str) -> str:
    """'to grow catering orders' for a verb goal, 'towards more bookings' for a noun one."""
    text = soft_lower(goal.strip().rstrip("."))
    return f"to {text}" if text.split(" ", 1)[0].lower() in _VERBS else f"towards {text}"


def tone_words(tone: str) -> list[str]:
    """Adjectives from a free-text tone ("warm, playful and local" -> warm, playful, local)."""
    words = []
    for part in _TONE_SPLIT.split(tone or ""):
        part = " ".join(part.split()).strip(" .!").lower()
        if part and len(part.split()) <= 2 and part not in words:
            words.append(part)
    return words[:3]


def find_phone(notes: str) -> str:
    for match in _PHONE.finditer(notes or ""):
        if sum(c.isdigit() for c in match.group(1)) >= 8:
            return match.group(1).strip()
    return ""


def find_email(notes: str) -> str:
    match = _EMAIL.search(notes or "")
    return match.group(0).rstrip(".") if match else ""


def services_for(config: ProjectConfig, profile: IndustryProfile) -> list[str]:
    """The configured services, or the industry's usual ones when the config lists none."""
    return list(config.services) or list(profile.default_services)


def first_audience(config: ProjectConfig, profile: IndustryProfile) -> str:
    """One audience, short enough to name in passing: the config's first, or the profile's
    word for customers. The whole list is named once a site (see `audience_for`)."""
    first = soft_lower(config.audiences[0], keep=config.location) if config.audiences else ""
    return first if first and len(first.split()) <= 4 else profile.customers


def audience_for(config: ProjectConfig, profile: IndustryProfile) -> str:
    if not config.audiences:
        return profile.audience
    return join([soft_lower(a, keep=config.location) for a in config.audiences])


def first_sentence(text: str, limit: int = 220) -> str:
    """The description's opening sentence, when it is short enough to quote."""
    text = " ".join((text or "").split())
    head = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence(head) if 20 <= len(head) <= limit else ""


def context(config: ProjectConfig, profile: IndustryProfile) -> dict[str, str]:
    """Values the industry templates may use; see `merlin_assets.industries`."""
    services = services_for(config, profile)
    location = config.location.strip()
    return {
        "name": config.name,
        "label": profile.label,
        "area": location or "the local area",
        "in_area": f"in {location}" if location else "locally",
        "services": join(services[:4]),
        "service": services[0],
        "audience": audience_for(config, profile),
        "customer": profile.customer,
        "customers": profile.customers,
    }


def fill(template: str, ctx: dict[str, str]) -> str:
    return " ".join(template.format(**ctx).split())
