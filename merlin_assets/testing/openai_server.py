"""A local OpenAI-compatible HTTP server with latency and fault injection.

The real `openai` client talks to it over HTTP, so tests and benchmarks exercise the exact
request/response path the product uses in production: retries, timeouts, error mapping and
structured-output parsing. Only 127.0.0.1 is ever bound.

Example:
    with FakeOpenAI(ServerSettings(faults={"429": 0.1})) as fake:
        client = openai.OpenAI(base_url=fake.base_url, api_key="sk-test")
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import dataclasses
import functools
import io
import json
import logging
import math
import random
import re
import signal
import socket
import struct
import sys
import threading
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from PIL import Image

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
CHAT_FAULTS = ("429", "500", "hang", "malformed", "truncated", "refusal")
IMAGE_FAULTS = ("429", "500", "hang", "refusal", "bad_image", "bomb")
FAULT_KINDS = tuple(dict.fromkeys(CHAT_FAULTS + IMAGE_FAULTS))
REFUSAL_TEXT = "I can't help with that."
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-4.1", "gpt-image-1", "dall-e-3")
BOMB_SIDE = 30000
MAX_IMAGE_SIDE = 4096

Responder = Callable[[dict[str, Any]], dict[str, Any] | str | None]


@dataclass
class ServerSettings:
    """Behaviour of a `FakeOpenAI`; change it at runtime with `FakeOpenAI.update`.

    Attributes:
        chat_latency_s: Delay before a chat completion answers.
        image_latency_s: Delay before an image generation answers.
        faults: Fraction (0-1) of requests hit by each fault kind, see `FAULT_KINDS`.
        retry_after_s: Value of the `retry-after` header on injected 429s.
        hang_s: How long a hung request stalls before the connection is dropped.
        rejected_keys: API keys answered with 401 invalid_api_key.
        per_key_rpm: Requests per sliding 60 s the server allows each key ("*": any key).
        payloads: Hostile strings spliced into generated string fields.
        seed: Seeds fault draws and generated content.
        responder: Returns the content object (or raw string) for a chat request, or None
            to fall back to schema-generated content.
        hints: Property name -> fixed value (or `callable(rng)`) for generated content.
    """

    chat_latency_s: float = 0.0
    image_latency_s: float = 0.0
    faults: dict[str, float] = field(default_factory=dict)
    retry_after_s: float = 1.0
    hang_s: float = 30.0
    rejected_keys: set[str] = field(default_factory=set)
    per_key_rpm: dict[str, int] | None = None
    payloads: list[str] = field(default_factory=list)
    seed: int = 0
    responder: Responder | None = None
    hints: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        """Raise ValueError on unknown fault kinds or rates that cannot be honoured."""
        unknown = set(self.faults) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {FAULT_KINDS}")
        for kind, rate in self.faults.items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate for {kind!r} must be within 0-1, got {rate}")
        # One uniform draw picks at most one fault, so an endpoint's rates must fit in [0, 1].
        for kinds in (CHAT_FAULTS, IMAGE_FAULTS):
            total = sum(self.faults.get(kind, 0.0) for kind in kinds)
            if total > 1.0 + 1e-9:
                raise ValueError(f"fault rates for {kinds} add up to {total:.3f} > 1")


# ---------------------------------------------------------------------------------------------
# Schema-driven content
# ---------------------------------------------------------------------------------------------

_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:\([^)]*\)\s*)?(?:-|–|to)\s*(-?\d+(?:\.\d+)?)")
_AT_MOST_CHARS = re.compile(r"at most (\d+) char", re.IGNORECASE)
_FONTS = ("Inter", "Lora", "Merriweather", "Source Sans 3", "Playfair Display", "Work Sans")
_MAX_DEPTH = 12


def instance_for_schema(
    schema: Mapping[str, Any],
    rng: random.Random,
    hints: Mapping[str, Any] | None = None,
    *,
    payloads: Sequence[str] = (),
) -> Any:
    """A JSON value valid for `schema`, with readable text derived from property names.

    Args:
        schema: JSON schema as sent in `response_format.json_schema.schema`.
        rng: Source of every random choice, so output is reproducible.
        hints: Property name -> value (or `callable(rng)`) used verbatim for that property.
        payloads: Hostile strings; free-text fields are replaced by or suffixed with them.

    Returns:
        Plain JSON data (dicts, lists, str, int, float, bool, None).
    """
    return _Generator(schema, rng, hints or {}, payloads).value(schema, "value", (), None, 0)


def _label(name: str) -> str:
    # "muted_text" / "mutedText" / "muted-text" -> "muted text"
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return re.sub(r"[_\-\s]+", " ", spaced).strip().lower() or "value"


def _description_range(node: Mapping[str, Any]) -> tuple[float, float] | None:
    # The product states bounds in prose ("16-20", "1 (minor) to 5 (essential)") because
    # strict mode used to reject minimum/maximum; honour them so values look plausible.
    match = _RANGE.search(str(node.get("description", "")))
    if not match:
        return None
    lo, hi = float(match.group(1)), float(match.group(2))
    return (lo, hi) if lo <= hi else None


class _Generator:
    def __init__(
        self,
        root: Mapping[str, Any],
        rng: random.Random,
        hints: Mapping[str, Any],
        payloads: Sequence[str],
    ) -> None:
        self.root = root
        self.rng = rng
        self.hints = hints
        self.payloads = list(payloads)
        self.spliced = 0

    def resolve(self, ref: str) -> Mapping[str, Any]:
        if not ref.startswith("#"):
            raise ValueError(f"only local $ref is supported, got {ref!r}")
        node: Any = self.root
        for part in filter(None, ref[1:].split("/")):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def value(
        self,
        node: Mapping[str, Any],
        name: str,
        path: tuple[str, ...],
        index: int | None,
        depth: int,
    ) -> Any:
        if "$ref" in node:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**self.resolve(node["$ref"]), **siblings}
        if name in self.hints:
            hint = self.hints[name]
            return hint(self.rng) if callable(hint) else copy.deepcopy(hint)
        if "const" in node:
            return copy.deepcopy(node["const"])
        if "enum" in node:
            return copy.deepcopy(self.rng.choice(node["enum"]))
        for key in ("anyOf", "oneOf"):
            if key in node:
                return self.value(self.pick_branch(node[key], depth), name, path, index, depth)
        if "allOf" in node:
            merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
            for part in node["allOf"]:
                if "$ref" in part:
                    part = self.resolve(part["$ref"])
                merged.update(part)
            return self.value(merged, name, path, index, depth)

        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            if not kinds or (depth > _MAX_DEPTH and "null" in kind):
                return None
            kind = kinds[0]
        if kind is None:
            kind = "object" if "properties" in node else "array" if "items" in node else "string"
        if kind == "object":
            return self.object(node, name, path, index, depth)
        if kind == "array":
            return self.array(node, name, path, depth)
        if kind == "string":
            return self.string(node, name, path, index)
        if kind == "integer":
            return self.integer(node)
        if kind == "number":
            return self.number(node)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        raise ValueError(f"unsupported schema type {kind!r} at {'.'.join(path) or 'root'}")

    def pick_branch(self, options: Sequence[Mapping[str, Any]], depth: int) -> Mapping[str, Any]:
        non_null = [o for o in options if o.get("type") != "null"]
        has_null = len(non_null) < len(options)
        # Mostly fill nullable fields so tests see content; stop recursion with null when deep.
        if has_null and (not non_null or depth > _MAX_DEPTH or self.rng.random() < 0.15):
            return {"type": "null"}
        return self.rng.choice(non_null or list(options))

    def object(
        self,
        node: Mapping[str, Any],
        name: str,
        path: tuple[str, ...],
        index: int | None,
        depth: int,
    ) -> dict[str, Any]:
        props: Mapping[str, Any] = node.get("properties") or {}
        if props:
            # Strict mode requires every property; optional ones are valid to include too.
            return {
                key: self.value(sub, key, (*path, key), index, depth + 1)
                for key, sub in props.items()
            }
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and depth <= _MAX_DEPTH:
            return {
                f"{_label(name).replace(' ', '-')}-{i}": self.value(
                    extra, name, (*path, str(i)), i - 1, depth + 1
                )
                for i in range(1, self.rng.randint(1, 2) + 1)
            }
        return {}

    def array(
        self, node: Mapping[str, Any], name: str, path: tuple[str, ...], depth: int
    ) -> list[Any]:
        lo = int(node.get("minItems", 0))
        hi = node.get("maxItems")
        prefix = node.get("prefixItems") or []
        hinted = _description_range(node) if "minItems" not in node and hi is None else None
        if hinted and hinted[1] <= 20:
            lo, hi = int(hinted[0]), int(hinted[1])
        items: Any = node.get("items")
        count = self.rng.randint(1, 3) if depth <= _MAX_DEPTH else 0
        if items is False:  # a closed tuple: exactly the prefix items
            count = len(prefix)
        if hi is not None:
            count = min(count, int(hi))
        count = max(count, lo)
        out: list[Any] = []
        for i in range(count):
            sub = prefix[i] if i < len(prefix) else items if isinstance(items, dict) else {}
            out.append(self.value(sub, name, (*path, str(i)), i, depth + 1))
        if node.get("uniqueItems"):
            out = self.unique(out, lo)
        return out

    @staticmethod
    def unique(items: list[Any], minimum: int) -> list[Any]:
        seen: list[Any] = []
        for item in items:
            if item not in seen:
                seen.append(item)
        return seen if len(seen) >= minimum else items

    def string(
        self, node: Mapping[str, Any], name: str, path: tuple[str, ...], index: int | None
    ) -> str:
        text = self.base_string(node, name, path, index)
        if self.payloads and "format" not in node:
            payload = self.payloads[self.spliced % len(self.payloads)]
            # Alternate replacing and appending so both bare and embedded payloads get tested.
            text = payload if self.spliced % 2 == 0 else f"{text} {payload}"
            self.spliced += 1
        max_len = node.get("maxLength")
        if max_len is None and (match := _AT_MOST_CHARS.search(str(node.get("description", "")))):
            max_len = int(match.group(1))
        min_len = int(node.get("minLength", 0))
        if len(text) < min_len:
            text = (text + " text" * min_len)[:min_len]
        if max_len is not None:
            text = text[: int(max_len)]
        return text

    def base_string(
        self, node: Mapping[str, Any], name: str, path: tuple[str, ...], index: int | None
    ) -> str:
        number = 1 if index is None else index + 1
        fmt = node.get("format")
        lowered = name.lower()
        if fmt == "email" or "email" in lowered:
            return f"hello{number if number > 1 else ''}@example.com"
        if fmt in ("uri", "url") or lowered in ("url", "website", "href"):
            return f"https://example.com/{number}"
        if fmt == "date-time":
            return "2024-01-01T12:00:00Z"
        if fmt == "date":
            return "2024-01-01"
        if fmt == "uuid":
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if "phone" in lowered:
            return f"+1 555 01{number:02d}"
        if any("palette" in p.lower() for p in path) or lowered.endswith(("color", "colour")):
            return f"#{self.rng.getrandbits(24):06x}"
        if "font" in lowered or any("font" in p.lower() for p in path):
            return self.rng.choice(_FONTS)
        # Keys and slugs follow the nearest list index, so cross-references ("item-1") made by
        # one request usually exist in another request's output.
        if lowered == "slug" or lowered.endswith("_slug"):
            return f"page-{number}"
        if lowered in ("key", "id") or lowered.endswith(("_key", "_keys", "_id", "_ids")):
            return f"item-{number}"
        suffix = f" {number}" if index is not None else ""
        return f"Sample {_label(name)} text{suffix}"

    def integer(self, node: Mapping[str, Any]) -> int:
        lo, hi = self.bounds(node, 1, 5)
        lo_i, hi_i = math.ceil(lo), math.floor(hi)
        if lo_i > hi_i:
            return lo_i
        value = self.rng.randint(lo_i, hi_i)
        step = node.get("multipleOf")
        if isinstance(step, int) and step > 0:
            value = max(lo_i, value - value % step)
        return value

    def number(self, node: Mapping[str, Any]) -> float:
        lo, hi = self.bounds(node, 0.1, 1.0)
        value = round(self.rng.uniform(lo, hi), 3)
        return min(max(value, lo), hi)

    @staticmethod
    def bounds(node: Mapping[str, Any], lo: float, hi: float) -> tuple[float, float]:
        hinted = _description_range(node)
        if hinted:
            lo, hi = hinted
        tiny = 1e-6 if node.get("type") == "number" else 1
        if "minimum" in node:
            lo = float(node["minimum"])
        if "exclusiveMinimum" in node:
            lo = float(node["exclusiveMinimum"]) + tiny
        if "maximum" in node:
            hi = float(node["maximum"])
        if "exclusiveMaximum" in node:
            hi = float(node["exclusiveMaximum"]) - tiny
        if hi < lo:
            # Only one bound given and it excludes the default window: stay near that bound.
            hi, lo = (
                (lo + 4, lo) if "minimum" in node or "exclusiveMinimum" in node else (hi, hi - 4)
            )
        return lo, hi


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

_GRADIENTS = (
    ((31, 58, 95), (242, 180, 90)),
    ((20, 110, 90), (230, 240, 220)),
    ((90, 30, 110), (250, 200, 210)),
    ((15, 15, 20), (120, 170, 230)),
)


@functools.lru_cache(maxsize=64)
def gradient_image(width: int, height: int, fmt: str = "png", variant: int = 0) -> bytes:
    """Encoded bytes of a two-colour diagonal gradient; cached because encoding dominates."""
    top, bottom = _GRADIENTS[variant % len(_GRADIENTS)]
    mask = Image.linear_gradient("L").rotate(variant * 30 % 90).resize((width, height))
    img = Image.composite(
        Image.new("RGB", mask.size, bottom), Image.new("RGB", mask.size, top), mask
    )
    out = io.BytesIO()
    if fmt == "png":
        img.save(out, "PNG", compress_level=1)
    else:
        img.save(out, fmt.upper(), quality=80)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def bomb_png(side: int = BOMB_SIDE) -> bytes:
    """A valid 1-bit PNG of `side`x`side` zeros: ~100 KB on the wire, ~900 Mpx decoded."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 100) for _ in range(side // 100)]
    parts += [packer.compress(row * (side % 100)), packer.flush()]
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def parse_size(size: Any) -> tuple[int, int] | None:
    """(width, height) from an API size string; "auto"/missing mean 1024x1024."""
    if size in (None, "", "auto"):
        return 1024, 1024
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", str(size))
    if not match:
        return None
    width, height = int(match.group(1)), int(match.group(2))
    if not (16 <= width <= MAX_IMAGE_SIDE and 16 <= height <= MAX_IMAGE_SIDE):
        return None
    return width, height


