"""`merlin fleet`: a whole Dagster fleet on this machine (Postgres, Redis, S3, webserver,
daemon, Celery workers), started in the background and stopped by `merlin fleet down`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from merlin_assets.fleet import processes
from merlin_assets.fleet.local import LocalFleet

app = typer.Typer(no_args_is_help=True, help=__doc__)
out = Console()
err = Console(stderr=True)

DEFAULT_DIR = Path(".merlin/fleet")
DirOption = Annotated[Path, typer.Option("--dir", help="Folder for the fleet's state and logs.")]


@app.command()
def up(
    workers: Annotated[
        int, typer.Option(min=1, help="Celery workers, each in its own folder.")
    ] = 2,
    concurrency: Annotated[int, typer.Option(min=1, help="Runs at once per worker.")] = 1,
    directory: DirOption = DEFAULT_DIR,
    port: Annotated[int, typer.Option(help="Port of the Dagster UI on 127.0.0.1.")] = 3000,
    webserver: Annotated[bool, typer.Option(help="Start dagster-webserver.")] = True,
    offline: Annotated[
        bool, typer.Option(help="MERLIN_LLM=offline for every run (no API calls).")
    ] = False,
) -> None:
    """Start Postgres, Redis, the S3 test server, the daemon, the UI and N workers."""
    fleet = LocalFleet(
        directory,
        workers=workers,
        concurrency=concurrency,
        webserver=webserver,
        web_port=port,
        offline=offline,
        log=lambda line: out.print(line, highlight=False, markup=False),
    )
    try:
        state = fleet.up()
    except Exception as exc:
        err.print(f"[bold red]error:[/] fleet did not start: {exc}", highlight=False)
        err.print(f"logs: {fleet.root / 'logs'}", highlight=False)
        raise typer.Exit(1) from None
    out.print(
        f"[bold green]fleet up[/] in {state['up_s']}s: drop project configs into "
        f"{fleet.projects_dir}; `merlin fleet down --dir {directory}` stops it",
        highlight=False,
    )
    out.print(f"DAGSTER_HOME={fleet.home}", highlight=False)


@app.command()
def down(directory: DirOption = DEFAULT_DIR) -> None:
    """Stop every process `up` started from this folder (by its pid files)."""
    fleet = LocalFleet(directory)
    report = fleet.down()
    if not report:
        out.print(f"nothing running from {fleet.root}", highlight=False)
    for name, outcome in report:
        out.print(f"{name:<12} {outcome}", highlight=False)


@app.command()
def status(directory: DirOption = DEFAULT_DIR) -> None:
    """Which fleet processes are running, and their peak memory."""
    records = processes.recorded(directory.absolute())
    if not records:
        out.print("no fleet processes recorded", highlight=False)
    for record in records:
        pgid = int(record["pid"])
        alive = processes.group_alive(pgid)
        peak = f"{processes.peak_rss_mb(pgid):.0f} MB peak" if alive else ""
        out.print(
            f"{record['name']:<12} pid {pgid:<8} {'running' if alive else 'gone':<8} {peak}",
            highlight=False,
        )
