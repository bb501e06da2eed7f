"""Airflow test helpers: Airflow runs in its own venv (.venv-airflow), driven as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow_dags"
AIRFLOW_VENV = Path(os.environ.get("JANGBOGI_AIRFLOW_VENV") or REPO / ".venv-airflow")
# The Spark venv is the one running pytest (it has spark-submit and the package's dependencies).
SPARK_VENV = Path(sys.prefix)


def airflow_python() -> Path:
    """Return .venv-airflow's python, failing the test with the set-up hint when it is missing."""
    py = AIRFLOW_VENV / "bin" / "python"
    if not py.exists():
        pytest.fail(f"{py} missing: run scripts/setup_airflow.sh (make setup-test does)")
    return py


def load_dagbag(home: Path, jangbogi_env: str) -> dict:
    """Return the DagBag as dagbag_probe.py describes it (loaded in .venv-airflow)."""
    out = home / "dagbag.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "JANGBOGI_MASTER"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
        JANGBOGI_ENV=jangbogi_env,
        PYTHONPATH="",
    )
    proc = subprocess.run(
        [
            str(airflow_python()),
            str(Path(__file__).with_name("dagbag_probe.py")),
            str(DAGS),
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def dagbag(tmp_path_factory) -> dict:
    """The DagBag in the `local` profile."""
    return load_dagbag(tmp_path_factory.mktemp("airflow-dagbag"), "local")


@pytest.fixture(scope="session")
def dagbag_stack(tmp_path_factory) -> dict:
    """The DagBag in the `stack` profile (PostgreSQL-backed metastore, Spark in parallel)."""
    return load_dagbag(tmp_path_factory.mktemp("airflow-dagbag-stack"), "stack")
