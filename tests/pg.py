"""A throw-away PostgreSQL server for tests (Debian's postgresql 15, run as the postgres user)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = [
    Path(p)
    for p in (
        "/usr/lib/postgresql/15/bin",
        "/usr/lib/postgresql/16/bin",
        "/usr/lib/postgresql/17/bin",
    )
]


def pg_bin() -> Path:
    """Return the folder with initdb/pg_ctl (``JANGBOGI_PG_BIN`` overrides)."""
    env = os.environ.get("JANGBOGI_PG_BIN")
    for d in [Path(env)] if env else PG_BIN_DIRS:
        if (d / "initdb").exists():
            return d
    raise RuntimeError(
        "PostgreSQL server binaries not found: apt-get install postgresql (make test does)"
    )


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """Run as the postgres user when we are root (initdb and postgres refuse root)."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class PgServer:
    """A running server: ``dsn`` connects as superuser ``postgres`` to database ``jangbogi``."""

    root: Path
    port: int

    @property
    def data_dir(self) -> Path:
        """Return the cluster's data directory."""
        return self.root / "data"

    @property
    def dsn(self) -> str:
        """Return the libpq URL of the test database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/jangbogi"

    def stop(self) -> None:
        """Stop the server and delete its files."""
        subprocess.run(
            _as_postgres(
                [str(pg_bin() / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PgServer:
    """Initialise a cluster in a temp dir, start it on a free port on 127.0.0.1 and create ``jangbogi``."""
    binaries = pg_bin()
    root = Path(tempfile.mkdtemp(prefix="jangbogi-pg-"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PgServer(root, free_port())
    log = root / "server.log"
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(server.data_dir),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        opts = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        subprocess.run(
            _as_postgres(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(server.data_dir),
                    "-o",
                    opts,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        subprocess.run(
            _as_postgres(
                [
                    str(binaries / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(server.port),
                    "-U",
                    "postgres",
                    "jangbogi",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as e:
        detail = log.read_text() if log.exists() else ""
        server.stop()
        raise RuntimeError(f"could not start PostgreSQL: {e.stderr}\n{detail}") from e
    return server
