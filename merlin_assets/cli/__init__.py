"""The `merlin` command (`app.py`), running a project through Dagster from it (`runs.py`), and
the asset-graph picture it draws (`docs_graph.py`).

`main` is the console script's entry point (`merlin = "merlin_assets.cli:main"`).
"""

from merlin_assets.cli.app import main

__all__ = ["main"]
