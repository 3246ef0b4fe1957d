"""`merlin regenerate`: one page's copy, or one section of it, redone with a note and published
as a new release. Registered on the `merlin` app by `register`.

The command makes the page live before it imports Dagster: at the seed profile the model
answers in 1.0 s, and importing Dagster and opening its instance took 1.2 s more before the
run could start (the page was live 5.2 s after the command started; now about 2.5 s,
`merlin bench --scenario lifecycle`). It then reports what it did as runless materializations
of `site_pages` and `site` (as the projects sensor does for an edits file) and writes the
release's row, cost and note included, to the DuckDB `releases` table. The UI runs the same
work as the `regenerate_page` job (`defs/releases/regenerate.py`)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from merlin_assets.cli.releases import OutDir, Project, err, out, project_id

if TYPE_CHECKING:
    from merlin_assets.config.environment import Settings
    from merlin_assets.engine.redo import Redone
    from merlin_assets.hosts.base import Deploy
    from merlin_assets.phases.site_pages.redo import Redo
    from merlin_assets.storage.local import ArtifactStore
    from merlin_assets.types.pages import PagePlan

EXIT_BAD_INPUT, EXIT_FAILED, EXIT_HOST_FAILED = 2, 1, 3


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def _home() -> Path:
    home = os.environ.get("DAGSTER_HOME")
    return Path(home) if home else Path.cwd() / ".merlin" / "dagster_home"


def _check(pid: str, redo: Redo, settings: Settings) -> tuple[ArtifactStore, PagePlan]:
    """The project's store and plan, the page and section checked against it before anything
    is written (a bad slug costs a fraction of a second)."""
    from merlin_assets import storage
    from merlin_assets.edits.state import stored_edits
    from merlin_assets.phases.site_pages.redo import RedoError, choose
    from merlin_assets.storage.local import MissingArtifactError
    from merlin_assets.types.pages import PagePlan

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
        choose(plan, redo, pid, stored_edits(store, pid))
    except (MissingArtifactError, RedoError) as exc:
        raise _fail(str(exc), EXIT_BAD_INPUT) from None
    return store, plan


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
    fact_check: Annotated[
        bool,
        typer.Option(
            "--fact-check",
            help="Also have the fact-check judge read the new copy: a second model call. "
            "Without it the content gate's rules still check every claim.",
        ),
    ] = False,
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

    Exit status: 0 done; 1 the redo failed (the live site is untouched); 2 bad input (a page or
    section the project does not have, or no stored results); 3 a host failed (the new
    release is live locally).
    """
    started = time.perf_counter()
    from merlin_assets import storage
    from merlin_assets.config.environment import Settings
    from merlin_assets.engine.providers import ProviderUnavailable, open_llm, values_from_env
    from merlin_assets.engine.redo import NoLiveSite, redo_release, release_note
    from merlin_assets.phases.site_pages.redo import Redo
    from merlin_assets.releases.manifest import ReleaseInfo

    pid = project_id(project)
    if out_dir is not None:
        os.environ["MERLIN_SITES_DIR"] = str(out_dir.absolute())
    settings = Settings()
    redo = Redo(page, section, note or None)
    store, plan = _check(pid, redo, settings)
    publisher = storage.publisher(settings, settings.sites_dir.absolute())
    if publisher.release_store is None or publisher.release_store.live(pid) is None:
        raise _fail(f"'{pid}' has no live site to redo a page of", EXIT_BAD_INPUT)
    # Names the release, the spending ledger and the reported events, as a run id would.
    key = str(uuid.uuid4())
    values = values_from_env(provider="offline" if rules else None, fact_check=fact_check)
    try:
        redone = redo_release(
            open_llm(values, scope=key),
            store,
            publisher,
            project_id=pid,
            redo=redo,
            info=ReleaseInfo(run_id=key, note=release_note(redo)),
            run_id=key,
            max_concurrency=values["max_concurrency"],
        )
    except (ProviderUnavailable, NoLiveSite) as exc:
        raise _fail(str(exc), EXIT_FAILED) from None
    except Exception as exc:  # the live site is untouched: say what failed
        raise _fail(f"the page was not redone: {type(exc).__name__}: {exc}", EXIT_FAILED) from None
    live_s = time.perf_counter() - started
    deploys = _deploy(store, publisher, pid)
    _record(pid, plan, redo, redone, key, live_s=live_s, deploys=deploys)
    _report(redone, deploys, live_s, time.perf_counter() - started)


def _deploy(store: ArtifactStore, publisher, pid: str) -> list[Deploy]:
    """The live release pushed to the hosts the project's last validated config names."""
    from merlin_assets.hosts import deploy_published
    from merlin_assets.storage.local import MissingArtifactError

    try:
        config = store.load_config(pid)
    except MissingArtifactError:  # published by another instance: its hosts are not known
        err.print("[yellow]warning:[/] no stored config for this project: no host deployed to")
        return []
    return deploy_published(config, publisher, pid)


def _record(
    pid: str,
    plan: PagePlan,
    redo: Redo,
    redone: Redone,
    key: str,
    *,
    live_s: float,
    deploys: list[Deploy],
) -> None:
    """The redo in Dagster (runless materializations of the page and the site, shown in the
    UI's asset pages) and its row in the DuckDB `releases` table, once the page is live."""
    import dagster as dg

    from merlin_assets.cli.runs import ensure_dagster_home
    from merlin_assets.defs.releases.regenerate import materializations
    from merlin_assets.timings.ingest import record_release

    ensure_dagster_home(Path.cwd())
    instance = dg.DagsterInstance.get()
    mats = materializations(pid, plan, redo, redone, live_s=round(live_s, 4), deploys=deploys)
    for mat in mats:
        instance.report_runless_asset_event(mat)
    try:
        record_release(
            instance,
            pid,
            key,
            dict(mats[-1].metadata),
            cost_usd=redone.published.manifest.cost_usd,
        )
    except Exception as exc:  # the page is live and in Dagster; the table is a copy
        err.print(f"[yellow]warning:[/] release not recorded in the timings store: {exc}")


def _report(redone: Redone, deploys: list[Deploy], live_s: float, elapsed: float) -> None:
    """The release now live, the calls made for it, and each host."""
    from merlin_assets.hosts import failures

    page = redone.page
    calls = len(page.calls)
    provider = page.calls[0].provider if page.calls else "-"
    how = [f"{calls} model call{'s' if calls != 1 else ''} ({provider})"]
    if page.regenerated:
        how.append("the content gate asked once more")
    if page.field_fallbacks:
        how.append(f"by rules: {', '.join(page.field_fallbacks)}")
    live = f"live after {live_s:.3f} s, {elapsed:.1f} s in all"
    note = redone.published.manifest.note or ""
    out.print(
        f"live: {redone.published.release} ({note}); {'; '.join(how)}; {live}",
        highlight=False,
        soft_wrap=True,
    )
    for d in deploys:
        if d.error:
            err.print(f"deploy failed: {escape(d.error)}", highlight=False)
        else:
            out.print(f"deployed to {d.host}: {d.files_uploaded} file(s)", highlight=False)
    if failures(deploys):
        raise typer.Exit(EXIT_HOST_FAILED)


def register(app: typer.Typer) -> None:
    app.command("regenerate")(regenerate)
