"""A local S3 for the fleet: moto's server (in memory, 127.0.0.1) and its buckets.

moto accepts any credentials; `credentials()` are the ones every fleet process gets.
"""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

from merlin_assets.fleet import processes

NAME = "s3"


def credentials() -> dict[str, str]:
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def endpoint(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def start(root: Path, port: int, env: dict[str, str], buckets: list[str]) -> processes.Started:
    binary = shutil.which("moto_server")
    if binary is None:
        raise FileNotFoundError("moto_server is not installed (pip install 'moto[server]')")
    started = processes.start(
        NAME,
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        root=root,
        env=env,
        cwd=root,
        stop_signal=signal.SIGINT,
    )
    processes.wait_port(port, 30, started.proc)
    make_buckets(endpoint(port), buckets)
    return started


def make_buckets(endpoint_url: str, buckets: list[str], timeout_s: float = 20.0) -> None:
    import boto3

    creds = credentials()
    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=creds["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
        region_name=creds["AWS_DEFAULT_REGION"],
    )
    deadline = time.monotonic() + timeout_s
    for bucket in buckets:
        while True:
            try:
                client.create_bucket(Bucket=bucket)
                break
            except client.exceptions.BucketAlreadyOwnedByYou:
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