# ---------------------------------------------------------------------------------------------
# HTTP plumbing
# ---------------------------------------------------------------------------------------------


@dataclass
class _Reply:
    status: int  # 0: no response, the connection is dropped
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    delay_s: float = 0.0


def _error(
    status: int,
    message: str,
    kind: str = "invalid_request_error",
    code: str | None = None,
    **extra: Any,
) -> _Reply:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return _Reply(status=status, body=body, **extra)


def _tokens(chars: int) -> int:
    return max(1, round(chars / 4))


def _message_chars(messages: Any) -> int:
    total = 0
    for message in messages if isinstance(messages, list) else []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            total += len(content)
        elif isinstance(content, list):
            total += sum(len(str(p.get("text", ""))) for p in content if isinstance(p, dict))
    return total


class _Server(ThreadingHTTPServer):
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
    server: _Server

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
        reply: _Reply | None = None
        if raw:
            try:
                parsed = json.loads(raw)
                request = parsed if isinstance(parsed, dict) else {}
            except ValueError:
                reply = _error(400, "We could not parse the JSON body of your request.")
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
            }
        )
        if reply.status:
            self.send(reply)

    def send(self, reply: _Reply) -> None:
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


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1, run in a daemon thread.

    Args:
        settings: Initial behaviour; defaults to no latency and no faults.
        log_path: If set, every request record is appended there as a JSON line.
    """

    def __init__(self, settings: ServerSettings | None = None, log_path: Path | None = None):
        self.settings = settings or ServerSettings()
        self.settings.validate()
        self.log_path = Path(log_path) if log_path else None
        self.base_url = ""
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._rng = random.Random(self.settings.seed)
        self._count = 0
        self._records: list[dict[str, Any]] = []
        self._windows: dict[str, deque[float]] = {}
        self._log_file: io.TextIOWrapper | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        """Bind 127.0.0.1 (`port` 0 picks a free one), serve in a thread, return the base URL."""
        if self._server is not None:
            return self.base_url
        self.stopping.clear()
        if self.log_path:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = self.log_path.open("a", encoding="utf-8")
        self._server = _Server(self, port)
        host, bound = self._server.server_address[:2]
        self.base_url = f"http://{host}:{bound}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-openai-{bound}",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving, wake hung requests and drop open connections."""
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        server.server_close()
        with server.connections_lock:
            open_connections = list(server.connections)
        for conn in open_connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None

    def __enter__(self) -> FakeOpenAI:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- state ---------------------------------------------------------------------------------

    def update(self, **changes: Any) -> None:
        """Change settings while serving; unknown names raise TypeError."""
        names = {f.name for f in dataclasses.fields(ServerSettings)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown settings {sorted(unknown)}")
        with self._lock:
            candidate = dataclasses.replace(self.settings, **changes)
            candidate.validate()
            self.settings = candidate
            if "seed" in changes:
                self._rng = random.Random(candidate.seed)
            if "per_key_rpm" in changes:
                self._windows.clear()

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Copies of the request records so far, in completion order."""
        with self._lock:
            return [dict(r) for r in self._records]

    def clear_requests(self) -> None:
        """Forget recorded requests (the JSONL log is left alone)."""
        with self._lock:
            self._records.clear()

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._records.append(entry)
            if self._log_file is not None:
                self._log_file.write(json.dumps(entry) + "\n")
                # Flushed per line so another process can tail the log live.
                self._log_file.flush()

    # -- request handling ----------------------------------------------------------------------

    def handle(self, method: str, path: str, key: str, request: dict[str, Any]) -> _Reply:
        """Decide the reply for one request (called on a handler thread)."""
        with self._lock:
            settings = copy.copy(self.settings)
            self._count += 1
            number = self._count
        if not key:
            return _error(
                401,
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                fault="auth",
            )
        if key in settings.rejected_keys:
            return _error(401, "Incorrect API key provided", code="invalid_api_key", fault="auth")
        route = (method, path.rstrip("/"))
        if route == ("GET", "/v1/models"):
            return _Reply(200, self.models_list())
        if method == "GET" and path.startswith("/v1/models/"):
            model_id = path.removeprefix("/v1/models/")
            return _Reply(200, self.model_entry(model_id))
        if route not in (("POST", "/v1/chat/completions"), ("POST", "/v1/images/generations")):
            return _error(404, f"Invalid URL ({method} {path})")
        limited = self.rate_limit(key, settings)
        if limited is not None:
            return limited
        rng = random.Random(f"{settings.seed}:{number}")
        if route[1] == "/v1/chat/completions":
            fault = self.draw_fault(settings, CHAT_FAULTS)
            return self.chat(request, settings, fault, rng)
        fault = self.draw_fault(settings, IMAGE_FAULTS)
        return self.image(request, settings, fault, rng)

    def rate_limit(self, key: str, settings: ServerSettings) -> _Reply | None:
        """Enforce `per_key_rpm` over a sliding 60 s window; None when the request may pass."""
        if not settings.per_key_rpm:
            return None
        limit = settings.per_key_rpm.get(key, settings.per_key_rpm.get("*"))
        if limit is None:
            return None
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) < limit:
                window.append(now)
                return None
            wait = max(0.001, window[0] + 60.0 - now)
        return _error(
            429,
            f"Rate limit reached for requests on key {key[:8]}...: Limit {limit}, Used {limit}, "
            f"Requested 1. Please try again in {wait:.3f}s.",
            kind="requests",
            code="rate_limit_exceeded",
            fault="rpm",
            headers={
                "retry-after": f"{wait:.3f}",
                "x-ratelimit-limit-requests": str(limit),
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-requests": f"{wait:.3f}s",
            },
        )

    def draw_fault(self, settings: ServerSettings, kinds: Sequence[str]) -> str | None:
        """At most one fault per request, from one seeded uniform draw."""
        if not any(settings.faults.get(kind) for kind in kinds):
            return None
        with self._lock:
            draw = self._rng.random()
        edge = 0.0
        for kind in kinds:
            edge += settings.faults.get(kind, 0.0)
            if draw < edge:
                return kind
        return None

    @staticmethod
    def common_fault(fault: str | None, settings: ServerSettings) -> _Reply | None:
        if fault == "429":
            return _error(
                429,
                "Rate limit reached for requests. Please try again later.",
                kind="requests",
                code="rate_limit_exceeded",
                fault="429",
                headers={"retry-after": f"{settings.retry_after_s:g}"},
            )
        if fault == "500":
            return _error(
                500,
                "The server had an error while processing your request. Sorry about that!",
                kind="server_error",
                fault="500",
            )
        if fault == "hang":
            return _Reply(0, fault="hang", delay_s=settings.hang_s)
        return None

    def chat(
        self,
        request: dict[str, Any],
        settings: ServerSettings,
        fault: str | None,
        rng: random.Random,
    ) -> _Reply:
        failed = self.common_fault(fault, settings)
        if failed is not None:
            return failed
        if request.get("stream"):
            return _error(400, "The fake OpenAI server does not support streaming.")
        messages = request.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(400, "'messages' must be a non-empty array.")
        try:
            content = self.chat_content(request, settings, rng)
        except Exception as exc:
            return _error(500, f"fake server could not build content: {exc!r}", "server_error")
        finish_reason, refusal = "stop", None
        if fault == "malformed":
            content = content[: max(1, len(content) * 2 // 3)]
        elif fault == "truncated":
            content = content[: max(1, len(content) // 2)]
            finish_reason = "length"
        elif fault == "refusal":
            content, refusal = None, REFUSAL_TEXT
        prompt_tokens = _tokens(_message_chars(messages))
        completion_tokens = _tokens(len(content or refusal or ""))
        body = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model") or "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": content,
                        "refusal": refusal,
                        "annotations": [],
                    },
                    "finish_reason": finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }
        return _Reply(
            200,
            body,
            fault=fault,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            delay_s=settings.chat_latency_s,
        )

    @staticmethod
    def chat_content(request: dict[str, Any], settings: ServerSettings, rng: random.Random) -> str:
        if settings.responder is not None:
            custom = settings.responder(request)
            if isinstance(custom, str):
                return custom
            if custom is not None:
                return json.dumps(custom)
        fmt = request.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            schema = (fmt.get("json_schema") or {}).get("schema") or {}
            value = instance_for_schema(schema, rng, settings.hints, payloads=settings.payloads)
            return json.dumps(value)
        text = " ".join(["Sample response text.", *settings.payloads]).strip()
        if fmt.get("type") == "json_object":
            return json.dumps({"text": text})
        return text

    def image(
        self,
        request: dict[str, Any],
        settings: ServerSettings,
        fault: str | None,
        rng: random.Random,
    ) -> _Reply:
        failed = self.common_fault(fault, settings)
        if failed is not None:
            return failed
        if fault == "refusal":
            return _error(
                400,
                "Your request was rejected as a result of our safety system.",
                kind="image_generation_user_error",
                code="moderation_blocked",
                fault="refusal",
            )
        prompt = request.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            return _error(400, "'prompt' is required.")
        size = parse_size(request.get("size"))
        if size is None:
            return _error(400, f"Invalid value for 'size': {request.get('size')!r}.")
        if request.get("response_format") == "url":
            return _error(400, "The fake OpenAI server only returns b64_json images.")
        model = str(request.get("model") or "dall-e-2")
        fmt = str(request.get("output_format") or "png").lower()
        fmt = {"jpg": "jpeg"}.get(fmt, fmt)
        if fmt not in ("png", "jpeg", "webp"):
            return _error(400, f"Invalid value for 'output_format': {fmt!r}.")
        n = request.get("n") or 1
        if not isinstance(n, int) or not 1 <= n <= 10:
            return _error(400, "'n' must be an integer between 1 and 10.")
        if fault == "bad_image":
            data = b"<!DOCTYPE html><p>This is not an image.</p>" * 4
        elif fault == "bomb":
            data = bomb_png()
        else:
            data = gradient_image(*size, fmt, rng.randrange(len(_GRADIENTS)))
        encoded = base64.b64encode(data).decode()
        width, height = size
        quality = str(request.get("quality") or "medium")
        per_mpx = {"low": 272, "high": 4160}.get(quality, 1056)
        output_tokens = round(per_mpx * width * height / (1024 * 1024)) * n
        input_tokens = _tokens(len(prompt))
        body: dict[str, Any] = {
            "created": int(time.time()),
            "data": [{"b64_json": encoded, "revised_prompt": None} for _ in range(n)],
        }
        if model.startswith("gpt-image"):
            body |= {
                "output_format": fmt,
                "size": f"{width}x{height}",
                "quality": quality if quality in ("low", "medium", "high") else "medium",
                "background": "opaque",
                "usage": {
                    "input_tokens": input_tokens,
                    "input_tokens_details": {"text_tokens": input_tokens, "image_tokens": 0},
                    "output_tokens": output_tokens,
                    "total_tokens": input_tokens + output_tokens,
                },
            }
        return _Reply(
            200,
            body,
            fault=fault,
            prompt_tokens=input_tokens,
            completion_tokens=output_tokens,
            delay_s=settings.image_latency_s,
        )

    @staticmethod
    def model_entry(model_id: str) -> dict[str, Any]:
        return {"id": model_id, "object": "model", "created": 1700000000, "owned_by": "system"}

    def models_list(self) -> dict[str, Any]:
        return {"object": "list", "data": [self.model_entry(m) for m in MODELS]}


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def _pairs(values: Sequence[str], convert: Callable[[str], Any], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--{what} expects NAME=VALUE, got {item!r}")
        out[name] = convert(value)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGTERM/SIGINT; the first stdout line is the base URL."""
    parser = argparse.ArgumentParser(
        prog="python -m merlin_assets.testing.openai_server",
        description="Local OpenAI-compatible server with fault injection (127.0.0.1 only).",
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--chat-latency", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--image-latency", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument(
        "--fault", action="append", default=[], metavar="KIND=RATE", help=", ".join(FAULT_KINDS)
    )
    parser.add_argument("--retry-after", type=float, default=1.0, metavar="SECONDS")
    parser.add_argument("--hang", type=float, default=30.0, metavar="SECONDS")
    parser.add_argument("--reject-key", action="append", default=[], metavar="KEY")
    parser.add_argument("--rpm", action="append", default=[], metavar="KEY=N", help="'*' = any")
    parser.add_argument("--payload", action="append", default=[], metavar="TEXT")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log", type=Path, default=None, metavar="JSONL")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)

    settings = ServerSettings(
        chat_latency_s=args.chat_latency,
        image_latency_s=args.image_latency,
        faults=_pairs(args.fault, float, "fault"),
        retry_after_s=args.retry_after,
        hang_s=args.hang,
        rejected_keys=set(args.reject_key),
        per_key_rpm=_pairs(args.rpm, int, "rpm") or None,
        payloads=list(args.payload),
        seed=args.seed,
    )
    try:
        fake = FakeOpenAI(settings, log_path=args.log)
    except ValueError as exc:
        parser.error(str(exc))
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    url = fake.start(args.port)
    sys.stdout.write(url + "\n")
    sys.stdout.flush()
    try:
        while not done.wait(0.5):
            pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
