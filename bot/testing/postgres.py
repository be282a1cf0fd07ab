"""A throwaway PostgreSQL server for tests and benchmarks: a fresh cluster in a temporary folder,
on a Unix socket and a free local port, stopped and removed at the end.

``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres`` user (which
Debian's package creates).  Each test asks for a database of its own (:meth:`new_database`).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    """The folder of PostgreSQL's server programs (Debian keeps them out of PATH), if installed."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """``with PostgresServer() as pg: url = pg.new_database()``."""

    def __init__(self) -> None:
        folder = binaries()
        if folder is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install -y postgresql)")
        self.bin = folder
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="danvan-pg-"))
        self.data = self.root / "data"
        self.user = "postgres" if os.geteuid() == 0 else None
        self._names = itertools.count(1)

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)

    def start(self) -> "PostgresServer":
        if self.user:
            shutil.chown(self.root, self.user)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "danvan", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://danvan@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self._run(str(self.bin / "psql"), "-h", str(self.root), "-p", str(self.port), "-U", "danvan",
                  "-d", "postgres", "-qc", f"CREATE DATABASE {name}")
        return self.url(name)

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
