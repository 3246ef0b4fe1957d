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
import io
import json
import logging
import random
import signal
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from merlin_assets.testing.fake_images import GRADIENTS, bomb_png, gradient_image, parse_size
from merlin_assets.testing.fake_replies import instance_for_schema
from merlin_assets.testing.openai_http import (
    OpenAIHTTPServer,
    Reply,
    error_reply,
    message_chars,
    tokens_for,
)
from merlin_assets.testing.openai_settings import (
    BOMB_SIDE,
    CHAT_FAULTS,
    FAULT_KINDS,
    HOST,
    IMAGE_FAULTS,
    MAX_IMAGE_SIDE,
    MODELS,
    REFUSAL_TEXT,
    Responder,
    ServerSettings,
)

__all__ = [
    "BOMB_SIDE",
    "CHAT_FAULTS",
    "FAULT_KINDS",
    "HOST",
    "IMAGE_FAULTS",
    "MAX_IMAGE_SIDE",
    "MODELS",
    "REFUSAL_TEXT",
    "FakeOpenAI",
    "Responder",
    "ServerSettings",
    "bomb_png",
    "gradient_image",
    "instance_for_schema",
    "main",
    "parse_size",
]

log = logging.getLogger(__name__)


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
        self._server: OpenAIHTTPServer | None = None
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
        self._server = OpenAIHTTPServer(self, port)
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

    def handle(self, method: str, path: str, key: str, request: dict[str, Any]) -> Reply:
        """Decide the reply for one request (called on a handler thread)."""
        with self._lock:
            settings = copy.copy(self.settings)
            self._count += 1
            number = self._count
        if not key:
            return error_reply(
                401,
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                fault="auth",
            )
        if key in settings.rejected_keys:
            return error_reply(
                401, "Incorrect API key provided", code="invalid_api_key", fault="auth"
            )
        route = (method, path.rstrip("/"))
        if route == ("GET", "/v1/models"):
            return Reply(200, self.models_list())
        if method == "GET" and path.startswith("/v1/models/"):
            model_id = path.removeprefix("/v1/models/")
            return Reply(200, self.model_entry(model_id))
        if route not in (("POST", "/v1/chat/completions"), ("POST", "/v1/images/generations")):
            return error_reply(404, f"Invalid URL ({method} {path})")
        limited = self.rate_limit(key, settings)
        if limited is not None:
            return limited
        rng = random.Random(f"{settings.seed}:{number}")
        if route[1] == "/v1/chat/completions":
            fault = self.draw_fault(settings, CHAT_FAULTS)
            return self.chat(request, settings, fault, rng)
        fault = self.draw_fault(settings, IMAGE_FAULTS)
        return self.image(request, settings, fault, rng)

    def rate_limit(self, key: str, settings: ServerSettings) -> Reply | None:
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
        return error_reply(
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
    def common_fault(fault: str | None, settings: ServerSettings) -> Reply | None:
        if fault == "429":
            return error_reply(
                429,
                "Rate limit reached for requests. Please try again later.",
                kind="requests",
                code="rate_limit_exceeded",
                fault="429",
                headers={"retry-after": f"{settings.retry_after_s:g}"},
            )
        if fault == "500":
            return error_reply(
                500,
                "The server had an error while processing your request. Sorry about that!",
                kind="server_error",
                fault="500",
            )
        if fault == "hang":
            return Reply(0, fault="hang", delay_s=settings.hang_s)
        return None

    def chat(
        self,
        request: dict[str, Any],
        settings: ServerSettings,
        fault: str | None,
        rng: random.Random,
    ) -> Reply:
        failed = self.common_fault(fault, settings)
        if failed is not None:
            return failed
        if request.get("stream"):
            return error_reply(400, "The fake OpenAI server does not support streaming.")
        messages = request.get("messages")
        if not isinstance(messages, list) or not messages:
            return error_reply(400, "'messages' must be a non-empty array.")
        try:
            content = self.chat_content(request, settings, rng)
        except Exception as exc:
            return error_reply(500, f"fake server could not build content: {exc!r}", "server_error")
        finish_reason, refusal = "stop", None
        if fault == "malformed":
            content = content[: max(1, len(content) * 2 // 3)]
        elif fault == "truncated":
            content = content[: max(1, len(content) // 2)]
            finish_reason = "length"
        elif fault == "refusal":
            content, refusal = None, REFUSAL_TEXT
        prompt_tokens = tokens_for(message_chars(messages))
        completion_tokens = tokens_for(len(content or refusal or ""))
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
        return Reply(
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
    ) -> Reply:
        failed = self.common_fault(fault, settings)
        if failed is not None:
            return failed
        if fault == "refusal":
            return error_reply(
                400,
                "Your request was rejected as a result of our safety system.",
                kind="image_generation_user_error",
                code="moderation_blocked",
                fault="refusal",
            )
        prompt = request.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            return error_reply(400, "'prompt' is required.")
        size = parse_size(request.get("size"))
        if size is None:
            return error_reply(400, f"Invalid value for 'size': {request.get('size')!r}.")
        if request.get("response_format") == "url":
            return error_reply(400, "The fake OpenAI server only returns b64_json images.")
        model = str(request.get("model") or "dall-e-2")
        fmt = str(request.get("output_format") or "png").lower()
        fmt = {"jpg": "jpeg"}.get(fmt, fmt)
        if fmt not in ("png", "jpeg", "webp"):
            return error_reply(400, f"Invalid value for 'output_format': {fmt!r}.")
        n = request.get("n") or 1
        if not isinstance(n, int) or not 1 <= n <= 10:
            return error_reply(400, "'n' must be an integer between 1 and 10.")
        if fault == "bad_image":
            data = b"<!DOCTYPE html><p>This is not an image.</p>" * 4
        elif fault == "bomb":
            data = bomb_png()
        else:
            data = gradient_image(*size, fmt, rng.randrange(len(GRADIENTS)))
        encoded = base64.b64encode(data).decode()
        width, height = size
        quality = str(request.get("quality") or "medium")
        per_mpx = {"low": 272, "high": 4160}.get(quality, 1056)
        output_tokens = round(per_mpx * width * height / (1024 * 1024)) * n
        input_tokens = tokens_for(len(prompt))
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
        return Reply(
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
