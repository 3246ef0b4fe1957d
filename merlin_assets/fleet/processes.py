"""Start processes in their own process groups with pid files; stop exactly those groups.

A pid file (`<dir>/pids/<name>.json`) records the group leader's pid, the command and when it
started; `stop()` signals that group only, waits for every member to go, then SIGKILLs what is
left. Works from another process than the one that started them (`merlin fleet down`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Popen objects this process started, so their exit statuses are reaped (a zombie leader would
# keep its group "alive" to kill(0)).
_children: dict[int, subprocess.Popen] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout_s: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout_s}s")


@dataclass(frozen=True)
class Started:
    name: str
    pid: int
    log: Path
    proc: subprocess.Popen


def pid_dir(root: Path) -> Path:
    return root / "pids"


def start(
    name: str,
    cmd: Sequence[str],
    *,
    root: Path,
    env: Mapping[str, str],
    cwd: Path | None = None,
    stop_signal: int = signal.SIGTERM,
) -> Started:
    """Start `cmd` in a new session (its own process group), output to `<root>/logs/<name>.log`."""
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    pid_dir(root).mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _children[proc.pid] = proc
    record = {
        "name": name,
        "pid": proc.pid,
        "cmd": list(cmd),
        "started": time.time(),
        "stop_signal": int(stop_signal),
    }
    (pid_dir(root) / f"{name}.json").write_text(json.dumps(record))
    return Started(name, proc.pid, log, proc)


def group_alive(pgid: int) -> bool:
    proc = _children.get(pgid)
    if proc is not None:
        proc.poll()  # reap the leader if it has exited
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def group_pids(pgid: int) -> list[int]:
    """Members of process group `pgid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, ...; a zombie (Z) holds no memory.
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def stop_group(pgid: int, sig: int = signal.SIGTERM, grace_s: float = 15.0) -> str:
    """Signal the group, wait up to `grace_s` for it to end, then SIGKILL it. Says how it went."""
    if not group_alive(pgid):
        return "already gone"
    signal_group(pgid, sig)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not group_alive(pgid):
            return f"stopped ({signal.Signals(sig).name})"
        time.sleep(0.1)
    signal_group(pgid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and group_alive(pgid):
        time.sleep(0.1)
    return "killed (SIGKILL after grace)" if not group_alive(pgid) else "still running"


def recorded(root: Path) -> list[dict]:
    """Every pid file under `root`, oldest first."""
    folder = pid_dir(root)
    records = []
    for path in folder.glob("*.json") if folder.is_dir() else []:
        with contextlib.suppress(ValueError, OSError):
            records.append({**json.loads(path.read_text()), "file": str(path)})
    return sorted(records, key=lambda r: r["started"])


def stop_recorded(record: dict, grace_s: float = 15.0) -> str:
    outcome = stop_group(int(record["pid"]), int(record.get("stop_signal", 15)), grace_s)
    with contextlib.suppress(FileNotFoundError):
        Path(record["file"]).unlink()
    _children.pop(int(record["pid"]), None)
    return outcome


def peak_rss_mb(pgid: int) -> float:
    """Summed VmHWM (peak resident memory) of the group's live members, in MB."""
    total = 0
    for pid in group_pids(pgid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total / 1024
