"""Load the gate's word lists and models before the first answer needs them.

Each list loads on first use: GeoNames' cities (a 16 MB JSON), the given names, the English
dictionary and word frequencies, lingua's trigram models, phone metadata, the CMU dictionary.
Together that is 2.0 s of CPU (`python -c "from merlin_assets.content_gate.warm import warm;
warm()"` under `time`), 7.4 s of wall time at a load average of 16. Paid inside the first
check, it sat on the critical path of every model run: copywriting's first review waited for
it long after its call had returned. The scheduler calls `warm` in a thread when a run starts,
while the first phases wait on the network, so the first check finds everything loaded (0.09 s
of CPU instead of 2.0 s).
"""

from __future__ import annotations

import phonenumbers

from merlin_assets.content_gate import lexicon, style, wordlists
from merlin_assets.content_gate.language import detector

# A sentence of everyday words, long enough for lingua to load every language it tells apart,
# with an article: `article_errors` loads inflect only to judge one (without it, the first
# check paid inflect's 0.05 s of CPU).
_SAMPLE = "We bake a fresh loaf every morning and our shop is open on Saturday"
# Any number loads the metadata of the regions the checks read.
_PHONE = "+44 113 496 0000"


def warm(language: str = "en") -> None:
    """Load every list a check reads, for a site in `language`."""
    wordlists.load()
    lexicon.load(language)
    detector(language).compute_language_confidence_values(_SAMPLE)
    phonenumbers.parse(_PHONE, None)
    style.flesch([_SAMPLE], language)
    style.article_errors(_SAMPLE)
