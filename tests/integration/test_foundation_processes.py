from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "JANGBOGI_HOME": str(home),
            "JANGBOGI_ENV": "local",
            "SPARK_TESTING": "1",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def _run(
    cmd: list[str], env: dict[str, str], timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_table_written_offline_by_one_process_is_read_by_another(tmp_path):
    """Process 1 runs with no network at all (own network namespace, loopback only), so the
    Delta jars can only come from the local cache; process 2 finds the table in the metastore."""
    assert shutil.which("unshare"), "util-linux unshare is needed for the offline test"
    env = _env(tmp_path)
    script = str(REPO / "tests" / "integration" / "lake_proc.py")
    offline = [
        "unshare",
        "-n",
        "sh",
        "-c",
        f'ip link set lo up && exec "{sys.executable}" "{script}" write',
    ]
    out = _run(offline, env).stdout
    assert "WROTE 2" in out
    out = _run([sys.executable, script, "read"], env).stdout
    assert "TABLES ['proc_shared']" in out
    assert "ROWS [('211', 3000.0), ('231', 1200.0)]" in out
    assert (tmp_path / "var" / "metastore" / "metastore_db").is_dir()
    assert (
        tmp_path / "var" / "warehouse" / "kamis_silver.db" / "proc_shared" / "_delta_log"
    ).is_dir()


def test_spark_submit_help_lists_every_job(tmp_path):
    from spark_jobs.jobs import registered_jobs

    out = _run(
        [str(VENV_BIN / "spark-submit"), str(REPO / "spark_jobs" / "main.py"), "--help"],
        _env(tmp_path),
    ).stdout
    assert "--date" in out and "--start" in out and "--profile" in out
    jobs = registered_jobs()
    for name, job in jobs.items():
        assert f"  {name}" in out, name
        assert job.description[:30] in out
    assert "raw|silver|gold|all" in out


def test_main_rejects_an_unknown_job_and_a_bad_date(tmp_path):
    env = _env(tmp_path)
    main = str(REPO / "spark_jobs" / "main.py")
    bad = subprocess.run(
        [sys.executable, main, "no.such_job", "--date", "2026-11-02"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "unknown job or layer 'no.such_job'" in bad.stderr
    bad = subprocess.run(
        [sys.executable, main, "all", "--date", "2026-13-02"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "not a date" in bad.stderr
