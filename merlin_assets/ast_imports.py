"""One import at a time of the libraries that parse Python source with `ast` as they load.

On CPython 3.11 two threads building ASTs at once can raise "SystemError: AST constructor
recursion depth mismatch" (cpython gh-106905, fixed in 3.12). inflect's typeguard decorators
parse its source as it is imported, and matplotlib parses its rc defaults: a run imports the
first in the engine's thread (the content gate) and the second in a warm-up thread (the
timeline picture), and one offline site in about ten fell back on a phase with that error.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

AST_IMPORTS = threading.Lock()


@contextlib.contextmanager
def typeguard_off() -> Iterator[None]:
    """Imports in the block get typeguard's `@typechecked` as a plain no-op.

    inflect wraps its API in `@typechecked`, which re-parses and recompiles each function's
    source as the module loads: 1.66 s of an idle 2-core machine's CPU (0.01 s without), paid
    by every process whose content gate reads an article ("a hour"), and on the critical path
    of a one-section redo. The wrappers only check that inflect is given strings, which is all
    the gate gives it. Held under `AST_IMPORTS`, like the imports it speeds up.
    """
    import typeguard

    def plain(target=None, **_options):
        return target if target is not None else (lambda function: function)

    checked = typeguard.typechecked
    typeguard.typechecked = plain
    try:
        yield
    finally:
        typeguard.typechecked = checked
