"""The imports that parse source with `ast` take one lock (ast_imports.py): CPython 3.11 raises
"AST constructor recursion depth mismatch" when two threads build ASTs at once, and a site's
phase fell back on it when the timeline's matplotlib and the gate's inflect loaded together."""

from __future__ import annotations

import subprocess
import sys

# In a fresh interpreter, so neither library is imported yet. While the lock is held, neither
# import can finish, whichever thread asks; once it is released, both do.
PROBE = """
import sys, threading
from merlin_assets.ast_imports import AST_IMPORTS
from merlin_assets.content_gate import style
from merlin_assets.defs import metadata

with AST_IMPORTS:
    metadata.warm_timeline()
    gate = threading.Thread(target=style.article_errors, args=("An hour.",))
    gate.start()
    metadata._warming[0].join(timeout=3)
    gate.join(timeout=3)
    held = ["matplotlib.pyplot" in sys.modules, "inflect" in sys.modules]
metadata._warming[0].join()
gate.join()
print(held, ["matplotlib.pyplot" in sys.modules, "inflect" in sys.modules])
"""


def test_matplotlib_and_inflect_wait_for_the_one_ast_lock():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip() == "[False, False] [True, True]", out.stderr[-2000:]


# inflect loaded by the gate: its functions plain (typeguard's wrappers re-parse each one as
# the module loads, 1.7 s of CPU), typeguard's decorator as it was for everyone else, and the
# articles it chooses the same.
PLAIN = """
import typeguard
checked = typeguard.typechecked
from merlin_assets.content_gate import style
found = style.article_errors("We sell a apple pie by the hour and a hour of fun with an FBI agent.")
import inflect
wrapped = [n for n in inflect.engine.a.__code__.co_names if n.startswith("check_")]
print(found, wrapped, typeguard.typechecked is checked)
"""


def test_the_gate_loads_inflect_without_typeguard_and_chooses_the_same_articles():
    done = subprocess.run(
        [sys.executable, "-c", PLAIN], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["['a", "apple',", "'a", "hour']", "[]", "True"]
