"""DagBag integrity: every DAG imports, has the expected ids, tags, owners, schedules, pools,
retries and graph, and every registered job appears in exactly one layer DAG."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.airflow.conftest import REPO

pytestmark = [pytest.mark.airflow, pytest.mark.unit]

SOURCES = (
    "daily_price_by_category_list",
    "daily_county_list",
    "period_retail_product_list",
    "eco_price_list",
    "product_info",
)
LAYER_DAGS = {
    *(f"raw_{s}_collect_daily" for s in SOURCES),
    *(f"silver_{s}_transform_daily" for s in SOURCES),
    "silver_dims_transform_daily",
    "gold_marts_build_daily",
    "serving_publish_daily",
}


def test_no_import_errors_and_no_pyspark(dagbag):
    assert dagbag["import_errors"] == {}
    assert not dagbag["pyspark_imported"], "airflow_dags must not import pyspark"
    assert not dagbag["spark_jobs_imported"], "DAG files read the manifest, not spark_jobs"


def test_dag_ids(dagbag):
    assert set(dagbag["dags"]) == LAYER_DAGS | {"master_pipeline", "backfill"}


@pytest.mark.parametrize("dag_id", sorted(LAYER_DAGS | {"master_pipeline", "backfill"}))
def test_every_dag_is_tagged_owned_and_alerting(dagbag, dag_id):
    dag = dagbag["dags"][dag_id]
    assert "jangbogi" in dag["tags"]
    assert dag["catchup"] is False and dag["max_active_runs"] == 1
    backfill = ["end", "jobs", "opts", "start"]
    assert dag["params"] == (backfill if dag_id == "backfill" else ["date", "opts"])
    for task_id, task in dag["tasks"].items():
        assert task["owner"] == "jangbogi", task_id
        assert task["has_failure_callback"], task_id
        if task["job"]:
            assert "SparkSubmitOperator" in task["mro"], task_id
            assert task["pool"] == "spark_metastore", task_id
            assert task["conn_id"] == "spark_local", task_id


def test_collection_retries_with_exponential_backoff(dagbag):
    for dag_id, dag in dagbag["dags"].items():
        for task_id, task in dag["tasks"].items():
            if (task["job"] or "").startswith("raw."):
                assert task["retries"] == 3 and task["retry_exponential_backoff"], (dag_id, task_id)
            elif task["job"]:
                assert task["retries"] == 1 and not task["retry_exponential_backoff"]


def test_master_schedule_and_deadline(dagbag):
    master = dagbag["dags"]["master_pipeline"]
    assert master["timetable"] == "CronTriggerTimetable"
    assert (master["schedule"], master["timezone"]) == ("0 10 * * *", "Asia/Seoul")
    assert master["deadline"] == [
        {"interval": 3 * 3600.0, "reference": "DagRunLogicalDateDeadline"}
    ]
    # the master emits no asset events (its layer DAGs would otherwise rerun the same window)
    assert all(not t["outlets"] for t in master["tasks"].values())


def test_master_in_local_runs_the_whole_pipeline_in_one_spark_submit(dagbag):
    tasks = dagbag["dags"]["master_pipeline"]["tasks"]
    assert {k: t["upstream"] for k, t in tasks.items()} == {
        "pipeline": [],
        "publish": ["pipeline"],
        "freshness": ["publish"],
    }
    # collection's retries (a retried collection skips the calls already stored)
    assert tasks["pipeline"]["retries"] == 3 and tasks["pipeline"]["retry_exponential_backoff"]
    assert tasks["freshness"]["retries"] == 0
    manifest = json.loads((REPO / "airflow_dags/jangbogi_dag_lib/jobs.json").read_text())
    assert _jobs_of(tasks["pipeline"]) == [r["job"] for r in manifest["jobs"]]  # pipeline order


def test_master_stage_modes_group_the_jobs_in_pipeline_order(dagbag):
    manifest = json.loads((REPO / "airflow_dags/jangbogi_dag_lib/jobs.json").read_text())
    order = [r["job"] for r in manifest["jobs"]]
    stages = dagbag["stages"]
    assert stages["pipeline"] == {"pipeline": order}
    assert list(stages["layer"]) == ["raw.collect", "silver.transform", "gold.marts"]
    for task_id, layer in zip(stages["layer"], ("raw", "silver", "gold"), strict=True):
        assert stages["layer"][task_id] == [j for j in order if j.startswith(f"{layer}.")]
    assert len(stages["source"]) == 12
    for mode in ("layer", "source"):  # every job once, each stage in pipeline order
        jobs = [j for js in stages[mode].values() for j in js]
        assert sorted(jobs) == sorted(order), mode
        for js in stages[mode].values():
            assert js == sorted(js, key=order.index), (mode, js)
    assert stages["bad_mode"].startswith("ValueError: JANGBOGI_MASTER_STAGES='layers'")


def test_master_in_stack_runs_sources_in_parallel(dagbag_stack):
    assert dagbag_stack["import_errors"] == {}
    tasks = dagbag_stack["dags"]["master_pipeline"]["tasks"]
    assert all(t["conn_id"] == "spark_stack" for t in tasks.values() if t["job"])
    # one stage per layer DAG: the five sources are independent, silver waits for its source
    assert sorted(t for t in tasks if t.startswith("raw.")) == sorted(f"raw.{s}" for s in SOURCES)
    assert all(not t["upstream"] for k, t in tasks.items() if k.startswith("raw."))
    assert tasks["silver.daily_price_by_category_list"]["upstream"] == [
        "raw.daily_price_by_category_list"
    ]
    assert tasks["silver.product_info"]["job"] == "silver.dim_item+silver.dim_season"
    assert {"silver.period_retail_product_list", "silver.eco_price_list"} <= set(
        tasks["silver.dims"]["upstream"]
    )
    assert {t for t in tasks if t.startswith("silver.")} <= set(tasks["gold.marts"]["upstream"])
    assert tasks["publish"]["upstream"] == ["gold.marts"]


def _jobs_of(task: dict) -> list[str]:
    return task["job"].split("+") if task["job"] else []


@pytest.mark.parametrize("profile", ["local", "stack"])
def test_every_registered_job_in_exactly_one_layer_dag_and_one_master_stage(
    dagbag, dagbag_stack, profile
):
    from spark_jobs.jobs import registered_jobs

    dagbag = dagbag if profile == "local" else dagbag_stack
    jobs = set(registered_jobs())
    seen: dict[str, list[str]] = {}
    for dag_id in LAYER_DAGS:
        for task in dagbag["dags"][dag_id]["tasks"].values():
            assert len(_jobs_of(task)) <= 1, "layer DAGs: one task per job"
            for job in _jobs_of(task):
                seen.setdefault(job, []).append(dag_id)
    assert set(seen) == jobs
    assert {j: d for j, d in seen.items() if len(d) != 1} == {}
    in_master = [
        j for t in dagbag["dags"]["master_pipeline"]["tasks"].values() for j in _jobs_of(t)
    ]
    assert sorted(in_master) == sorted(jobs)


def test_assets_follow_the_table_registry(dagbag):
    from spark_jobs.registry import all_tables

    tables = set(all_tables())
    for dag_id in LAYER_DAGS - {"serving_publish_daily"}:
        for task_id, task in dagbag["dags"][dag_id]["tasks"].items():
            assert task["outlets"], (dag_id, task_id)
            assert set(task["outlets"]) | set(task["inlets"]) <= tables, (dag_id, task_id)
    raw = dagbag["dags"]["raw_product_info_collect_daily"]["tasks"]["product_info"]
    assert raw["outlets"] == ["kamis_raw.product_info"]
    dim_item = dagbag["dags"]["silver_product_info_transform_daily"]["tasks"]["dim_item"]
    assert dim_item["inlets"] == ["kamis_raw.product_info"]
    assert dagbag["dags"]["silver_product_info_transform_daily"]["asset_schedule"] == [
        "kamis_raw.product_info"
    ]
    gold = dagbag["dags"]["gold_marts_build_daily"]
    assert gold["asset_schedule"] and all(
        a.startswith("kamis_silver.") for a in gold["asset_schedule"]
    )
    serving = dagbag["dags"]["serving_publish_daily"]
    assert set(serving["asset_schedule"]) == {t for t in tables if t.startswith("kamis_gold.")}
    assert all(not d["asset_schedule"] for k, d in dagbag["dags"].items() if k.startswith("raw_"))


def test_manifest_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "airflow_manifest", REPO / "scripts" / "airflow_manifest.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    committed = Path(mod.MANIFEST).read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(mod.render()), (
        "airflow_dags/jangbogi_dag_lib/jobs.json is stale: "
        "run `PYTHONPATH=. .venv/bin/python scripts/airflow_manifest.py`"
    )


def test_backfill_fans_out_by_month_with_bounded_parallelism(dagbag):
    bf = dagbag["dags"]["backfill"]
    assert bf["timetable"] == "NullTimetable"
    assert bf["tasks"]["month"]["type"] == "MappedOperator"
    assert bf["tasks"]["month"]["pool"] == "spark_metastore"
    assert bf["tasks"]["month"]["upstream"] == ["months"]
    assert bf["tasks"]["publish"]["upstream"] == ["month"]
    assert dagbag["month_windows"] == [
        {"start": "2026-01-15", "end": "2026-01-31"},
        {"start": "2026-02-01", "end": "2026-02-28"},
        {"start": "2026-03-01", "end": "2026-03-02"},
    ]


def test_backfill_runs_the_whole_pipeline_or_the_chosen_jobs_in_pipeline_order(dagbag):
    manifest = json.loads((REPO / "airflow_dags/jangbogi_dag_lib/jobs.json").read_text())
    silver = [r["job"] for r in manifest["jobs"] if r["layer"] == "silver"]
    got = dagbag["backfill_jobs"]
    assert got["None"] == ["all"] and got["'all'"] == ["all"]
    # listed gold first: run raw first all the same
    assert got["'gold.mart_price_trend, raw.daily_price_by_category_list'"] == [
        "raw.daily_price_by_category_list",
        "gold.mart_price_trend",
    ]
    assert got["'silver'"] == silver and len(silver) >= 5
    bad = got["'raw.daily_price_by_category_list raw.nope'"]
    assert bad.startswith("AirflowFailException: jobs: unknown raw.nope"), bad
    assert got["' , '"].startswith("AirflowFailException: jobs is empty"), got["' , '"]
