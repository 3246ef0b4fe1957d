"""A throwaway Redis for tests: in memory, on 127.0.0.1, on a free port.

`RedisServer` starts `redis-server` with no persistence (`--save '' --appendonly no`), waits
until it answers PING, and stops it cleanly (SHUTDOWN NOSAVE, then SIGTERM, then SIGKILL).
`restart()` stops it and starts a fresh, empty one on the same port, which is what a
crashed-and-restarted Redis without persistence looks like to its clients.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from merlin_assets.fleet.redis import command
from merlin_assets.testing.processes import stop_group
from merlin_assets.testing.service import Service
from merlin_assets.testing.webserver import free_port


def redis_server_binary() -> str | None:
    """The `redis-server` on the PATH, or None (`apt-get install redis-server`)."""
    return shutil.which("redis-server")


def _ping(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer(Service):
    """One `redis-server` process owned by a test.

    Args:
        port: The port to bind on 127.0.0.1; a free one when None.
        directory: Its working directory (nothing is written there without persistence).
    """

    def __init__(self, port: int | None = None, directory: Path | None = None):
        binary = redis_server_binary()
        if binary is None:
            raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.port = port or free_port()
        self.directory = Path(directory) if directory else None
        self._proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 15.0) -> RedisServer:
        if self._proc is not None and self._proc.poll() is None:
            return self
        cmd = command(self.binary, self.port)
        self._proc = subprocess.Popen(
            cmd,
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self._proc.returncode}")
            if _ping(self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"redis-server did not answer PING on port {self.port}")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"SHUTDOWN NOSAVE\r\n")
            except OSError:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                stop_group(proc, grace_s=5)
        # The port is free again once the process is gone.
        proc.wait(timeout=10)

    def restart(self, down_s: float = 0.0) -> None:
        """Stop, stay down `down_s` seconds, and start an empty server on the same port."""
        self.stop()
        time.sleep(down_s)
        self.start()
