"""One import at a time of the libraries that parse Python source with `ast` as they load.

On CPython 3.11 two threads building ASTs at once can raise "SystemError: AST constructor
recursion depth mismatch" (cpython gh-106905, fixed in 3.12). inflect's typeguard decorators
parse its source as it is imported, and matplotlib parses its rc defaults: a run imports the
first in the engine's thread (the content gate) and the second in a warm-up thread (the
timeline picture), and one offline site in about ten fell back on a phase with that error.
"""

from __future__ import annotations

import threading

AST_IMPORTS = threading.Lock()
