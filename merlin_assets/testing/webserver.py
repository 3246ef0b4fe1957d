"""Talking to a `dagster dev` the benchmark or a test started on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import urllib.request


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    """The `data` of a query to the webserver's GraphQL API; errors raise ValueError."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    if "errors" in body:
        raise ValueError(body["errors"])
    return body["data"]
