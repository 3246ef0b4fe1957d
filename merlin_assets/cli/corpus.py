"""`merlin audit-corpus`: the content gate scored on the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

out = Console()


def register(app: typer.Typer) -> None:
    """Add the command to the CLI."""

    @app.command("audit-corpus")
    def audit_corpus(
        corpus: Annotated[
            Path | None, typer.Option(help="Folder of <kind>.yaml corpus files.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    ) -> None:
        """Score the content gate on the labelled corpus: recall and false positives per kind.

        Exits 1 when a kind misses its target (recall >= 0.95, false positives <= 0.03)."""
        from merlin_assets.content_gate import audit

        try:
            scores = audit.score(audit.load_corpus(corpus or audit.CORPUS_DIR))
        except audit.CorpusError as exc:
            out.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from exc
        if as_json:
            print(json.dumps([s.as_dict() for s in scores.values()], indent=2))
        else:
            table = Table("kind", "invented", "recall", "grounded", "false pos.", "target")
            for row in audit.table(scores):
                table.add_row(*row)
            out.print(table)
            for s in scores.values():
                # Plain print: a console would wrap the sentences.
                for case in s.misses:
                    print(f"missed  {s.kind}: {case.text} ({case.config})")
                for case, found in s.wrongly_caught:
                    print(f"false + {s.kind}: {case.text} ({case.config}): {found[0].message}")
        if not all(s.meets_targets for s in scores.values()):
            raise typer.Exit(1)
