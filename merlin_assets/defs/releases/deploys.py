"""The live release pushed to the project's hosts, after a publish that is not a whole run's
(a page redone from the UI or on request): the run's own publish deploys in the `site` node."""

import dagster as dg

from merlin_assets.defs.resources import PathsResource
from merlin_assets.hosts import deploy_published, failures
from merlin_assets.hosts.base import Deploy
from merlin_assets.storage.local import MissingArtifactError


def deploy_live(
    context: dg.OpExecutionContext, paths: PathsResource, project_id: str
) -> list[Deploy]:
    """Deploy the project's live site to the hosts its last validated config names; a host
    that fails leaves the local release live and is named in the log (and the records)."""
    try:
        config = paths.store(context.instance).load_config(project_id)
    except MissingArtifactError:  # published by another instance: its hosts are not known here
        context.log.warning("no stored config for this project: no host was deployed to")
        return []
    deploys = deploy_published(config, paths.publisher(), project_id)
    for failed in failures(deploys):
        context.log.error(f"deploy failed: {failed}")
    return deploys
