"""The Netlify host, through its file-digest deploy API (three calls; no maintained client).

1. `POST /api/v1/sites/{site_id}/deploys` with `{"files": {"/path": sha1}}`: Netlify answers
   with the deploy's id and `required`, the SHA-1s it does not hold yet.
2. `PUT /api/v1/deploys/{deploy_id}/files/{path}` with the bytes, once per required digest.
3. `GET /api/v1/deploys/{deploy_id}` until its `state` is `ready`.

A second deploy of an unchanged site gets `required: []` and uploads nothing. The token is read
from the variable `token_env` names and sent only in the Authorization header.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from urllib.parse import quote

import httpx2

from merlin_assets.config.publish import NetlifyHost
from merlin_assets.hosts.base import Deploy, DeployError, Publisher, Site, upload_order

# Netlify finishes processing a small deploy in a few seconds after the last upload.
READY_TIMEOUT_S = 120.0
POLL_S = 0.5
FAILED_STATES = {"error", "rejected"}


def _check(response: httpx2.Response, what: str) -> dict:
    if response.is_error:
        reason = response.reason_phrase or ""
        with contextlib.suppress(ValueError, AttributeError):
            reason = str(response.json().get("message") or reason)
        raise DeployError(f"{what} answered HTTP {response.status_code} {reason[:200]}".strip())
    return response.json()


class NetlifyPublisher(Publisher):
    kind = "netlify"

    def __init__(self, entry: NetlifyHost, env=None, *, ready_timeout_s: float = READY_TIMEOUT_S):
        super().__init__(entry.label, env)
        self.entry = entry
        self.ready_timeout_s = ready_timeout_s

    def _client(self) -> httpx2.Client:
        token = self.secret(self.entry.token_env, "token_env")
        return httpx2.Client(
            base_url=self.entry.api_url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}", "User-Agent": "merlin-assets"},
            timeout=httpx2.Timeout(60.0, connect=5.0),
        )

    def deploy(self, site_dir: Path) -> Deploy:
        site = Site.read(site_dir)
        digests = {f"/{rel}": f.digest("sha1") for rel, f in site.files.items()}
        with self._client() as client:
            created = _check(
                client.post(f"/sites/{quote(self.entry.site_id)}/deploys", json={"files": digests}),
                "creating a deploy",
            )
            deploy_id = str(created["id"])
            required = set(created.get("required") or [])
            uploaded = sent = 0
            for rel in upload_order(site.files):
                sha = digests[f"/{rel}"]
                if sha not in required:
                    continue
                required.discard(sha)  # one upload per digest: equal files share it
                data = site.files[rel].data
                _check(
                    client.put(
                        f"/deploys/{quote(deploy_id)}/files/{quote(rel, safe='/')}",
                        content=data,
                        headers={"Content-Type": "application/octet-stream"},
                    ),
                    f"uploading /{rel}",
                )
                uploaded, sent = uploaded + 1, sent + len(data)
            if required:
                raise DeployError(f"Netlify asked for {len(required)} digests the site lacks")
            final = self._ready(client, deploy_id, created)
        return Deploy(
            self.label,
            self.kind,
            deploy_id=deploy_id,
            url=str(final.get("ssl_url") or final.get("url") or final.get("deploy_ssl_url") or ""),
            files_uploaded=uploaded,
            bytes_uploaded=sent,
            files_total=len(site.files),
        )

    def _ready(self, client: httpx2.Client, deploy_id: str, deploy: dict) -> dict:
        deadline = time.monotonic() + self.ready_timeout_s
        while deploy.get("state") != "ready":
            if deploy.get("state") in FAILED_STATES:
                raise DeployError(
                    f"deploy {deploy_id} ended in state {deploy.get('state')}: "
                    f"{str(deploy.get('error_message') or '')[:200]}"
                )
            if time.monotonic() > deadline:
                raise DeployError(
                    f"deploy {deploy_id} not ready after {self.ready_timeout_s:.0f}s "
                    f"(state {deploy.get('state')})"
                )
            time.sleep(POLL_S)
            deploy = _check(client.get(f"/deploys/{quote(deploy_id)}"), "reading the deploy")
        return deploy
