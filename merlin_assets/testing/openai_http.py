"""HTTP plumbing of the fake OpenAI server: replies, the threaded server and its handler."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from merlin_assets.testing.openai_settings import HOST

if TYPE_CHECKING:
    from merlin_assets.testing.openai_server import FakeOpenAI

# The server's log records keep the name they had when this lived in openai_server.py.
log = logging.getLogger("merlin_assets.testing.openai_server")


@dataclass
class Reply:
    """What the fake server answers one request with; openai_server.py builds them."""

    status: int  # 0: no response, the connection is dropped
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    delay_s: float = 0.0


def error_reply(
    status: int,
    message: str,
    kind: str = "invalid_request_error",
    code: str | None = None,
    **extra: Any,
) -> Reply:
    """An OpenAI-shaped error body with `status`."""
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return Reply(status=status, body=body, **extra)


def tokens_for(chars: int) -> int:
    """The usage figure the fake reports for `chars` characters (about four to a token)."""
    return max(1, round(chars / 4))


def message_chars(messages: Any) -> int:
    """Characters of text in a chat request's messages, the base of its prompt-token count."""
    total = 0
    for message in messages if isinstance(messages, list) else []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            total += len(content)
        elif isinstance(content, list):
            total += sum(len(str(p.get("text", ""))) for p in content if isinstance(p, dict))
    return total


def image_parts(messages: Any) -> list[str]:
    """The image URLs (data URLs for an uploaded photo) in a chat request's messages."""
    urls: list[str] = []
    for message in messages if isinstance(messages, list) else []:
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else []:
            if isinstance(part, dict) and part.get("type") == "image_url":
                urls.append(str((part.get("image_url") or {}).get("url", "")))
    return urls


class OpenAIHTTPServer(ThreadingHTTPServer):
    """The HTTP listener behind FakeOpenAI; it hands each request to the fake's `handle`."""

    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 makes bursts of concurrent clients wait on SYN retries.
    request_queue_size = 1024

    def __init__(self, fake: FakeOpenAI, port: int) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or hang up mid-response are expected in fault tests.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        log.exception("fake OpenAI server error for %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"
    # Drop idle keep-alive connections so handler threads do not pile up forever.
    timeout = 60
    server: OpenAIHTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; Nagle plus delayed ACK would add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_DELETE(self) -> None:
        self.dispatch("DELETE")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def dispatch(self, method: str) -> None:
        started = time.time()
        fake = self.server.fake
        raw = self.read_body()
        auth = self.headers.get("Authorization", "")
        key = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        path = self.path.split("?", 1)[0]
        request: dict[str, Any] = {}
        reply: Reply | None = None
        if raw:
            try:
                parsed = json.loads(raw)
                request = parsed if isinstance(parsed, dict) else {}
            except ValueError:
                reply = error_reply(400, "We could not parse the JSON body of your request.")
        if reply is None:
            reply = fake.handle(method, path, key, request)
        if reply.delay_s > 0:
            fake.stopping.wait(reply.delay_s)
        if not reply.status:
            # A hung request: no status line at all, then the socket closes.
            self.close_connection = True
        # Recorded before the reply is written, so a client that has its answer can already
        # see the record (and a client that hung up early still leaves one).
        fake.record(
            {
                "ts_start": started,
                "ts_end": time.time(),
                "path": path,
                "key": key,
                "model": request.get("model"),
                "status": reply.status,
                "fault": reply.fault,
                "prompt_tokens": reply.prompt_tokens,
                "completion_tokens": reply.completion_tokens,
                # How many images the request showed the model (a user's photo, to describe).
                "images_in": len(image_parts(request.get("messages"))),
            }
        )
        if reply.status:
            self.send(reply)

    def send(self, reply: Reply) -> None:
        payload = json.dumps(reply.body).encode() if reply.body is not None else b""
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex}")
        if reply.fault:
            self.send_header("x-fake-fault", reply.fault)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()
