"""`merlin`: generate a site from a config through Dagster, or start the Dagster UI."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from merlin_assets.cli.corpus import register as register_corpus_command
from merlin_assets.cli.edits import register as register_edits_command
from merlin_assets.cli.regenerate import register as register_regenerate
from merlin_assets.cli.releases import register as register_release_commands
from merlin_assets.config.project import ConfigError
from merlin_assets.fleet.cli import app as fleet_app
from merlin_assets.llm.endpoints import vision_configured
from merlin_assets.media.load import load_with_media

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help=__doc__, pretty_exceptions_enable=False
)
app.add_typer(fleet_app, name="fleet")
register_release_commands(app)
register_regenerate(app)
register_edits_command(app)
register_corpus_command(app)
out = Console()
# Errors name files and fields: never wrapped mid-path at the terminal width (a long
# temporary path was cut in two at 80 columns).
err = Console(stderr=True, soft_wrap=True)

# Each progress refresh reads the event log; at 5 a second that reading took a third of a core
# from the run it was showing (py-spy, `merlin bench`).
PROGRESS_EVERY_S = 0.5
# `merlin generate`'s exit statuses (README, "Using it"): 0 published in full, 1 the run failed,
# 2 bad input, 3 published but a polish node (fonts, icons, review) degraded.
EXIT_DEGRADED = 3


@app.command()
def generate(
    config_path: Annotated[Path, typer.Argument(help="Project config (.yaml, .yml or .json).")],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Root folder for sites (default: sites/).")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(help="Calls in flight at once (default: MERLIN_MAX_CONCURRENCY or 8)."),
    ] = None,
    rules: Annotated[
        bool,
        typer.Option(
            "--rules",
            "--offline",
            help="Write and draw everything by rules; no model service is called.",
        ),
    ] = False,
) -> None:
    """Build the site for one project config and publish it under the sites folder.

    Exit status: 0 the site was published in full; 1 the run failed (the last good site is
    untouched); 2 bad input (the config or an option) or a model service that cannot be
    reached or refuses every key (checked before the run; `--rules` goes on without it); 3 the
    site was published, but a polish part (fonts, icons, content review) failed and was left
    out: see the `degraded:` lines.
    """
    try:
        # A photo without alt is refused here unless a vision model will describe it.
        config = load_with_media(config_path, vision=not rules and vision_configured())
    except ConfigError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
        raise typer.Exit(2) from None
    if concurrency is not None and concurrency < 1:
        err.print("[bold red]error:[/] --concurrency must be at least 1")
        raise typer.Exit(2)
    # Before Dagster is even imported: a dead service costs a second or two, not the run.
    dead = [] if rules else _check_services()

    # Dagster is imported only once the config is known to be good: a bad file costs nothing.
    import dagster as dg

    from merlin_assets.cli.runs import cli_run_tags, ensure_dagster_home, fail_orphaned_runs
    from merlin_assets.definitions import defs as load_defs
    from merlin_assets.defs.resources import LLMResource, PathsResource
    from merlin_assets.timings.run_report import RunReport

    ensure_dagster_home(Path.cwd())
    if out_dir is not None:
        os.environ["MERLIN_SITES_DIR"] = str(out_dir.absolute())
    instance = dg.DagsterInstance.get()
    for orphan in fail_orphaned_runs(instance):
        err.print(
            f"marked run {orphan} failed: its merlin generate process was killed", soft_wrap=True
        )
        # What the killed run finished, and the calls it paid for, still count in the timings
        # store (no daemon's sensor watches an in-process run).
        _record_timings(instance, orphan)
    project_id = config.project_id
    if not instance.has_dynamic_partition("projects", project_id):
        instance.add_dynamic_partitions("projects", [project_id])
    job = load_defs().resolve_job_def("generate_site")
    llm = LLMResource.from_env(
        max_concurrency=concurrency,
        provider="offline" if rules else None,
        dead_endpoints=dead or None,
    )
    run_id = str(uuid.uuid4())
    result: dict = {}

    def execute() -> None:
        try:
            result["value"] = job.execute_in_process(
                instance=instance,
                partition_key=project_id,
                run_id=run_id,
                run_config={
                    "ops": {
                        "site_pipeline": {
                            "config": {"config_path": str(Path(config_path).absolute())}
                        }
                    },
                    # Progress comes from the event log; Dagster's own lines would bury it.
                    "loggers": {"console": {"config": {"log_level": "WARNING"}}},
                },
                resources={
                    "llm": llm,
                    "paths": PathsResource.from_env(),
                },
                tags={
                    "merlin/source": "cli",
                    "merlin/config_hash": config.content_hash(),
                    **cli_run_tags(),
                },
                raise_on_error=False,
            )
        except BaseException as exc:  # surfaced below, after progress stops
            result["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=execute, name="merlin-run", daemon=True)
    worker.start()
    report = RunReport(run_id=run_id)
    _follow(worker, report, instance)
    elapsed = time.monotonic() - started

    _record_timings(instance, run_id)
    if "error" in result:
        err.print(f"[bold red]error:[/] {result['error']}")
        raise typer.Exit(1)
    outcome = result["value"]
    report.refresh(instance)
    if not outcome.success:
        failure = _first_failure(outcome)
        err.print(f"[bold red]run {run_id} failed:[/] {failure}", highlight=False)
        err.print("the last good site, if any, is untouched")
        raise typer.Exit(1)
    _summary(report, elapsed, project_id)
    _written_by(report, rules, llm.provider_name())
    if report.degraded:
        raise typer.Exit(EXIT_DEGRADED)


def _follow(worker: threading.Thread, report, instance) -> None:
    """Show phases, images and pages done out of planned until the run ends."""
    from merlin_assets.timings.run_report import PHASE_ASSETS

    phase_total = len(PHASE_ASSETS)
    tty = out.is_terminal
    if tty:
        with Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=out,
            transient=False,
        ) as bar:
            tasks = {
                "phases": bar.add_task("phases", total=phase_total),
                "images": bar.add_task("images", total=None),
                "pages": bar.add_task("pages", total=None),
            }
            while True:
                alive = worker.is_alive()
                report.refresh(instance)
                bar.update(tasks["phases"], completed=report.phases_done)
                bar.update(
                    tasks["images"],
                    completed=report.done("site_images"),
                    total=report.planned_images,
                )
                bar.update(
                    tasks["pages"],
                    completed=report.done("site_pages"),
                    total=report.planned_pages,
                )
                if not alive:
                    break
                time.sleep(PROGRESS_EVERY_S)
        return
    shown = 0
    while True:
        alive = worker.is_alive()
        report.refresh(instance)
        for item in report.items[shown:]:
            name = f"{item.asset}[{item.partition}]" if item.partition else item.asset
            out.print(
                f"done {name} in {item.duration_s:.2f}s  "
                f"(phases {report.phases_done}/{phase_total}, "
                f"images {report.done('site_images')}/{report.planned_images or '?'}, "
                f"pages {report.done('site_pages')}/{report.planned_pages or '?'})",
                highlight=False,
                markup=False,
            )
        shown = len(report.items)
        if not alive:
            break
        time.sleep(PROGRESS_EVERY_S)


def _first_failure(outcome) -> str:
    for event in outcome.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            if error is not None:
                # The innermost cause is the one that names the file or the field.
                while error.cause is not None:
                    error = error.cause
                return error.message.strip()
    return "unknown failure"


def _font_notes(report) -> None:
    """The fonts a site substituted or left to the visitor's system (site_fonts' notes)."""
    item = next((i for i in report.items if i.asset == "site_fonts"), None)
    notes = item.meta.get("notes") if item else None
    for note in [n for n in notes if n != "none"] if isinstance(notes, list) else []:
        out.print(f"  font: {escape(str(note)[:200])}", highlight=False)


def _deploys(report) -> None:
    """Each host the site went to (merlin_assets.hosts), and each that failed, by name."""
    item = next((i for i in report.items if i.asset == "site"), None)
    deploys = item.meta.get("deploys") if item else None
    for d in deploys if isinstance(deploys, list) else []:
        if d.get("error"):
            line = f"[bold red]deploy failed:[/] {escape(str(d['error'])[:300])}"
        else:
            line = (
                f"deployed to {escape(str(d.get('host')))}: {d.get('files_uploaded')} file(s), "
                f"{d.get('bytes_uploaded')} bytes sent, {escape(str(d.get('url')))}"
            )
        out.print(line, highlight=False, soft_wrap=True)


def _summary(report, elapsed: float, project_id: str) -> None:
    where = report.site_path or ""
    if "://" in where:  # a site in an object store: its URL, not a local path
        shown: Path | str = where.rstrip("/") + "/index.html"
    else:
        site = Path(where) / "index.html"
        try:
            shown = site.relative_to(Path.cwd())
        except ValueError:
            shown = site
    out.print(f"\n[bold green]site ready:[/] {shown}", highlight=False)
    _deploys(report)
    for item in report.degraded:
        error, made = escape(str(item.meta.get("degraded_error"))), item.meta.get("published_with")
        out.print(
            f"[yellow]degraded:[/] {item.asset} failed ({error}); published with {made}",
            highlight=False,
            soft_wrap=True,
        )
    wall, total = report.wall_s(), report.sum_s()
    speedup = total / wall if wall else 0.0
    out.print(
        f"run {report.run_id}: {elapsed:.1f}s in all, graph {wall:.2f}s, "
        f"items {total:.2f}s summed ({speedup:.1f}x parallel)",
        highlight=False,
    )
    table = Table(title="slowest items", show_edge=False)
    table.add_column("item")
    table.add_column("seconds", justify="right")
    for item in sorted(report.items, key=lambda i: i.duration_s, reverse=True)[:6]:
        name = f"{item.asset}[{item.partition}]" if item.partition else item.asset
        table.add_row(
            escape(name) + (" (fallback)" if item.fallback else ""), f"{item.duration_s:.2f}"
        )
    out.print(table)
    sources = [str(i.meta.get("source")) for i in report.items if i.asset == "site_images"]
    if "user" in sources:
        others = len(sources) - sources.count("user")
        out.print(
            f"images: {sources.count('user')} the business's own photos, {others} generated",
            highlight=False,
        )
    fell_back = [i for i in report.items if i.fallback]
    if fell_back:
        reasons = sorted({str(i.meta.get("fallback_reason", "")) for i in fell_back} - {""})
        capped = any("spending cap" in r for r in reasons)
        out.print(
            f"[yellow]{len(fell_back)} item(s) used rule-based fallbacks[/]"
            + (" — the project's spending cap was reached" if capped else ""),
            highlight=False,
        )
        for reason in reasons[:3]:
            out.print(f"  {escape(reason[:160])}", highlight=False)
    flagged = [i for i in report.items if i.meta.get("gate_findings")]
    if flagged:
        redone = sum(1 for i in flagged if i.meta.get("regenerated"))
        fields = sum(len(i.meta.get("field_fallbacks") or []) for i in flagged)
        removed = sum(len(i.meta.get("removed_sentences") or []) for i in flagged)
        out.print(
            f"[yellow]content gate: {len(flagged)} item(s) flagged, {redone} regenerated, "
            f"{removed} sentence(s) removed, {fields} field(s) written by the rules[/]",
            highlight=False,
        )
        for item in flagged[:3]:
            first = str((item.meta.get("gate_findings") or [""])[0])
            out.print(f"  {escape(first[:160])}", highlight=False)
    _font_notes(report)
    passed = sum(report.checks.values())
    out.print(
        f"quality: {passed}/{len(report.checks)} checks passed "
        f"(score {report.quality_score if report.quality_score is not None else '-'})",
        highlight=False,
    )
    for name, ok in sorted(report.checks.items()):
        if not ok:
            first = (report.check_findings.get(name) or [""])[0]
            out.print(f"  [yellow]✗ {name}[/]: {first}", highlight=False)


def _check_services() -> list[str]:
    """Ask each model service once (llm/preflight.py); exit 2 when none can be used, warn about
    each that cannot or is slow. Returns the endpoints found dead."""
    import asyncio

    from pydantic import ValidationError

    from merlin_assets.llm import preflight
    from merlin_assets.llm.endpoints import EndpointsFileError
    from merlin_assets.phases import graph as node_graph

    try:
        targets = preflight.targets_from_env(node_graph().phases)
    except EndpointsFileError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except ValidationError:
        return []  # a bad MERLIN_ setting: the run names it
    if not targets:
        return []
    verdicts = asyncio.run(preflight.check(targets))
    if all(v.dead for v in verdicts):
        line = escape(preflight.refusal(verdicts))
        err.print(f"[bold red]error:[/] {line}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    for line in preflight.warnings(verdicts):
        err.print(f"[yellow]warning:[/] {escape(line)}", highlight=False, soft_wrap=True)
    return [v.target.name for v in verdicts if v.dead]


def _written_by(report, rules: bool, provider: str) -> None:
    """The last line: how many items the model wrote, and why the rules wrote the others."""
    from merlin_assets.config.environment import Settings
    from merlin_assets.llm.authorship import written_by

    offline = ""
    if provider == "offline":
        chosen = "MERLIN_LLM=offline" if Settings().llm == "offline" else "no API key set"
        offline = "run with --rules" if rules else chosen
    line = written_by([i.meta for i in report.items], offline=offline)
    style = "green" if line.endswith("by rules: 0") else "yellow"
    out.print(f"[{style}]{escape(line)}[/]", highlight=False, soft_wrap=True)


def _timings_store(instance=None):
    from merlin_assets.cli.runs import ensure_dagster_home
    from merlin_assets.config.environment import Settings
    from merlin_assets.timings.store import default_db_path, timings_store

    settings = Settings()
    if settings.timings_db:
        return timings_store(settings, Path(settings.timings_db))
    root = instance.root_directory if instance is not None else ensure_dagster_home(Path.cwd())
    return timings_store(settings, default_db_path(root))


def _record_timings(instance, run_id: str) -> None:
    """Record this run in the timings store now; the daemon's sensor may too (same rows)."""
    from merlin_assets.timings.ingest import ingest_run

    try:
        ingest_run(instance, run_id, _timings_store(instance))
    except Exception as exc:  # the site matters more than its timings; the sensor retries
        err.print(f"[yellow]warning:[/] run timings not recorded: {exc}", highlight=False)


