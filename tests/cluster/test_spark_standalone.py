"""Spark standalone cluster: a pipeline day submitted to a real master + worker.

A master and a worker started from the pyspark distribution (``spark-class``), each in its own
process group, stopped by PID. The same day (tiny scope, the in-process simulator) is run once
with ``spark-submit`` in local mode and once with ``--master spark://127.0.0.1:<port>``; every
Delta table must come out the same (rows and an order-independent digest), and the cluster run
must really have run on the worker's executor (the master's application list says so).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.cluster.conftest import JOBS, REPO, pipeline_day
from tests.lake_digest import delta_digests
from tests.pg import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800)]

SPARK_HOME = Path(__import__("pyspark").__file__).parent


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


class Cluster:
    """A standalone master and one worker (1 core, 2 GB) on 127.0.0.1."""

    def __init__(self, home: Path):
        self.home = home
        self.port, self.ui, self.worker_ui = free_port(), free_port(), free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.procs: dict[str, subprocess.Popen] = {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("JANGBOGI")}
        # executors' Python workers import spark_jobs from this checkout, with this interpreter
        self.env = dict(env, SPARK_HOME=str(SPARK_HOME), PYTHONPATH=str(REPO),
                        PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")  # fmt: skip

    def _start(self, name: str, *args: str) -> None:
        log = open(self.home / f"{name}.out", "w")  # noqa: SIM115
        self.procs[name] = subprocess.Popen(
            [str(SPARK_HOME / "bin" / "spark-class"), *args],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        (self.home / f"{name}.pid").write_text(str(self.procs[name].pid))

    def start(self) -> None:
        self._start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", str(self.port), "--webui-port", str(self.ui))  # fmt: skip
        self._wait(lambda s: s.get("status") == "ALIVE", "master")
        work = self.home / "work"
        self._start("worker", "org.apache.spark.deploy.worker.Worker", self.url, "--host",
                    "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port",
                    str(self.worker_ui), "--work-dir", str(work))  # fmt: skip
        self._wait(lambda s: s.get("aliveworkers", 0) >= 1, "worker")

    def state(self) -> dict:
        return _get_json(f"http://127.0.0.1:{self.ui}/json/")

    def _wait(self, ok, what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    log = (self.home / f"{name}.out").read_text(errors="replace")
                    pytest.fail(f"spark {name} exited {proc.returncode}: {log[-2000:]}")
            try:
                if ok(self.state()):
                    return
            except OSError:
                pass
            time.sleep(1)
        pytest.fail(f"spark {what} not up in {timeout} s")

    def stop(self) -> None:
        for proc in reversed(list(self.procs.values())):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("spark-standalone"))
    try:
        c.start()
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def lakes(cluster, local_lake, tmp_path_factory):
    home = tmp_path_factory.mktemp("lake-cluster")
    seconds = pipeline_day(home, master=cluster.url)
    print(f"\npipeline day on the cluster: {seconds:.1f} s")
    return local_lake, home


def test_the_day_ran_on_the_cluster(cluster, lakes):
    apps = cluster.state().get("completedapps", [])
    assert [a["name"] for a in apps] == ["jangbogi:" + "+".join(JOBS)], apps
    assert apps[0]["cores"] == 1
    work = cluster.home / "work"
    # the worker launched an executor for it, whose Python workers ran the parse UDFs
    assert list(work.glob("app-*/*/stderr")), "no executor ran"


def test_cluster_tables_equal_local_tables(lakes):
    local, cluster = (delta_digests(p / "var" / "warehouse") for p in lakes)
    written = {
        "kamis_raw.product_info",
        "kamis_raw.daily_price_by_category_list",
        "kamis_silver.dim_region",
        "kamis_silver.dim_item",
        "kamis_silver.stg_daily_category_price",
        "kamis_gold.mart_price_trend",
        "kamis_gold.mart_price_rise_top3",
    }
    assert written <= set(local), sorted(local)  # (and stg_quarantine when rows were routed)
    assert set(cluster) == set(local)
    assert {k: (local[k], cluster[k]) for k in local if local[k] != cluster[k]} == {}
    gold = {k: v for k, v in local.items() if k.startswith("kamis_gold.")}
    assert gold["kamis_gold.mart_price_trend"][0] > 0
