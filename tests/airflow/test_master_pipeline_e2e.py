"""The real thing: Airflow's scheduler runs master_pipeline against the KAMIS simulator.

`airflow db migrate`, then api-server + scheduler + dag-processor (LocalExecutor) started by
scripts/airflow.sh and stopped by PID; the simulator and a webhook receiver started here on free
ports. master_pipeline is triggered for one logical date (10:00 KST on Wednesday 2026-11-25, so the data date
is 2026-11-24) and one spark-submit runs every job; then the gold marts and the serving store must hold
that date, a task failed on purpose must post exactly one alert and the first run's missed
deadline exactly one. (That a rerun of a date leaves every table as it was is shown by the
reliability trials: a run killed at any stage and run again equals the reference run.)
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest
from deltalake import DeltaTable

from testkit.procmem import PeakSampler, tree_rss_mb
from tests.airflow.conftest import AIRFLOW_VENV, REPO, SPARK_VENV, airflow_python
from tests.pg import free_port

pytestmark = [pytest.mark.airflow, pytest.mark.integration, pytest.mark.timeout(3600)]

LOGICAL = "2026-11-25T01:00:00+00:00"  # Wednesday 10:00 in Seoul
# The day before, in KST: what KAMIS has published by 10:00. A Tuesday: produce is surveyed on
# weekdays and eco prices on Tuesdays, so every source has data and the freshness check passes.
DATA_DT = date(2026, 11, 24)
SIM_TODAY = "2026-11-30"
SCOPE = "kamis.scope.regions=1101 kamis.scope.categories=200 kamis.scope.items=211,212"  # 212: eco prices too
RUN_TIMEOUT_S = 1500
# A recognisable cert key and id: the runs use the "real API" path (KAMIS_CERT_KEY/ID set,
# KAMIS_BASE_URL = the simulator, which echoes them in every body as KAMIS does), and after all
# runs neither may be found in a log, the Airflow database (XComs, rendered templates), a lake
# table or the serving store.
CERT_KEY = "e2eCertKey7f3a9cQ"
CERT_ID = "e2eCertId51qZ"
ASSET_DT = date(2026, 11, 23)  # the day a hand-triggered raw DAG refreshes
BACKFILL = (date(2026, 11, 19), date(2026, 11, 20))  # Thursday and Friday: survey days
# one source's raw → silver → mart: the price trend the backfill test reads back
BACKFILL_JOBS = (
    "raw.daily_price_by_category_list",
    "silver.stg_daily_category_price",
    "gold.mart_price_trend",
)


def _wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with closing(socket.socket()) as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


def _json_out(text: str) -> list:
    """The JSON a CLI command printed, skipping any log lines before it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("[", "{")):
            try:
                return json.loads("\n".join(lines[i:]))
            except json.JSONDecodeError:
                continue
    return []