@app.command()
def timings(
    run: Annotated[str | None, typer.Option("--run", help="Run id (default: the latest).")] = None,
    project: Annotated[
        str | None, typer.Option("--project", help="The latest run of this project.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    gantt: Annotated[
        Path | None, typer.Option("--gantt", help="Also draw the run's timeline to this PNG.")
    ] = None,
) -> None:
    """How a recorded run went: wall time, parallelism, critical path, calls, tokens and cost."""
    from merlin_assets.timings import display

    store = _timings_store()
    run_id = run or store.latest_run_id(project)
    summary = store.summary(run_id) if run_id else None
    if summary is None:
        what = f"run {run}" if run else f"runs of project '{project}'" if project else "runs"
        err.print(f"[bold red]error:[/] no {what} recorded in {store.db_path}", highlight=False)
        raise typer.Exit(1)
    items, calls, groups = store.items(run_id), store.calls(run_id), store.groups(run_id)
    if gantt is not None:
        from merlin_assets.timings import gantt as drawing
        from merlin_assets.timings.report import ratios

        title = f"{summary['project']} · run {run_id[:8]} · {summary['status'].lower()}"
        png = drawing.draw(items, calls, title=title, summary={**summary, **ratios(summary)})
        gantt.parent.mkdir(parents=True, exist_ok=True)
        gantt.write_bytes(png)
    if as_json:
        # Plain print: a console would wrap long values and break the JSON.
        print(json.dumps(display.as_json(summary, groups)))
    else:
        display.print_run(out, summary, items, groups)
        if gantt is not None:
            out.print(f"timeline written to {gantt}", highlight=False)


@app.command()
def bench(
    quick: Annotated[
        bool, typer.Option("--quick", help="Only a scaled-down seed profile (seconds).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            help="Run only these (repeatable): seed, original, wide, many, cached, fleet, "
            "offline; or `mutation` alone (mutmut's score of the gate, budgets and config); "
            "or `media` alone (20 photos of 12 MP checked, cropped, encoded and cached); or "
            "`lifecycle` alone (history of 200 releases, rollback, unchanged redeploys); or "
            "`lighthouse` alone (the photo example's home page, mobile and desktop).",
        ),
    ] = None,
    keep: Annotated[
        Path | None, typer.Option("--keep", help="Work in this folder and keep it (default: temp).")
    ] = None,
) -> None:
    """Build sites through real Dagster runs against a local OpenAI-compatible server, and time
    them: parallel against sequential, the critical path, and rate limits at scale."""
    import tempfile

    from merlin_assets.bench import report
    from merlin_assets.bench import scenarios as sc
    from merlin_assets.bench.runner import Bench, machine

    names = scenario or list(sc.SCENARIOS)
    if names == ["mutation"]:
        # Not a site build: mutmut over the gate, budgets and config (bench/mutation.py).
        from merlin_assets.bench import mutation

        raise typer.Exit(mutation.main([]))
    if names == ["media"]:
        # Not a site build: the business's own photos checked, cut and encoded (bench/media.py).
        from merlin_assets.bench import media

        print(media.main(quick=quick, keep=keep))
        return
    if names == ["lighthouse"]:
        # Not a site build timing: Lighthouse's scores of the example's home page, served
        # from 127.0.0.1 (bench/lighthouse.py; needs npx and chromium).
        from merlin_assets.bench import lighthouse

        print(lighthouse.main(keep=keep))
        return
    if names == ["lifecycle"]:
        # Not a site build: releases, rollback and host redeploys (bench/lifecycle.py).
        from merlin_assets.bench import lifecycle

        raise typer.Exit(lifecycle.main([]))
    unknown = [n for n in names if n not in sc.SCENARIOS]
    if unknown:
        err.print(f"[bold red]error:[/] unknown scenarios {unknown}; known: {list(sc.SCENARIOS)}")
        raise typer.Exit(2)
    chosen = [sc.QUICK] if quick else [sc.SCENARIOS[n] for n in names]
    if quick and names == ["fleet"]:
        chosen = [sc.QUICK_FLEET]
    with contextlib.ExitStack() as stack:
        if keep is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="merlin-bench-")))
        else:
            workdir = keep.absolute()
            workdir.mkdir(parents=True, exist_ok=True)
        runner = stack.enter_context(
            Bench(
                workdir,
                log=lambda line: err.print(line, highlight=False, markup=False, soft_wrap=True),
            ).serving()
        )
        rows = runner.run(chosen)
    info = machine()
    if as_json:
        print(json.dumps(report.as_json(rows, info, quick)))
    else:
        # The table is wide; a pipe or a CI log should get it whole, not squeezed to 80.
        wide = out if out.is_terminal else Console(width=220)
        wide.print(
            f"{info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']} GB, "
            f"Python {info['python']}, Dagster {info['dagster']}",
            highlight=False,
        )
        wide.print(report.table(rows))
        if not quick:
            wide.print(report.verdict_table(report.verdicts(rows)))
    if any(r.status != "ok" for r in rows):
        raise typer.Exit(1)


@app.command()
def dev(
    port: Annotated[int, typer.Option(help="Port for the Dagster UI on 127.0.0.1.")] = 3000,
) -> None:
    """Start `dagster dev` on 127.0.0.1 with the same Dagster home as `merlin generate`."""
    from merlin_assets.cli.runs import ensure_dagster_home

    ensure_dagster_home(Path.cwd())
    args = ["dagster", "dev", "-h", "127.0.0.1", "-p", str(port)]
    if Path("workspace.yaml").is_file():
        args += ["-w", "workspace.yaml"]
    os.execvp(args[0], args)


@app.command()
def graph(
    out_path: Annotated[
        Path, typer.Option("--out", help="PNG to write (default: docs/asset-graph.png).")
    ] = Path("docs/asset-graph.png"),
) -> None:
    """Draw the asset graph, as the phase modules declare it, to a PNG."""
    from merlin_assets.cli.docs_graph import write

    picture = write(out_path)
    out.print(f"{len(picture.nodes)} nodes, {len(picture.edges)} edges drawn to {out_path}")


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
