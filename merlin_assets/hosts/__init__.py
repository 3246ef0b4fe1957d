"""Publishing to hosts: a published site deployed to the places the config's `publish:` names.

One module per host (`folder`, `s3`, `github_pages`, `netlify`), each a `Publisher` whose
`deploy(site_dir)` returns a `Deploy` record. `deploy_all(config, site_dir)` deploys to every
configured host; a rollback calls it with the release it makes live.

Nothing here imports the project config at import time: the config imports `settings`.
"""

from merlin_assets.hosts.base import Deploy, DeployError, Publisher
from merlin_assets.hosts.deploy import deploy_all, deploy_published, failures, publisher_for
from merlin_assets.hosts.records import deploy_rows, deploy_summary

__all__ = [
    "Deploy",
    "DeployError",
    "Publisher",
    "deploy_all",
    "deploy_published",
    "deploy_rows",
    "deploy_summary",
    "failures",
    "publisher_for",
]
