"""`merlin regenerate`: one page's copy, or one section of it, redone with a note and published
as a new release. Runs the `regenerate_page` job in process (the UI launches the same job).
Registered on the `merlin` app by `register`."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from merlin_assets.cli.releases import OutDir, Project, err, out, project_id

EXIT_BAD_INPUT, EXIT_FAILED, EXIT_HOST_FAILED = 2, 1, 3


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def _home() -> Path:
    home = os.environ.get("DAGSTER_HOME")
    return Path(home) if home else Path.cwd() / ".merlin" / "dagster_home"


def _check(pid: str, page: str, section: int | None, note: str | None) -> None:
    """The page and section exist in the project's stored plan; checked before Dagster is
    imported or anything is written (a bad slug costs a fraction of a second)."""
    from merlin_assets import storage
    from merlin_assets.config.environment import Settings
    from merlin_assets.edits.state import stored_edits
    from merlin_assets.phases.site_pages.redo import Redo, RedoError, choose
    from merlin_assets.storage.local import MissingArtifactError
    from merlin_assets.types.pages import PagePlan

    settings = Settings()
    root = (Path(settings.work_dir) if settings.work_dir else _home() / "merlin").absolute()
    artifacts = root / "artifacts"
    # A local store that does not exist is not created by looking into it.
    if storage.location(settings) is None and not (artifacts / pid).is_dir():
        raise _fail(
            f"'{pid}' has no stored results under {artifacts}: run `merlin generate` first",
            EXIT_BAD_INPUT,
        )
    try:
        store = storage.artifact_store(settings, artifacts)
        plan = store.load(pid, "page_plan", PagePlan)
        choose(plan, Redo(page, section, note), pid, stored_edits(store, pid))
    except (MissingArtifactError, RedoError) as exc:
        raise _fail(str(exc), EXIT_BAD_INPUT) from None


def regenerate(
    project: Project,
    page: Annotated[str, typer.Option("--page", help="The page's slug (home, about, ...).")],
    section: Annotated[
        int | None,
        typer.Option("--section", help="The section to redo, from 1 (default: the whole page)."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help='What to change: "warmer, mention the harbour".')
    ] = None,
    rules: Annotated[
        bool,
        typer.Option("--rules", "--offline", help="Write by rules; no model service is called."),
    ] = False,
    out_dir: OutDir = None,
) -> None:
    """Redo one page's copy, or one section of it, in one model call that carries the note.

    Everything else comes from the last run's stored results: the other pages, the images and
    the CSS are published byte for byte as they were. The page goes live as a new release whose
    note says what was asked (`merlin history`), and is pushed to the config's hosts.

    Exit status: 0 done; 1 the run failed (the live site is untouched); 2 bad input (a page or
    section the project does not have, or no stored results); 3 a host failed (the new
    release is live locally).
    """
    started = time.perf_counter()
    pid = project_id(project)
    if out_dir is not None:
        os.environ["MERLIN_SITES_DIR"] = str(out_dir.absolute())
    _check(pid, page, section, note)

    import dagster as dg

    from merlin_assets.cli.runs import cli_run_tags, ensure_dagster_home
    from merlin_assets.defs.releases.regenerate import regenerate_page
    from merlin_assets.defs.resources import LLMResource, PathsResource

    ensure_dagster_home(Path.cwd())
    instance = dg.DagsterInstance.get()
    run_id = str(uuid.uuid4())
    asked = {"project": pid, "page": page, "section": section, "note": note}
    # The job alone, not the whole code location: loading every definition (the asset graph,
    # sensors, the components Dagster finds) took 1.7 s of the command's 8.8 s.
    result = regenerate_page.execute_in_process(
        instance=instance,
        run_id=run_id,
        run_config={
            "ops": {"regenerate": {"config": {k: v for k, v in asked.items() if v is not None}}},
            "loggers": {"console": {"config": {"log_level": "WARNING"}}},
        },
        resources={
            "llm": LLMResource.from_env(provider="offline" if rules else None),
            "paths": PathsResource.from_env(),
        },
        tags={"merlin/source": "cli", **cli_run_tags()},
        raise_on_error=False,
    )
    _record(instance, run_id)
    if not result.success:
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        message = failure.step_failure_data.error.message if failure else "unknown failure"
        raise _fail(f"run {run_id} failed: {message.strip()}", EXIT_FAILED)
    _report(result, time.perf_counter() - started)


def _report(result, elapsed: float) -> None:
    """The release now live, the calls made for it, and each host."""
    mats = {
        m.asset_key.to_user_string(): {k: getattr(v, "value", v) for k, v in m.metadata.items()}
        for m in result.asset_materializations_for_node("regenerate")
    }
    page, site = mats.get("site_pages", {}), mats["site"]
    calls = page.get("llm_calls", 0)
    how = [f"{calls} model call{'s' if calls != 1 else ''} ({page.get('provider', '-')})"]
    if page.get("regenerated"):
        how.append("the content gate asked once more")
    if page.get("field_fallbacks"):
        how.append(f"by rules: {', '.join(page['field_fallbacks'])}")
    # The run's own seconds to the release going live, beside the command's: Dagster's start
    # and the records after take most of the rest.
    live = f"live after {site['live_s']:.3f} s of the run, {elapsed:.1f} s in all"
    out.print(
        f"live: {site['release']} ({site.get('note', '')}); {'; '.join(how)}; {live}",
        highlight=False,
        soft_wrap=True,
    )
    failed = False
    for d in site.get("deploys") or []:
        if d.get("error"):
            failed = True
            err.print(f"deploy failed: {escape(d['error'])}", highlight=False)
        else:
            out.print(f"deployed to {d['host']}: {d['files_uploaded']} file(s)", highlight=False)
    if failed:
        raise typer.Exit(EXIT_HOST_FAILED)


def _record(instance, run_id: str) -> None:
    """The run in the timings store now (its `releases` row carries the note)."""
    from merlin_assets.config.environment import Settings
    from merlin_assets.timings.ingest import ingest_run
    from merlin_assets.timings.store import default_db_path, timings_store

    settings = Settings()
    db = settings.timings_db or default_db_path(instance.root_directory)
    try:
        ingest_run(instance, run_id, timings_store(settings, Path(db)))
    except Exception as exc:  # the page is live; the daemon's sensor records the run later
        err.print(f"[yellow]warning:[/] run not recorded in the timings store: {exc}")


def register(app: typer.Typer) -> None:
    app.command("regenerate")(regenerate)
