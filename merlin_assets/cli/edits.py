"""`merlin apply-edits CONFIG`: the edits file beside a config, applied without a model call
(the `apply_site_edits` job, run here in-process; the projects sensor applies the same in its
tick)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def apply_edits(
    config_path: Annotated[
        Path,
        typer.Argument(
            help="The project config; its edits file (<name>.edits.yaml) sits beside it."
        ),
    ],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Root folder of sites (default: sites/).")
    ] = None,
) -> None:
    """Apply the edits file beside a config to its built site: pages rendered again from
    stored results, no model called, published as a new release.

    Exit status: 0 published; 1 the run failed; 2 bad input (no edits file, a bad config, or
    an edit the site cannot take: the message names the file and the field)."""
    from merlin_assets.config.project import ConfigError, load_config
    from merlin_assets.edits.loading import edits_path_for

    try:
        project_id = load_config(config_path).project_id
    except ConfigError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    edits = edits_path_for(config_path)
    if edits is None:
        err.print(
            f"[bold red]error:[/] no {Path(config_path).stem}.edits.yaml beside {config_path}"
        )
        raise typer.Exit(2)

    # Checked before Dagster is imported: a bad edit costs nothing and reads as one line.
    from merlin_assets.cli.releases import open_artifacts
    from merlin_assets.edits.loading import read_edits
    from merlin_assets.edits.prepare import site_shape
    from merlin_assets.storage.local import MissingArtifactError

    try:
        read_edits(edits, site_shape(open_artifacts(), project_id))
    except (ConfigError, MissingArtifactError) as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None

    import dagster as dg

    from merlin_assets.cli.runs import cli_run_tags, ensure_dagster_home
    from merlin_assets.definitions import defs as load_defs
    from merlin_assets.defs.edits.jobs import JOB

    ensure_dagster_home(Path.cwd())
    if out_dir is not None:
        os.environ["MERLIN_SITES_DIR"] = str(out_dir.absolute())
    job = load_defs().resolve_job_def(JOB)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            run_config={
                "ops": {
                    "apply_edits": {
                        "config": {"project": project_id, "edits_path": str(edits.absolute())}
                    }
                },
                "loggers": {"console": {"config": {"log_level": "WARNING"}}},
            },
            tags={"merlin/source": "cli", **cli_run_tags()},
            raise_on_error=False,
        )
    if not result.success:
        failure = next((e for e in result.all_events if e.is_failure), None)
        data = failure.event_specific_data if failure else None
        message = getattr(getattr(data, "error", None), "message", "") or "the run failed"
        err.print(f"[bold red]error:[/] {escape(message.strip())}", highlight=False)
        raise typer.Exit(1)
    out.print(
        f"edits applied to '{project_id}': release {result.output_for_node('apply_edits')}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("apply-edits")(apply_edits)
