"""A throwaway S3 for tests: moto's server, in memory, on 127.0.0.1, on a free port.

`S3Server` starts `moto_server -H 127.0.0.1 -p PORT` (from `moto[server]`) in its own process
group, waits until it answers HTTP, and stops its group (SIGINT, then SIGKILL). Nothing is written
to disk: every bucket is gone when it stops. Clients reach it with `endpoint_url` and any
credentials (`credentials()` gives a set to put in the environment).

Example:
    with S3Server() as s3:
        fs = s3.filesystem()
        s3.make_bucket("sites")
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from typing import Any

from merlin_assets.testing.processes import stop_group
from merlin_assets.testing.service import Service
from merlin_assets.testing.webserver import free_port

HOST = "127.0.0.1"


def moto_server_binary() -> str | None:
    """The `moto_server` on the PATH, or None (`pip install 'moto[server]'`)."""
    return shutil.which("moto_server")


def credentials() -> dict[str, str]:
    """Environment variables botocore needs; moto accepts any values."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


class S3Server(Service):
    """One `moto_server` process owned by a test."""

    def __init__(self, port: int | None = None):
        binary = moto_server_binary()
        if binary is None:
            raise FileNotFoundError("moto_server is not installed (pip install 'moto[server]')")
        self.binary = binary
        self.port = port or free_port()
        self._proc: subprocess.Popen | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1):
                return True
        except urllib.error.HTTPError:
            return True  # any HTTP answer means it is serving
        except OSError:
            return False

    def start(self, timeout_s: float = 30.0) -> S3Server:
        if self._proc is not None and self._proc.poll() is None:
            return self
        self._proc = subprocess.Popen(
            [self.binary, "-H", HOST, "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"moto_server exited with code {self._proc.returncode}")
            if self._answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"moto_server did not answer on port {self.port} in {timeout_s}s")

    def stop(self) -> None:
        if self._proc is not None:
            stop_group(self._proc, grace_s=5.0)
            self._proc = None

    def filesystem(self, **kwargs: Any):
        """A fresh `s3fs.S3FileSystem` on this server, listings never cached."""
        from merlin_assets.storage import filesystem

        creds = credentials()
        return filesystem(
            self.endpoint_url,
            key=creds["AWS_ACCESS_KEY_ID"],
            secret=creds["AWS_SECRET_ACCESS_KEY"],
            **kwargs,
        )

    def make_bucket(self, name: str) -> None:
        self.filesystem().mkdir(name)
