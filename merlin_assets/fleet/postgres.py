"""A local Postgres for the fleet: initdb once, pg_ctl start/stop, one `dagster` database.

The server binaries live in /usr/lib/postgresql/<major>/bin (15 on Debian 12, newer on later
releases) and refuse to run as root, so as root they run as the `postgres` user
(`runuser -u postgres`) in a folder it owns. The server listens on 127.0.0.1 only, with its
socket in its own folder and fsync off (a development fleet, not a durable database).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

USER = "postgres"
DATABASE = "dagster"


def bin_dir() -> Path:
    """The newest installed Postgres major's bin folder (or the one holding `initdb` on PATH)."""
    majors = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if majors:
        return majors[-1]
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise FileNotFoundError("no Postgres server binaries (apt-get install postgresql)")


def _as_owner(cmd: list[str]) -> list[str]:
    """Run as `postgres` when we are root (the binaries refuse root)."""
    return ["runuser", "-u", USER, "--", *cmd] if os.geteuid() == 0 else cmd


def _reachable_by_postgres(folder: Path) -> bool:
    if os.geteuid() != 0:
        return True
    probe = subprocess.run(_as_owner(["test", "-x", str(folder)]), capture_output=True, check=False)
    return probe.returncode == 0


def url(port: int, database: str = DATABASE) -> str:
    """SQLAlchemy URL; +psycopg2 because SQLAlchemy 2.1 maps postgresql:// to psycopg 3."""
    return f"postgresql+psycopg2://{USER}@127.0.0.1:{port}/{database}"


class Postgres:
    """One Postgres cluster under `root` (or a private /tmp folder when `postgres` cannot reach
    `root`, e.g. inside pytest's 0700 tmp folders; `root/location` then names it)."""

    def __init__(self, root: Path, port: int):
        self.root = Path(root).absolute()
        self.port = port
        self.bin = bin_dir()
        pointer = self.root / "location"
        if pointer.is_file():
            self.home = Path(pointer.read_text().strip())
        else:
            self.root.mkdir(parents=True, exist_ok=True)
            if _reachable_by_postgres(self.root):
                self.home = self.root / "cluster"
            else:
                self.home = Path(tempfile.mkdtemp(prefix="merlin-pg-"))
                os.chmod(self.home, 0o755)
            pointer.write_text(str(self.home))

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def log(self) -> Path:
        return self.home / "postgres.log"

    def _run(self, *cmd: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            _as_owner([str(self.bin / cmd[0]), *cmd[1:]]),
            capture_output=True,
            text=True,
            check=False,
            cwd="/",
        )
        if result.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {result.stderr.strip() or result.stdout}")
        return result

    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.home.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam(USER)
            os.chown(self.home, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        self.init()
        options = (
            f"-k {self.home} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        self.create_database()

    def running(self) -> bool:
        pid_file = self.data / "postmaster.pid"
        return pid_file.exists()

    def create_database(self, name: str = DATABASE, timeout_s: float = 30.0) -> None:
        import psycopg2

        deadline = time.monotonic() + timeout_s
        while True:
            try:
                conn = psycopg2.connect(
                    host="127.0.0.1", port=self.port, user=USER, dbname="postgres"
                )
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()

    def stop(self) -> str:
        if not self.running():
            return "already gone"
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        return "stopped (pg_ctl -m fast)"

    def remove(self) -> None:
        """Delete the cluster (after stop)."""
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)
        shutil.rmtree(self.root, ignore_errors=True)
