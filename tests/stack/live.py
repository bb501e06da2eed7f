"""A live non-Docker stack on free ports: ``scripts/stack.sh`` driven from Python (tests, bench).

PostgreSQL, the standalone Hive Metastore and Trino run from the artifact cache that
``scripts/fetch_stack.sh`` fills (``make setup-test`` calls it). Each is started and stopped by
PID through the script; its data and logs live in a throw-away folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.pg import free_port

REPO = Path(__file__).resolve().parents[2]
STACK_SH = REPO / "scripts" / "stack.sh"


def stack_cache() -> Path:
    """Return the artifact cache ``scripts/fetch_stack.sh`` fills."""
    env = os.environ.get("JANGBOGI_STACK_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jangbogi" / "stack"


@dataclass
class Stack:
    """A running stack: its folder, ports and the environment that reaches it.

    Attributes:
        root: The stack's data and log folder (``JANGBOGI_STACK_DIR``).
        pg_port: PostgreSQL's port on 127.0.0.1.
        hms_port: The metastore's thrift port.
        trino_port: Trino's HTTP port.
        env: The variables of ``scripts/stack.sh`` (passwords included).
        up_seconds: How long ``stack.sh up`` took.
    """

    root: Path
    pg_port: int
    hms_port: int
    trino_port: int
    env: dict[str, str] = field(default_factory=dict)
    up_seconds: float = 0.0

    @property
    def serving_dsn(self) -> str:
        """Return the serving store's libpq URL (role ``jangbogi``)."""
        return (
            f"postgresql://jangbogi:{self.env['SERVING_DB_PASSWORD']}"
            f"@127.0.0.1:{self.pg_port}/jangbogi"
        )

    def profile_env(self, home: Path) -> dict[str, str]:
        """Return an environment for a ``JANGBOGI_ENV=stack`` process whose lake lives in ``home``."""
        return dict(
            os.environ,
            **self.env,
            JANGBOGI_ENV="stack",
            JANGBOGI_HOME=str(home),
            HIVE_METASTORE_URI=f"thrift://127.0.0.1:{self.hms_port}",
            TRINO_HOST="127.0.0.1",
            TRINO_PORT=str(self.trino_port),
            JANGBOGI_SERVING_DSN=self.serving_dsn,
            SPARK_TESTING="1",
            PYSPARK_PYTHON=sys.executable,
        )

    def script(self, command: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run ``scripts/stack.sh <command>`` against this stack."""
        return subprocess.run(
            [str(STACK_SH), command],
            env=dict(os.environ, **self.env),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _logs(root: Path) -> str:
    out = []
    for log in sorted((root / "logs").glob("*.log")):
        out.append(
            f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        )
    return "\n".join(out)


def missing_artifacts() -> list[Path]:
    """Return the unpacked servers ``scripts/fetch_stack.sh`` has not put in the cache yet."""
    cache = stack_cache()
    return [
        cache / need
        for need in ("apache-hive-metastore-3.1.3-bin", "trino-server-476")
        if not (cache / need / ".jangbogi-unpacked").is_file()
    ]


def new_stack() -> Stack:
    """Return a stack (not started) in a new folder, on free ports, with fresh random passwords.

    The folder is under /tmp itself: PostgreSQL runs as the postgres user, who cannot enter
    pytest's per-user temp folder.
    """
    root = Path(tempfile.mkdtemp(prefix="jangbogi-stack-"))
    os.chmod(root, 0o755)
    env = {
        "JANGBOGI_STACK_DIR": str(root),
        "JANGBOGI_PYTHON": sys.executable,
        "STACK_PG_PORT": str(free_port()),
        "STACK_HMS_PORT": str(free_port()),
        "STACK_TRINO_PORT": str(free_port()),
        "STACK_PG_FSYNC": "off",
        "METASTORE_DB_PASSWORD": secrets.token_urlsafe(16),
        "SERVING_DB_PASSWORD": secrets.token_urlsafe(16),
    }
    return Stack(
        root,
        int(env["STACK_PG_PORT"]),
        int(env["STACK_HMS_PORT"]),
        int(env["STACK_TRINO_PORT"]),
        env,
    )


def up(s: Stack) -> None:
    """Start the stack (``stack.sh up``), recording the time it took; raise with the logs on failure."""
    t0 = time.perf_counter()
    proc = s.script("up")
    s.up_seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"stack.sh up failed:\n{proc.stderr}\n{_logs(s.root)}")


def down(s: Stack, remove: bool = True) -> None:
    """Stop the stack by PID (``stack.sh down``) and, with ``remove``, delete its folder."""
    proc = s.script("down", timeout=120)
    if remove:
        shutil.rmtree(s.root, ignore_errors=True)
    if proc.returncode != 0:
        raise RuntimeError(f"stack.sh down failed:\n{proc.stderr}")


def pids(s: Stack) -> dict[str, int]:
    """Return the PID of each running service, from the stack's pid files."""
    out = {}
    for name in ("postgres", "metastore", "trino"):
        f = s.root / "run" / f"{name}.pid"
        if f.is_file():
            out[name] = int(f.read_text().strip())
    return out
