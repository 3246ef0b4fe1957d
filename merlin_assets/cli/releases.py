"""`merlin history`, `merlin diff`, `merlin rollback` and `merlin edits`: a project's releases
from the command line. Registered on the `merlin` app by `register`."""

from __future__ import annotations

import difflib
import json
import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from merlin_assets.releases.changes import compare
from merlin_assets.releases.releases import ReleaseError, Releases
from merlin_assets.releases.summary import history_row
from merlin_assets.releases.text import visible_lines

out = Console()
err = Console(stderr=True, soft_wrap=True)

Project = Annotated[str, typer.Argument(help="A project id, or its config file.")]
OutDir = Annotated[
    Path | None, typer.Option("--out", help="Root folder of sites (default: sites/).")
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def project_id(project: str) -> str:
    """The id, from an id or a config file's path."""
    from merlin_assets.config.project import PROJECT_ID_RE, ConfigError, load_config

    path = Path(project)
    if path.suffix in {".yaml", ".yml", ".json"}:
        try:
            return load_config(path).project_id
        except ConfigError as exc:
            raise _fail(str(exc)) from None
    if not PROJECT_ID_RE.fullmatch(project):
        raise _fail(f"'{project}' is neither a project id nor a config file")
    return project


def open_releases(out_dir: Path | None) -> Releases:
    """The release store the sites are published to (folder, or the bucket on a fleet).

    Built here, not through the publisher: importing the engine and Dagster took 3.7 of the
    first 6.3 s `merlin history` measured (python -X importtime), for no use."""
    from merlin_assets import storage
    from merlin_assets.config.environment import Settings
    from merlin_assets.releases.backends import FolderBackend, ObjectBackend

    settings = Settings()
    where = storage.location(settings)
    if where is None:
        root = out_dir if out_dir is not None else settings.sites_dir
        backend = FolderBackend(Path(root).absolute())
    else:
        backend = ObjectBackend(storage.settings_filesystem(settings), where.path("sites"))
    return Releases(backend, keep=settings.keep_releases)


def open_artifacts():
    """The phase results store (`merlin_assets.storage.local.ArtifactStore`) the runs write,
    opened without Dagster, as `open_releases` opens the sites."""
    from merlin_assets import storage
    from merlin_assets.config.environment import Settings

    settings = Settings()
    work = Path(settings.work_dir) if settings.work_dir else _dagster_home() / "merlin"
    return storage.artifact_store(settings, work.absolute() / "artifacts")


def _dagster_home() -> Path:
    """Where `merlin_assets.cli.runs.ensure_dagster_home` puts the instance, without importing
    Dagster (2 s) to read a file path."""
    home = os.environ.get("DAGSTER_HOME")
    return Path(home) if home else Path.cwd() / ".merlin" / "dagster_home"


def _costs(project: str) -> dict[str, float]:
    """Each recorded run's cost, for releases whose manifest has none (runs are costed once
    they finish, after the publish)."""
    try:
        with _timings_store().connect() as con:
            rows = con.execute(
                "SELECT run_id, cost_usd FROM runs WHERE project = ?", [project]
            ).fetchall()
    except Exception:  # no timings yet: the history is still worth showing
        return {}
    return {r[0]: r[1] for r in rows if r[1] is not None}


def _timings_store():
    from merlin_assets.config.environment import Settings
    from merlin_assets.timings.store import default_db_path, timings_store

    settings = Settings()
    db = settings.timings_db or default_db_path(_dagster_home())
    return timings_store(settings, Path(db))


def history(
    project: Project,
    out_dir: OutDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
) -> None:
    """A project's releases, newest first: when, which run and config, what changed, cost.

    The live one is marked with *."""
    pid = project_id(project)
    store = open_releases(out_dir)
    manifests = store.manifests(pid)
    if not manifests:
        raise _fail(f"'{pid}' has no releases under {store.backend.location(pid)}", 1)
    live = store.live(pid)
    costs = _costs(pid)
    rows = [history_row(m, live=live, cost=costs.get(m.run_id or "")) for m in manifests[::-1]]
    if as_json:
        print(json.dumps(rows))
        return
    table = Table(title=f"releases of {pid}", show_edge=False)
    for col in ("", "release", "time", "kind", "run", "config", "pages", "images", "words"):
        table.add_column(col)
    table.add_column("cost $", justify="right")
    table.add_column("note")
    for r in rows:
        words = ", ".join(f"{p} {n}" for p, n in sorted(r["words_changed"].items()))
        table.add_row(
            "*" if r["live"] else "",
            r["release"],
            r["time"],
            r["kind"],
            (r["run_id"] or "-")[:8],
            (r["config_digest"] or "-")[:10],
            f"{r['pages']} +{r['pages_added']} ~{r['pages_changed']} -{r['pages_removed']}",
            f"{r['images']} +{r['images_added']} ~{r['images_changed']} -{r['images_removed']}",
            escape(words or "-"),
            "-" if r["cost_usd"] is None else f"{r['cost_usd']:.4f}",
            escape(r["note"] or ""),
        )
    Console(width=max(out.width, 200)).print(table)


def _text(store: Releases, pid: str, release: str, rel: str) -> list[str]:
    return [f"{line}\n" for line in visible_lines(store.read(pid, release, rel))]


def diff(
    project: Project,
    a: Annotated[str | None, typer.Argument(help="Older release (default: the previous).")] = None,
    b: Annotated[str | None, typer.Argument(help="Newer release (default: the live one).")] = None,
    out_dir: OutDir = None,
) -> None:
    """The visible text of each changed page as a unified diff, and the changed assets."""
    pid = project_id(project)
    store = open_releases(out_dir)
    try:
        new = store.resolve(pid, b, default="live")
        old = store.resolve(pid, a) if a is not None else store.before(pid, new)
        ma, mb = store.manifest(pid, old), store.manifest(pid, new)
    except ReleaseError as exc:
        raise _fail(str(exc), 1) from None
    changes = compare(
        ma.files, mb.files, lambda r: store.read(pid, old, r), lambda r: store.read(pid, new, r)
    )
    print(f"{old} -> {new}")
    pages = [*changes.pages_added, *changes.pages_changed, *changes.pages_removed]
    for rel in sorted(pages):
        before = _text(store, pid, old, rel) if rel in ma.files else []
        after = _text(store, pid, new, rel) if rel in mb.files else []
        lines = difflib.unified_diff(before, after, f"{old}/{rel}", f"{new}/{rel}")
        print("".join(lines), end="")
    assets = {
        "added": changes.images_added
        + [r for r in changes.other_changed if r in mb.files and r not in ma.files],
        "changed": changes.images_changed
        + [r for r in changes.other_changed if r in ma.files and r in mb.files],
        "removed": changes.images_removed
        + [r for r in changes.other_changed if r in ma.files and r not in mb.files],
    }
    for what, rels in assets.items():
        for rel in sorted(rels):
            size = mb.sizes.get(rel, ma.sizes.get(rel, 0))
            print(f"asset {what}: {rel} ({size} bytes)")
    if not pages and not any(assets.values()):
        print("no changes")


def rollback(
    project: Project,
    release: Annotated[
        str | None, typer.Argument(help="Release id or prefix (default: the previous).")
    ] = None,
    out_dir: OutDir = None,
) -> None:
    """Make an earlier release live in one step, then record it: a `site` materialization in
    Dagster and a row of the DuckDB `releases` table (the `rollback_site` job does the same
    from the UI).

    The switch comes first: through the job, Dagster's start-up and run record put about 6 s
    of CPU (53 s on a loaded 2-core machine) before a switch that takes 0.2 s."""
    pid = project_id(project)
    store = open_releases(out_dir)
    started = time.perf_counter()
    try:
        done = store.rollback(pid, release)
    except ReleaseError as exc:
        raise _fail(str(exc), 1) from None
    switch_s = time.perf_counter() - started
    if done.snapshot:
        out.print(f"hand edits in the live site kept as release {done.snapshot}", highlight=False)
    out.print(
        f"live: {done.release} (was {done.previous}); switched in {switch_s:.3f}s",
        highlight=False,
    )
    deploys = _deploy_rollback(pid, out_dir)
    _record_rollback(pid, done, switch_s, deploys)
    if any(d.error for d in deploys):
        raise typer.Exit(3)


def _deploy_rollback(pid: str, out_dir: Path | None) -> list:
    """Push the release now live to the hosts of the project's last validated config; a host
    that fails leaves the rollback done and is named (the command then exits 3)."""
    from merlin_assets import storage
    from merlin_assets.config.environment import Settings
    from merlin_assets.hosts import deploy_published

    settings = Settings()
    root = Path(settings.work_dir) if settings.work_dir else _dagster_home() / "merlin"
    try:
        config = storage.artifact_store(settings, root.absolute() / "artifacts").load_config(pid)
    except Exception:  # built elsewhere: the hosts are not known here
        out.print("hosts: no stored config for this project; nothing deployed", highlight=False)
        return []
    sites = Path(out_dir if out_dir is not None else settings.sites_dir).absolute()
    deploys = deploy_published(config, storage.publisher(settings, sites), pid)
    for d in deploys:
        if d.error:
            err.print(f"deploy failed: {escape(d.error)}", highlight=False)
        else:
            out.print(
                f"deployed to {d.host}: {d.files_uploaded} file(s), {d.bytes_uploaded} bytes sent",
                highlight=False,
            )
    return deploys


def _record_rollback(pid: str, done, switch_s: float, deploys: list) -> None:
    """The rollback as a runless `site` materialization and its `releases` row."""
    import dagster as dg

    from merlin_assets.releases.summary import rollback_metadata
    from merlin_assets.releases.table import release_row

    meta = {
        **rollback_metadata(done),
        "switch_s": round(switch_s, 4),
        "deploys": [d.as_dict() for d in deploys],
    }
    at = time.time()
    try:
        home = _dagster_home()
        home.mkdir(parents=True, exist_ok=True)
        with dg.DagsterInstance.from_config(str(home)) as instance:
            instance.report_runless_asset_event(
                dg.AssetMaterialization(
                    asset_key="site",
                    partition=pid,
                    description=f"rolled back to {done.release} (merlin rollback)",
                    metadata=meta,
                )
            )
        row = release_row(meta, project=pid, run_id="", at=at, run={})
        _timings_store().write_rows("releases", f"rollback-{pid}-{int(at * 1e6)}", [row])
    except Exception as exc:  # the switch is done and stays done
        err.print(f"[yellow]warning:[/] rollback not recorded: {escape(str(exc))}")


def _file_edits(pid: str) -> None:
    """The entries of the project's edits file as last applied, and what each changed."""
    from merlin_assets.edits.state import stored_edits

    state = stored_edits(open_artifacts(), pid)
    if state is None or not state.changes:
        print(f"no edits file applied to '{pid}'")
        return
    print(f"edits file {state.source} ({len(state.changes)} entries):")
    for c in state.changes:
        change = f": {c.generated!r} -> {c.now!r}" if c.what in ("set", "replaced") else ""
        print(f"  {c.what} {c.where}{change}")


def edits(project: Project, out_dir: OutDir = None) -> None:
    """The edits file's entries as last applied, and files of the live site edited by hand,
    with what each changed against what was generated (visible text for pages)."""
    pid = project_id(project)
    store = open_releases(out_dir)
    live = store.live(pid)
    if live is None:
        raise _fail(f"'{pid}' has no live release", 1)
    _file_edits(pid)
    found = store.hand_edits(pid)
    manifest = store.manifest(pid, live)
    conflicts = {e.path: e for e in manifest.hand_edits if e.outcome == "conflict"}
    if not found:
        print(f"no hand edits in the live site of '{pid}' (release {live})")
        return
    folder = store.backend.live_folder(pid)
    for e in found:
        state = "since the last publish" if e.since_publish else "carried by the last publish"
        words = f", {e.words_changed} words" if e.words_changed is not None else ""
        flag = (
            f"; CONFLICT, new version at {conflicts[e.path].new_path}"
            if e.path in conflicts
            else ""
        )
        print(f"{e.what} {e.path} ({state}{words}){flag}")
        if e.what == "edited" and e.path.endswith(".html") and folder is not None:
            made = [f"{x}\n" for x in visible_lines(store.read_generated(manifest, e.path))]
            now = [f"{x}\n" for x in visible_lines((folder / e.path).read_bytes())]
            lines = difflib.unified_diff(made, now, "generated", "live", n=1)
            print("".join(f"    {line}" for line in lines), end="")


def register(app: typer.Typer) -> None:
    for fn in (history, diff, rollback, edits):
        app.command(fn.__name__)(fn)
