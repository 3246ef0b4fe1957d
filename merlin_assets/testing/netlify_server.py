"""A local stand-in for the part of Netlify's API a file-digest deploy uses, on 127.0.0.1.

Netlify's API cannot be reached from this machine; this server implements the documented
subset (https://docs.netlify.com/api/get-started/#file-digest-method) so the real HTTP client
code runs against real HTTP:

    POST /api/v1/sites/{site_id}/deploys         {"files": {"/path": sha1}} -> id, required
    PUT  /api/v1/deploys/{deploy_id}/files/{path} the bytes of a required file
    GET  /api/v1/deploys/{deploy_id}              the deploy, `state` "ready" once complete
    GET  /api/v1/sites/{site_id}/files            the live deploy's files: path, sha, size

Like Netlify it keeps file contents by SHA-1, so `required` lists only digests it has never
received; an upload whose bytes do not match the declared digest is refused (422). Every
request needs `Authorization: Bearer <token>`; another token is refused (401). A deploy is
published (the site's live one) when its last required file arrives.

Example:
    with NetlifyServer(token="t0k", sites=["crumb"]) as netlify:
        ...  # api_url=netlify.api_url
        netlify.live_files("crumb")  # {"/index.html": b"..."}
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from merlin_assets.testing.service import Service

HOST = "127.0.0.1"
SHA1_RE = re.compile(r"^[0-9a-f]{40}$")
MAX_BODY = 50 * 1024 * 1024


@dataclass
class _Deploy:
    id: str
    site_id: str
    files: dict[str, str]  # path -> sha1
    required: set[str]
    state: str = "uploading"

    def public(self, server: NetlifyServer) -> dict:
        url = f"https://{self.site_id}.netlify.app"
        return {
            "id": self.id,
            "site_id": self.site_id,
            "state": self.state,
            "required": sorted(self.required),
            "ssl_url": url,
            "url": url.replace("https://", "http://"),
            "deploy_ssl_url": f"https://{self.id}--{self.site_id}.netlify.app",
        }


@dataclass
class _State:
    token: str
    sites: dict[str, str | None]  # site id -> live deploy id
    blobs: dict[str, bytes] = field(default_factory=dict)
    deploys: dict[str, _Deploy] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # quiet: tests read `requests`
        return

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, {"code": status, "message": message})

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length)

    def _route(self, method: str) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        body = self._body() if method in {"POST", "PUT"} else b""
        with state.lock:
            state.requests.append((method, unquote(path)))
        if self.headers.get("Authorization") != f"Bearer {state.token}":
            return self._error(401, "Access Denied: Invalid token")
        for verb, pattern, handler in _ROUTES:
            m = re.fullmatch(pattern, path)
            if m and verb == method:
                return handler(self, *(unquote(g) for g in m.groups()), body)
        return self._error(404, "Not Found")

    def _get_deploy(self, deploy_id: str, body: bytes) -> None:
        state = self.server.state
        with state.lock:
            deploy = state.deploys.get(deploy_id)
            if deploy is None:
                return self._error(404, "Not Found")
            return self._send(200, deploy.public(self.server.owner))

    def _create(self, site_id: str, body: bytes) -> None:
        state = self.server.state
        try:
            files = json.loads(body)["files"]
            assert isinstance(files, dict)
            assert all(isinstance(p, str) and p.startswith("/") for p in files)
            assert all(isinstance(s, str) and SHA1_RE.match(s) for s in files.values())
        except (ValueError, KeyError, TypeError, AssertionError):
            return self._error(422, "files must map /paths to SHA-1 digests")
        with state.lock:
            if site_id not in state.sites:
                return self._error(404, "Not Found")
            required = {sha for sha in files.values() if sha not in state.blobs}
            deploy = _Deploy(uuid.uuid4().hex[:24], site_id, dict(files), required)
            state.deploys[deploy.id] = deploy
            self._maybe_publish(deploy)
            return self._send(200, deploy.public(self.server.owner))

    def _upload(self, deploy_id: str, path: str, body: bytes) -> None:
        path = "/" + path
        state = self.server.state
        with state.lock:
            deploy = state.deploys.get(deploy_id)
            if deploy is None:
                return self._error(404, "Not Found")
            sha = deploy.files.get(path)
            if sha is None:
                return self._error(404, f"{path} is not a file of this deploy")
            if hashlib.sha1(body, usedforsecurity=False).hexdigest() != sha:
                return self._error(422, f"{path}: content does not match its digest")
            state.blobs[sha] = body
            deploy.required.discard(sha)
            self._maybe_publish(deploy)
            return self._send(200, {"id": sha, "path": path, "sha": sha, "size": len(body)})

    def _maybe_publish(self, deploy: _Deploy) -> None:
        if not deploy.required and deploy.state != "ready":
            deploy.state = "ready"
            self.server.state.sites[deploy.site_id] = deploy.id

    def _list(self, site_id: str, body: bytes) -> None:
        state = self.server.state
        with state.lock:
            if site_id not in state.sites:
                return self._error(404, "Not Found")
            live = state.sites[site_id]
            files = state.deploys[live].files if live else {}
            listed = [
                {"id": path, "path": path, "sha": sha, "size": len(state.blobs[sha])}
                for path, sha in sorted(files.items())
            ]
        return self._send(200, listed)

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")


_ROUTES = (
    ("POST", r"/api/v1/sites/([^/]+)/deploys", _Handler._create),
    ("PUT", r"/api/v1/deploys/([^/]+)/files/(.+)", _Handler._upload),
    ("GET", r"/api/v1/deploys/([^/]+)", _Handler._get_deploy),
    ("GET", r"/api/v1/sites/([^/]+)/files", _Handler._list),
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State
    owner: NetlifyServer


class NetlifyServer(Service):
    """One stand-in Netlify API owned by a test; `sites` are the site ids it knows."""

    def __init__(self, *, token: str, sites: list[str]):
        self.state = _State(token=token, sites={s: None for s in sites})
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def api_url(self) -> str:
        assert self._server is not None, "not started"
        return f"http://{HOST}:{self._server.server_address[1]}"

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request received, in order."""
        with self.state.lock:
            return list(self.state.requests)

    def uploads(self) -> list[str]:
        """The paths of every file upload received, in order."""
        files = re.compile(r"/api/v1/deploys/[^/]+/files(/.+)")
        return [m[1] for method, path in self.requests if (m := files.fullmatch(path))]

    def live_files(self, site_id: str) -> dict[str, bytes]:
        """What the site serves now: the live deploy's files and their bytes."""
        with self.state.lock:
            live = self.state.sites[site_id]
            if live is None:
                return {}
            return {p: self.state.blobs[s] for p, s in self.state.deploys[live].files.items()}

    def live_deploy(self, site_id: str) -> str | None:
        with self.state.lock:
            return self.state.sites[site_id]

    def start(self) -> NetlifyServer:
        self._server = _Server((HOST, 0), _Handler)
        self._server.state = self.state
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="netlify-stand-in", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
