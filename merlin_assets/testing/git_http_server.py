"""Git's smart HTTP protocol on 127.0.0.1, behind a token: `git http-backend` as a CGI.

For the one path of the GitHub Pages host a bare repository on disk cannot test: an https-style
remote that needs a token in an `Authorization` header. Every request must carry
`Authorization: Basic base64("x-access-token:<token>")` (how GitHub takes a token); any other
gets 401. Pushes are accepted (`REMOTE_USER` is set once the token matched).

Bodies are read by Content-Length only: git sends pushes over `http.postBuffer` (1 MB) chunked,
which this server does not decode, so it is for small test sites.

Example:
    with GitHttpServer(root, token="t0k") as git:
        remote = git.url("site.git")   # http://127.0.0.1:PORT/site.git
"""

from __future__ import annotations

import base64
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from merlin_assets.testing.service import Service

HOST = "127.0.0.1"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args) -> None:
        return

    def _handle(self) -> None:
        owner = self.server.owner
        owner.requests.append((self.command, self.path))
        wanted = base64.b64encode(f"x-access-token:{owner.token}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {wanted}":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = {
            "PATH": os.environ.get("PATH", ""),
            "GIT_PROJECT_ROOT": str(owner.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "REMOTE_USER": "x-access-token",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(owner.root),
        }
        done = subprocess.run(
            ["git", "http-backend"], input=body, capture_output=True, env=env, timeout=60
        )
        head, _, payload = done.stdout.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.decode(errors="replace").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _handle
    do_POST = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: GitHttpServer


class GitHttpServer(Service):
    """Serves the bare repositories under `root` to whoever holds `token`."""

    def __init__(self, root: Path, *, token: str):
        self.root = Path(root)
        self.token = token
        self.requests: list[tuple[str, str]] = []
        self._server: _Server | None = None

    def url(self, repo: str) -> str:
        assert self._server is not None, "not started"
        return f"http://{HOST}:{self._server.server_address[1]}/{repo}"

    def start(self) -> GitHttpServer:
        self._server = _Server((HOST, 0), _Handler)
        self._server.owner = self
        threading.Thread(target=self._server.serve_forever, name="git-http", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
