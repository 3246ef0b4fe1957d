"""Rollback from the UI: make an earlier release of a project live again (`merlin rollback`
switches the same way from the command line and records the same materialization).

Launch `rollback_site` from the UI's launchpad with the project and, optionally, the release
(a full id or a unique prefix; empty means the release before the live one):

    ops:
      rollback:
        config: {project: crumb-co-bakery, release: "20261206T1855"}
"""

import time

import dagster as dg
from pydantic import Field

from merlin_assets.defs.resources import PathsResource
from merlin_assets.hosts import deploy_published, failures
from merlin_assets.releases.releases import ReleaseError
from merlin_assets.releases.summary import rollback_metadata
from merlin_assets.storage.local import MissingArtifactError


class RollbackConfig(dg.Config):
    """Which project, and which of its releases to make live."""

    project: str = Field(description="The project id (its partition in `projects`).")
    release: str | None = Field(
        default=None,
        description="A release id or a unique prefix of one; unset: the one before the live one",
    )


@dg.op(name="rollback", tags={"kind": "html"})
def rollback_op(context: dg.OpExecutionContext, config: RollbackConfig, paths: PathsResource):
    """Switch the project's live site to the chosen release in one step, push it to the
    config's hosts, and record it as a materialization of `site` (metadata: the release, the
    one it replaced, each deploy)."""
    store = paths.publisher().release_store
    if store is None:
        raise dg.Failure("this publisher keeps no releases")
    started = time.perf_counter()
    try:
        done = store.rollback(config.project, config.release or None)
    except ReleaseError as exc:
        raise dg.Failure(str(exc)) from None
    switch_s = round(time.perf_counter() - started, 4)
    # Then the hosts the project's last validated config names get the release now live; a
    # host that fails leaves the local rollback done and is named (as a publish does).
    try:
        project_config = paths.store(context.instance).load_config(config.project)
    except MissingArtifactError:  # published by another instance: its hosts are not known here
        context.log.warning("no stored config for this project: no host was deployed to")
        deploys = []
    else:
        deploys = deploy_published(project_config, paths.publisher(), config.project)
    for failed in failures(deploys):
        context.log.error(f"deploy failed: {failed}")
    context.log_event(
        dg.AssetMaterialization(
            asset_key="site",
            partition=config.project,
            description=f"rolled back to {done.release}",
            metadata={
                **rollback_metadata(done),
                "switch_s": dg.MetadataValue.float(switch_s),
                "deploys": dg.MetadataValue.json([d.as_dict() for d in deploys]),
            },
        )
    )
    return done.release


@dg.job(
    name="rollback_site",
    description="Make an earlier release of a project's site live again (atomically).",
    executor_def=dg.in_process_executor,
    tags={"merlin/job": "rollback"},
)
def rollback_site():
    rollback_op()


@dg.definitions
def jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[rollback_site])
