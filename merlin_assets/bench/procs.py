"""Memory of a process tree, sampled: the sum of resident set sizes of a process and all its
descendants, read with psutil when it is installed and from /proc otherwise."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

try:
    import psutil
except ImportError:  # not a dependency: /proc does on Linux
    psutil = None

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MB = 1024 * 1024


def _proc_table() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, rss bytes, command line) for every process we can read."""
    table: dict[int, tuple[int, int, str]] = {}
    if psutil is not None:
        for p in psutil.process_iter(["ppid", "memory_info", "cmdline"]):
            info = p.info
            if info.get("memory_info") is None:
                continue
            cmd = " ".join(info.get("cmdline") or [])
            table[p.pid] = (info["ppid"] or 0, info["memory_info"].rss, cmd)
        return table
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            # The command name may hold spaces and parentheses: split after the last ')'.
            fields = stat[stat.rindex(")") + 2 :].split()
            ppid, rss_pages = int(fields[1]), int(fields[21])
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            table[int(entry.name)] = (ppid, rss_pages * _PAGE, cmd)
    return table


def _descendants(table: dict[int, tuple[int, int, str]], root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(pid)
        todo.extend(children.get(pid, []))
    return found


class TreeMemory:
    """Samples a process tree's total RSS in a thread until stopped; keeps the peaks.

    Args:
        root: The pid whose tree is measured.
        is_run: Picks the processes that are one project's run, from its command line and its
            parent's; the peak of each such process's own subtree is kept too.
        every_s: Seconds between samples.
    """

    def __init__(self, root: int, is_run: Callable[[str, str], bool] | None = None, every_s=0.2):
        self.root = root
        self.is_run = is_run
        self.every_s = every_s
        self.peak_bytes = 0
        self.peak_run_bytes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-memory", daemon=True)

    def sample(self) -> None:
        table = _proc_table()
        tree = _descendants(table, self.root)
        self.peak_bytes = max(self.peak_bytes, sum(table[p][1] for p in tree))
        if self.is_run is not None:
            for pid in tree:
                parent = table.get(table[pid][0], (0, 0, ""))[2]
                if self.is_run(table[pid][2], parent):
                    own = sum(table[p][1] for p in _descendants(table, pid))
                    self.peak_run_bytes = max(self.peak_run_bytes, own)
        self.samples += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):  # a process vanishing mid-read
                self.sample()
            self._stop.wait(self.every_s)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def peak_mb(self) -> float:
        return round(self.peak_bytes / MB, 1)

    @property
    def peak_run_mb(self) -> float:
        return round(self.peak_run_bytes / MB, 1)
