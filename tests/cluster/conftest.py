"""Shared by the cluster and S3 tests: a pipeline day (tiny scope) run by spark-submit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DAY = "2026-11-24"  # a Tuesday: produce, livestock and the weekly eco survey all report
# A slice of the pipeline that exercises each layer the way the whole one does (KAMIS calls, the
# parse UDF on executors' Python workers, conform/quarantine, window functions, Delta
# replaceWhere) at a fraction of the 29 jobs' per-job start-up cost.
JOBS = [
    "raw.product_info",
    "raw.daily_price_by_category_list",
    "silver.dim_region",
    "silver.dim_item",
    "silver.stg_daily_category_price",
    "gold.mart_price_trend",
    "gold.mart_price_rise_top3",
]
OPTS = [
    "kamis.simulator_today=2026-11-30",
    "kamis.scope.regions=1101",
    "kamis.scope.categories=200",
    "kamis.scope.items=211,212",
]


def job_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment of a spark-submit into the lake at ``home`` (local profile)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JANGBOGI", "KAMIS_"))}
    env.update(JANGBOGI_HOME=str(home), JANGBOGI_ENV="local", PYTHONPATH=str(REPO),
               PYSPARK_PYTHON=sys.executable, SPARK_TESTING="1",
               JANGBOGI_SPARK_LOG_LEVEL="ERROR")  # fmt: skip
    env.update(extra or {})
    return env


def pipeline_day(
    home: Path,
    master: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
) -> float:
    """spark-submit JOBS for DAY into the lake at ``home``; return the wall seconds."""
    home.mkdir(parents=True, exist_ok=True)
    cmd = [str(VENV_BIN / "spark-submit")]
    if master:
        cmd += ["--master", master, "--executor-memory", "1g", "--total-executor-cores", "1"]
    cmd += [str(REPO / "spark_jobs" / "main.py"), *JOBS, "--start", DAY, "--end", DAY]
    for opt in OPTS:
        cmd += ["--opt", opt]
    t0 = time.monotonic()
    proc = subprocess.run(
        cmd, env=job_env(home, env), cwd=home, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return time.monotonic() - t0


@pytest.fixture(scope="session")
def local_lake(tmp_path_factory) -> Path:
    """The reference: the day in plain local mode (spark-submit's default master)."""
    home = tmp_path_factory.mktemp("lake-local")
    seconds = pipeline_day(home)
    print(f"\npipeline day in local mode: {seconds:.1f} s")
    return home