class _Receiver(http.server.BaseHTTPRequestHandler):
    posts: ClassVar[list[dict]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).posts.append(json.loads(body or b"{}"))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Stack:
    """The running Airflow + simulator + webhook receiver of this test module."""

    def __init__(self, home: Path):
        self.home = home
        self.lake = home / "lake"
        self.lake.mkdir()
        self.api_port, self.sim_port, self.hook_port = free_port(), free_port(), free_port()
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "JANGBOGI"))
        }
        self.env.update(
            AIRFLOW_HOME=str(home / "airflow"),
            AIRFLOW_PORT=str(self.api_port),
            JANGBOGI_AIRFLOW_VENV=str(AIRFLOW_VENV),
            JANGBOGI_HOME=str(self.lake),
            JANGBOGI_ENV="local",
            JANGBOGI_SPARK_VENV=str(SPARK_VENV),
            JANGBOGI_MASTER_SCHEDULE="none",
            JANGBOGI_ALERT_WEBHOOK=f"http://127.0.0.1:{self.hook_port}/hook",
            JANGBOGI_JOB_OPTS=(
                f"kamis.simulator_url=http://127.0.0.1:{self.sim_port}/service/price/xml.do "
                + SCOPE
            ),
            KAMIS_CERT_KEY=CERT_KEY,
            KAMIS_CERT_ID=CERT_ID,
            KAMIS_BASE_URL=f"http://127.0.0.1:{self.sim_port}/service/price/xml.do",
            JANGBOGI_SPARK_LOG_LEVEL="ERROR",
            SPARK_TESTING="1",
            PYTHONPATH="",
        )
        self.sim: subprocess.Popen | None = None
        self.httpd: http.server.HTTPServer | None = None
        self.timings: dict[str, float] = {}

    def airflow(self, *args: str, timeout: float = 120) -> str:
        proc = subprocess.run(
            [str(REPO / "scripts" / "airflow.sh"), "exec", *args],
            env=dict(self.env, AIRFLOW__LOGGING__LOGGING_LEVEL="WARNING"),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert proc.returncode == 0, f"airflow {args}: {proc.stderr[-3000:]}"
        return proc.stdout

    def start(self) -> None:
        _Receiver.posts = []
        self.httpd = http.server.HTTPServer(("127.0.0.1", self.hook_port), _Receiver)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        sim_env = {
            k: v for k, v in self.env.items() if not k.startswith("KAMIS_")
        }  # the server side needs no key
        sim_env["PYTHONPATH"] = str(REPO)
        self.sim = subprocess.Popen(
            [sys.executable, "-m", "spark_jobs.cli", "simulate", "--port", str(self.sim_port),
             "--today", SIM_TODAY],
            env=sim_env,
            stdout=open(self.home / "simulator.out", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        (self.home / "simulator.pid").write_text(str(self.sim.pid))
        _wait_port(self.sim_port)
        t0 = time.monotonic()
        up = subprocess.run(
            [str(REPO / "scripts" / "airflow.sh"), "up"],
            env=self.env, capture_output=True, text=True, timeout=240,
        )  # fmt: skip
        assert up.returncode == 0, up.stderr[-3000:]
        self.timings["airflow_up_s"] = time.monotonic() - t0
        self.wait_parsed("master_pipeline")

    def pids(self) -> list[int]:
        pid_dir = self.home / "airflow" / "pids"
        return [int(p.read_text()) for p in pid_dir.glob("*.pid")]

    def wait_parsed(self, dag_id: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with closing(self._db()) as db:
                if db.execute("SELECT 1 FROM dag WHERE dag_id = ?", (dag_id,)).fetchone():
                    return
            time.sleep(2)
        raise TimeoutError(f"{dag_id} was not parsed in {timeout} s")

    def trigger(self, dag_id: str, *, logical: str | None = None, conf: dict | None = None) -> str:
        self.airflow("dags", "unpause", dag_id)
        run_id = f"e2e_{int(time.time() * 1000)}"
        args = ["dags", "trigger", dag_id, "--run-id", run_id]
        if logical:
            args += ["--logical-date", logical]
        if conf:
            args += ["--conf", json.dumps(conf)]
        self.airflow(*args)
        return run_id

    def _db(self) -> sqlite3.Connection:
        """The Airflow metadata database, read-only (polling it costs nothing; a CLI call
        starts an interpreter that imports Airflow: about 2.5 CPU-seconds, every poll)."""
        path = self.home / "airflow" / "airflow.db"
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)

    def runs(self, dag_id: str) -> list[dict]:
        with closing(self._db()) as db:
            rows = db.execute(
                "SELECT run_id, state FROM dag_run WHERE dag_id = ? ORDER BY id DESC", (dag_id,)
            ).fetchall()
        return [{"run_id": run_id, "state": state} for run_id, state in rows]

    def wait_run(self, dag_id: str, run_id: str, timeout: float = RUN_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        state = "?"
        while time.monotonic() < deadline:
            state = next((r["state"] for r in self.runs(dag_id) if r["run_id"] == run_id), "?")
            if state in ("success", "failed"):
                return state
            time.sleep(2)
        raise TimeoutError(f"{dag_id} {run_id} still {state} after {timeout} s")

    def task_states(self, dag_id: str, run_id: str) -> dict[str, str]:
        rows = _json_out(self.airflow("tasks", "states-for-dag-run", dag_id, run_id, "-o", "json"))
        return {r["task_id"]: r["state"] for r in rows}

    def stop(self) -> None:
        subprocess.run(
            [str(REPO / "scripts" / "airflow.sh"), "down"],
            env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if self.sim is not None and self.sim.poll() is None:
            os.killpg(self.sim.pid, signal.SIGTERM)
            self.sim.wait(timeout=20)
        if self.httpd is not None:
            self.httpd.shutdown()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    airflow_python()
    st = Stack(tmp_path_factory.mktemp("airflow-e2e"))
    try:
        st.start()
        yield st
    finally:
        st.stop()
        report = st.home / "timings.json"
        report.write_text(json.dumps(st.timings, indent=1))
        print(f"\nairflow e2e timings: {json.dumps(st.timings)}", file=sys.stderr)


@pytest.fixture(scope="module")
def first_run(stack):
    idle = tree_rss_mb(stack.pids())
    stack.timings["airflow_idle_rss_mb"] = round(idle, 1)
    roots = [*stack.pids(), os.getpid()]
    sampler = PeakSampler(lambda: roots)
    sampler.start()
    t0 = time.monotonic()
    run_id = stack.trigger("master_pipeline", logical=LOGICAL)
    state = stack.wait_run("master_pipeline", run_id)
    stack.timings["master_run_1_s"] = round(time.monotonic() - t0, 1)
    sampler.finish()
    stack.timings["peak_rss_mb_airflow_plus_spark"] = round(sampler.peak, 1)
    tasks = stack.task_states("master_pipeline", run_id)
    assert state == "success", {k: v for k, v in tasks.items() if v != "success"}
    return run_id


def test_master_run_executes_every_job(stack, first_run):
    from spark_jobs.jobs import registered_jobs

    tasks = stack.task_states("master_pipeline", first_run)
    assert set(tasks.values()) == {"success"}
    # local (Derby): the whole pipeline in one spark-submit, then publish, then freshness
    assert set(tasks) == {"pipeline", "publish", "freshness"}, tasks
    # every registered job ran inside the stage's spark-submit (its log says so)
    logs = stack.home / "airflow" / "logs" / "dag_id=master_pipeline" / f"run_id={first_run}"
    text = "".join(p.read_text(errors="replace") for p in logs.glob("task_id=*/attempt=*.log"))
    assert {j for j in registered_jobs() if f"{j}: ok in" not in text} == set()


def test_gold_marts_and_serving_store_hold_the_date(stack, first_run):
    lake = stack.lake
    status = DeltaTable(str(lake / "var/warehouse/kamis_gold.db/mart_update_status")).to_pandas()
    assert len(status) > 0
    # (day-over-day marts such as mart_price_region_count need a previous survey day: empty here)
    daily = (
        "mart_retail_price_latest",
        "mart_retail_channel_comparison",
        "mart_basket_cost",
        "mart_price_trend",
        "mart_buy_signal",
    )
    # the day-by-category marts hold the day; the market-price ones also the days before it that
    # the region-less periodRetailProductList call (D-6..D, for late corrections) brought
    for name in daily:
        days = set(
            DeltaTable(str(lake / "var/warehouse/kamis_gold.db" / name)).to_pandas()["res_dt"]
        )
        if name in ("mart_price_trend", "mart_buy_signal"):
            assert days == {DATA_DT}, name
        else:
            assert DATA_DT in days and max(days) == DATA_DT, (name, sorted(days))
            assert min(days) >= DATA_DT - timedelta(days=6), (name, sorted(days))
    assert set(status["as_of_dt"]) == {DATA_DT}
    con = duckdb.connect(str(lake / "var/serving/jangbogi.duckdb"), read_only=True)
    try:
        for name in daily:
            n = con.execute(f"SELECT count(*) FROM {name} WHERE res_dt = ?", [DATA_DT]).fetchone()
            assert n[0] > 0, name
    finally:
        con.close()


def test_run_history_has_a_row_per_job(stack, first_run):
    from spark_jobs.jobs import registered_jobs

    hist = DeltaTable(str(stack.lake / "var/warehouse/kamis_ops.db/job_run_history")).to_pandas()
    ok = hist[(hist["status"] == "success") & (hist["start_dt"] == DATA_DT)]
    assert set(ok["job"]) == set(registered_jobs())
    assert (ok["seconds"] > 0).all() and (ok["peak_rss_mb"] > 100).all()
    assert ok["orchestrator_run"].notna().all()
    raw = ok[ok["job"] == "raw.daily_price_by_category_list"]
    assert (raw["rows_written"] > 0).all()


def test_a_failed_task_and_the_missed_deadline_each_alert_once(stack, first_run):
    run_id = stack.trigger("raw_product_info_collect_daily", conf={"date": "2026-02-30"})
    assert stack.wait_run("raw_product_info_collect_daily", run_id, timeout=300) == "failed"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        failed = [p for p in _Receiver.posts if p.get("kind") == "task_failed"]
        missed = [p for p in _Receiver.posts if p.get("kind") == "deadline_missed"]
        if failed and missed:
            break
        time.sleep(2)
    time.sleep(5)  # a duplicate would arrive by now
    failed = [p for p in _Receiver.posts if p.get("kind") == "task_failed"]
    missed = [p for p in _Receiver.posts if p.get("kind") == "deadline_missed"]
    assert len(failed) == 1, _Receiver.posts
    assert failed[0]["dag_id"] == "raw_product_info_collect_daily"
    assert failed[0]["task_id"] == "product_info"
    assert len(missed) == 1, _Receiver.posts
    assert "master_pipeline" in missed[0]["text"]
    assert all("jangbogi-simulator" not in json.dumps(p) for p in _Receiver.posts)


def _history(stack) -> object:
    return DeltaTable(str(stack.lake / "var/warehouse/kamis_ops.db/job_run_history")).to_pandas()


def test_a_hand_refreshed_source_runs_its_silver_dag_by_asset(stack, first_run):
    """raw_product_info by hand → its outlet asset → silver_product_info_transform_daily runs
    by itself for the window the raw run wrote (gold stays paused, so the chain stops there)."""
    silver_dag = "silver_product_info_transform_daily"
    stack.airflow("dags", "unpause", silver_dag)
    before = {r["run_id"] for r in stack.runs(silver_dag)}
    run_id = stack.trigger("raw_product_info_collect_daily", conf={"date": ASSET_DT.isoformat()})
    assert stack.wait_run("raw_product_info_collect_daily", run_id, timeout=600) == "success"
    deadline = time.monotonic() + 600
    new: list[dict] = []
    while time.monotonic() < deadline:
        new = [r for r in stack.runs(silver_dag) if r["run_id"] not in before]
        if new and new[0]["state"] in ("success", "failed"):
            break
        time.sleep(5)
    assert len(new) == 1, new
    assert new[0]["state"] == "success", new
    assert new[0]["run_id"].startswith("asset_triggered"), new
    hist = _history(stack)
    rows = hist[hist["orchestrator_run"].fillna("").str.startswith(f"{silver_dag}/")]
    assert set(rows["job"]) == {"silver.dim_item", "silver.dim_season"}
    assert set(rows["status"]) == {"success"}
    assert set(rows["start_dt"]) == {ASSET_DT} and set(rows["end_dt"]) == {ASSET_DT}


def test_backfill_runs_a_date_range_under_the_scheduler(stack, first_run):
    """backfill for two days of one source: its month task runs just the chosen jobs, once each,
    in pipeline order for that window, then publish. (The whole pipeline, the default, is the
    master run's set of jobs; the DagBag test checks the default and the name checks.)"""
    t0 = time.monotonic()
    conf = {
        "start": BACKFILL[0].isoformat(),
        "end": BACKFILL[-1].isoformat(),
        # listed out of order on purpose: the DAG runs them raw → silver → gold
        "jobs": " ".join(reversed(BACKFILL_JOBS)),
    }
    run_id = stack.trigger("backfill", conf=conf)
    state = stack.wait_run("backfill", run_id)
    stack.timings["backfill_2_days_s"] = round(time.monotonic() - t0, 1)
    tasks = stack.task_states("backfill", run_id)
    assert state == "success", tasks
    assert set(tasks) == {"months", "month", "publish"}, tasks
    hist = _history(stack)
    rows = hist[hist["orchestrator_run"].fillna("").str.startswith(f"backfill/{run_id}/month/")]
    assert sorted(rows["job"]) == sorted(BACKFILL_JOBS)  # one month: each job exactly once
    assert list(rows.sort_values("started_at")["job"]) == list(BACKFILL_JOBS)
    assert set(rows["status"]) == {"success"}
    assert set(rows["start_dt"]) == {BACKFILL[0]} and set(rows["end_dt"]) == {BACKFILL[-1]}
    trend = DeltaTable(str(stack.lake / "var/warehouse/kamis_gold.db/mart_price_trend"))
    days = set(trend.to_pandas(columns=["res_dt"])["res_dt"])
    assert set(BACKFILL) <= days, days
    con = duckdb.connect(str(stack.lake / "var/serving/jangbogi.duckdb"), read_only=True)
    try:
        sql = "SELECT DISTINCT res_dt FROM mart_price_trend WHERE res_dt BETWEEN ? AND ?"
        got = {r[0] for r in con.execute(sql, [BACKFILL[0], BACKFILL[-1]]).fetchall()}
    finally:
        con.close()
    assert got == set(BACKFILL)


def _files_containing(root: Path, needles: list[bytes]) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(n in data for n in needles):
                hits.append(str(path.relative_to(root)))
    return hits


def _tables_containing(lake: Path, needles: list[str]) -> list[str]:
    hits = []
    for log in sorted((lake / "var" / "warehouse").glob("*.db/*/_delta_log")):
        df = DeltaTable(str(log.parent)).to_pandas()
        text = df.astype(str).to_csv(index=False)
        if any(n in text for n in needles):
            hits.append(f"{log.parent.parent.name}/{log.parent.name}")
    con = duckdb.connect(str(lake / "var" / "serving" / "jangbogi.duckdb"), read_only=True)
    try:
        for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            text = con.execute(f'SELECT * FROM "{name}"').df().astype(str).to_csv(index=False)
            if any(n in text for n in needles):
                hits.append(f"serving.{name}")
    finally:
        con.close()
    return hits


def test_the_cert_key_is_in_no_log_xcom_template_table_or_alert(stack, first_run):
    needles = [CERT_KEY, CERT_ID]
    raw = [n.encode() for n in needles]
    home = stack.home
    # the search finds what is there: a planted copy is found
    plant = home / "airflow" / "logs" / "planted.txt"
    plant.write_text(f"x={CERT_KEY}")
    assert _files_containing(home, raw) == ["airflow/logs/planted.txt"]
    plant.unlink()
    # the runs really went through the key path: KAMIS echoed the key, redaction removed it
    hist = _history(stack)
    assert len(hist) > 0
    assert _files_containing(home, raw) == []  # every task log, the Airflow DB, the lake files
    assert _tables_containing(stack.lake, needles) == []
    with closing(stack._db()) as db:
        for table in ("xcom", "rendered_task_instance_fields"):
            rows = db.execute(f"SELECT * FROM {table}").fetchall()
            assert not any(n in str(rows) for n in needles), table
    assert not any(n in json.dumps(_Receiver.posts) for n in needles)
