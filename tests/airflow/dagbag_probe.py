"""Run with .venv-airflow's python: ``dagbag_probe.py DAGS_FOLDER OUT.json`` writes the DagBag as JSON."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

from airflow.dag_processing.dagbag import DagBag


def _names(objs) -> list[str]:
    return sorted(getattr(o, "name", str(o)) for o in objs or ())


def _month_windows() -> list:
    from datetime import date

    from jangbogi_dag_lib.factory import month_windows

    return month_windows(date(2026, 1, 15), date(2026, 3, 2))


def _backfill_jobs() -> dict:
    from jangbogi_dag_lib.factory import backfill_jobs

    out: dict = {}
    for value in (
        None,
        "all",
        "gold.mart_price_trend, raw.daily_price_by_category_list",
        "silver",
        "raw.daily_price_by_category_list raw.nope",
        " , ",
    ):
        try:
            out[repr(value)] = backfill_jobs(value)
        except Exception as exc:  # the probe reports what the DAG would fail with
            out[repr(value)] = f"{type(exc).__name__}: {exc}"
    return out


def _stages() -> dict:
    """Each stage mode's stages (task id → jobs), and what a misspelt mode does."""
    import os

    from jangbogi_dag_lib.factory import manifest, master_stages, stage_mode

    rows = manifest()["jobs"]
    out: dict = {
        mode: {st["task_id"]: st["job"] for st in master_stages(rows, mode)}
        for mode in ("pipeline", "layer", "source")
    }
    os.environ["JANGBOGI_MASTER_STAGES"] = "layers"
    try:
        out["bad_mode"] = stage_mode()
    except ValueError as exc:
        out["bad_mode"] = f"ValueError: {exc}"
    finally:
        del os.environ["JANGBOGI_MASTER_STAGES"]
    return out


def main() -> None:
    bag = DagBag(dag_folder=str(Path(sys.argv[1])))
    dags = {}
    for dag_id, dag in bag.dags.items():
        tasks = {}
        for t in dag.tasks:
            tasks[t.task_id] = {
                "type": type(t).__name__,
                "mro": [c.__name__ for c in type(t).__mro__],
                "owner": t.owner,
                "retries": t.retries,
                "retry_exponential_backoff": bool(t.retry_exponential_backoff),
                "pool": t.pool,
                "job": getattr(t, "job", None),
                "conn_id": getattr(t, "_conn_id", None),
                "upstream": sorted(t.upstream_task_ids),
                "inlets": _names(t.inlets),
                "outlets": _names(t.outlets),
                "has_failure_callback": bool(t.on_failure_callback),
            }
        dags[dag_id] = {
            "tags": sorted(dag.tags),
            "schedule": getattr(dag.timetable, "expression", None),
            "timezone": str(getattr(dag.timetable, "timezone", "") or ""),
            "timetable": type(dag.timetable).__name__,
            "asset_schedule": sorted(a.name for a in dag.timetable.asset_condition.objects)
            if hasattr(getattr(dag.timetable, "asset_condition", None), "objects")
            else [],
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "deadline": [
                {
                    "interval": d.interval.total_seconds()
                    if isinstance(d.interval, timedelta)
                    else None,
                    "reference": type(d.reference).__name__,
                }
                for d in (dag.deadline or [])
            ]
            if isinstance(dag.deadline, list)
            else (
                [
                    {
                        "interval": dag.deadline.interval.total_seconds(),
                        "reference": type(dag.deadline.reference).__name__,
                    }
                ]
                if dag.deadline
                else []
            ),
            "params": sorted(dag.params.keys()),
            "tasks": tasks,
        }
    Path(sys.argv[2]).write_text(
        json.dumps(
            {
                "import_errors": {k: str(v)[-2000:] for k, v in bag.import_errors.items()},
                "pyspark_imported": any(
                    m == "pyspark" or m.startswith("pyspark.") for m in sys.modules
                ),
                "spark_jobs_imported": any(m.startswith("spark_jobs") for m in sys.modules),
                "dags": dags,
                "month_windows": _month_windows(),
                "backfill_jobs": _backfill_jobs(),
                "stages": _stages(),
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
