"""One factory for every jangbogi DAG: a registered job becomes a SparkSubmitOperator task.

Reads ``jobs.json`` (written from the job and table registries by ``scripts/airflow_manifest.py``)
so parsing needs neither pyspark nor the Spark venv, and does no I/O beyond that file.

Dates: the daily run at 10:00 Asia/Seoul collects the *previous* KST day. KAMIS publishes a
day's retail/wholesale survey in the afternoon of that day, so at 10:00 only D-1 is complete;
``kamis.recheck_days`` (2) makes the next run ask again for a D-1 that was still empty.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import (
    DAG,
    Asset,
    AssetAny,
    CronTriggerTimetable,
    DeadlineAlert,
    DeadlineReference,
    Param,
    SyncCallback,
)
from airflow.sdk.exceptions import AirflowFailException

from jangbogi_dag_lib.alerts import WebhookNotifier

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = Path(__file__).with_name("jobs.json")
KST = ZoneInfo("Asia/Seoul")
OWNER = "jangbogi"
# Every Spark task takes a slot of this pool: 1 slot on the embedded Derby metastore (`local`,
# one Spark process at a time), more on the PostgreSQL-backed one (`stack`); see scripts/airflow.sh.
POOL = "spark_metastore"
START_DATE = datetime(2026, 1, 1, tzinfo=KST)
SERVING_ASSET = Asset("serving.jangbogi")
OPTS_VAR = "JANGBOGI_JOB_OPTS"  # "k=v k=v": job options for every task (e.g. the simulator URL)

PARAMS = {
    "date": Param(
        None,
        type=["null", "string"],
        description="data date YYYY-MM-DD (default: the day before the run's date in KST)",
    ),
    "opts": Param(
        {},
        type="object",
        description='job options, e.g. {"kamis.scope.regions": "1101"} (`--opt k=v`)',
    ),
}


def env_name() -> str:
    """Return the profile the DAGs run against (``JANGBOGI_ENV``, default ``local``)."""
    return os.environ.get("JANGBOGI_ENV", "local")


def spark_venv() -> Path:
    """Return the Spark venv (its ``spark-submit`` and python): ``JANGBOGI_SPARK_VENV`` or .venv."""
    return Path(os.environ.get("JANGBOGI_SPARK_VENV") or ROOT / ".venv")


def spark_conn_id() -> str:
    """Return the Spark connection for the profile: ``AIRFLOW_CONN_SPARK_<ENV>`` supplies it."""
    return f"spark_{env_name()}"


def job_env() -> dict[str, str]:
    """Return the (non-secret) environment spark-submit and the CLI get on top of the worker's."""
    venv = spark_venv()
    return {
        "PYSPARK_PYTHON": str(venv / "bin" / "python"),
        "PYTHONPATH": str(ROOT),
        "JANGBOGI_ENV": env_name(),
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    }


@cache
def manifest() -> dict[str, Any]:
    """Return the job manifest (jobs in pipeline order with DAG, outlets and inlets)."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def asset(table: str) -> Asset:
    """Return the Asset of a lake table (``kamis_<layer>.<name>``)."""
    return Asset(table, group="kamis_lake")


def _parse_date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        # A malformed date is the caller's mistake: retrying cannot fix it.
        raise AirflowFailException(f"{what} is not a YYYY-MM-DD date: {value!r}") from None


def target_window(context: Any) -> tuple[date, date]:
    """Return the (start, end) data window of a task run.

    Order: ``start``/``end`` or ``date`` in params/conf; else the window the triggering asset
    events carry; else the day before the run's logical date (or run_after) in KST.
    """
    params = context.get("params") or {}
    dag_run = context.get("dag_run")
    conf = dict(getattr(dag_run, "conf", None) or {})
    pick = {k: conf.get(k, params.get(k)) for k in ("date", "start", "end")}
    if pick["start"]:
        start = _parse_date(pick["start"], "start")
        end = _parse_date(pick["end"] or pick["start"], "end")
        if end < start:
            raise AirflowFailException(f"end {end} is before start {start}")
        return start, end
    if pick["date"]:
        d = _parse_date(pick["date"], "date")
        return d, d
    dates: list[date] = []
    for events in (context.get("triggering_asset_events") or {}).values():
        for ev in events:
            extra = getattr(ev, "extra", None) or {}
            dates += [_parse_date(extra[k], k) for k in ("start", "end") if extra.get(k)]
    if dates:
        return min(dates), max(dates)
    when = getattr(dag_run, "logical_date", None) or getattr(dag_run, "run_after", None)
    when = when or datetime.now(tz=KST)
    d = when.astimezone(KST).date() - timedelta(days=1)
    return d, d


def job_options(context: Any) -> list[str]:
    """Return ``--opt k=v`` arguments: ``JANGBOGI_JOB_OPTS`` of the worker, then params/conf."""
    opts: dict[str, str] = {}
    for pair in os.environ.get(OPTS_VAR, "").split():
        if "=" in pair:
            k, v = pair.split("=", 1)
            opts[k] = v
    params = context.get("params") or {}
    conf = dict(getattr(context.get("dag_run"), "conf", None) or {})
    for source in (params.get("opts") or {}, conf.get("opts") or {}):
        opts.update({str(k): str(v) for k, v in source.items()})
    return [a for k, v in opts.items() for a in ("--opt", f"{k}={v}")]


class JobSubmitOperator(SparkSubmitOperator):
    """``spark-submit spark_jobs/main.py <job> --start D --end D`` for a registered job.

    The window and options are worked out at run time (a manually triggered run has no logical
    date to template from); secrets reach spark-submit only through the worker's environment,
    never through ``env_vars`` or the arguments, so they are in no rendered template.
    """

    def __init__(
        self, *, job: str | list[str], window: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("pool", POOL)
        jobs = [job] if isinstance(job, str) else list(job)
        super().__init__(
            application=str(ROOT / "spark_jobs" / "main.py"),
            conn_id=spark_conn_id(),
            name=f"jangbogi-{'+'.join(jobs)}"[:120],
            spark_binary=str(spark_venv() / "bin" / "spark-submit"),
            env_vars=job_env(),
            **kwargs,
        )
        self.jobs = jobs
        self.job = "+".join(jobs)  # what the task runs, one or more registered jobs in order
        self.window = window

    def execute(self, context: Any) -> None:
        """Fix the window, run spark-submit, then tag the outlet events with the window."""
        jobs = self.jobs
        if self.window:
            start = _parse_date(self.window["start"], "start")
            end = _parse_date(self.window["end"], "end")
            jobs = list(self.window.get("jobs") or jobs)  # a backfill's chosen jobs
        else:
            start, end = target_window(context)
        self.application_args = [
            *jobs,
            "--start",
            start.isoformat(),
            "--end",
            end.isoformat(),
            *job_options(context),
        ]
        ti = context.get("ti")
        run = f"{ti.dag_id}/{ti.run_id}/{ti.task_id}/{ti.try_number}" if ti else ""
        # kamis_ops run history; then the class-data-sharing archive set-up made, when there is one
        self.env_vars = {**job_env(), "JANGBOGI_ORCHESTRATOR_RUN": run}
        jvm = _jvm()
        home = jvm.spark_home(spark_venv())  # the Spark venv's, not this (Airflow's) venv's
        cds = jvm.launch_env({**os.environ, **self.env_vars}, home=home)
        if cds:
            self.env_vars.update(cds)
            self.properties_file = jvm.properties_file(home=home)
        self._hook = None
        self.log.info(
            "job %s window %s..%s (class-data-sharing archive: %s)",
            "+".join(jobs),
            start,
            end,
            "yes" if cds else "none for this Spark home",
        )
        super().execute(context)
        events = context.get("outlet_events")
        for out in self.outlets or ():
            if events is not None and isinstance(out, Asset):
                events[out].extra = {"start": start.isoformat(), "end": end.isoformat()}


@cache
def _jvm() -> Any:
    """Return ``spark_jobs/jvm.py`` (standard library only), loaded from its file.

    The Airflow venv does not hold the jangbogi package; this one module says how a Spark JVM
    starts from set-up's class-data-sharing archive.
    """
    import importlib.util

    spec = importlib.util.spec_from_file_location("jangbogi_jvm", ROOT / "spark_jobs" / "jvm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def default_args(layer: str) -> dict[str, Any]:
    """Return the task defaults: collection retries with exponential backoff, one retry otherwise."""
    args: dict[str, Any] = {
        "owner": OWNER,
        "retries": 1,
        "retry_delay": timedelta(minutes=2),
        "on_failure_callback": WebhookNotifier("task_failed"),
    }
    if layer == "raw":
        args.update(
            retries=3,
            retry_delay=timedelta(minutes=1),
            retry_exponential_backoff=2.0,
            max_retry_delay=timedelta(minutes=20),
        )
    return args


def job_task(row: dict[str, Any], *, with_assets: bool, task_id: str | None = None) -> Any:
    """Return the task of one manifest job (layer retries; Assets only where asked)."""
    kwargs: dict[str, Any] = {}
    if with_assets:
        kwargs["inlets"] = [asset(t) for t in row["inlets"]]
        kwargs["outlets"] = [asset(t) for t in row["outlets"]]
    layer_args = default_args(row["layer"])
    return JobSubmitOperator(
        task_id=task_id or row["job"].split(".", 1)[1],
        job=row["job"],
        retries=layer_args["retries"],
        retry_delay=layer_args["retry_delay"],
        retry_exponential_backoff=layer_args.get("retry_exponential_backoff", 0),
        max_retry_delay=layer_args.get("max_retry_delay"),
        doc_md=row["description"],
        **kwargs,
    )


def publish_task(*, with_assets: bool, task_id: str = "publish") -> BashOperator:
    """Return the task that publishes every gold mart to the serving store (no Spark needed)."""
    kwargs: dict[str, Any] = {}
    if with_assets:
        kwargs["inlets"] = [asset(t) for t in manifest()["gold_tables"]]
        kwargs["outlets"] = [SERVING_ASSET]
    return BashOperator(
        task_id=task_id,
        bash_command=f"{spark_venv() / 'bin' / 'python'} -m spark_jobs.cli publish",
        env=job_env(),
        append_env=True,
        cwd=str(ROOT),
        doc_md="gold marts → serving store (DuckDB in `local`, PostgreSQL in `stack`), atomically",
        **kwargs,
    )


class FreshnessCheckOperator(BashOperator):
    """Fail when a source is late against ``mart_update_status`` for the run's data date."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            bash_command="true",  # replaced in execute, once the window is known
            env=job_env(),
            append_env=True,
            cwd=str(ROOT),
            retries=0,  # lateness is not fixed by asking again a minute later
            **kwargs,
        )

    def execute(self, context: Any) -> Any:
        """Run ``spark_jobs.ops.freshness`` for the end of the run's window."""
        _, end = target_window(context)
        py = spark_venv() / "bin" / "python"
        self.bash_command = f"{py} -m spark_jobs.ops.freshness --date {end.isoformat()}"
        return super().execute(context)


def wire(tasks: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Set each task downstream of the tasks (in ``tasks``) that produce its inlets."""
    producers: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for t in row["outlets"]:
            producers[t].append(row["job"])
    for row in rows:
        ups = {p for t in row["inlets"] for p in producers.get(t, ()) if p != row["job"]}
        for up in sorted(ups):
            if up in tasks and row["job"] in tasks:
                tasks[up] >> tasks[row["job"]]


def _dag(dag_id: str, *, schedule: Any, tags: list[str], doc_md: str, **kwargs: Any) -> DAG:
    return DAG(
        dag_id=dag_id,
        schedule=schedule,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        tags=["jangbogi", *tags],
        default_args={"owner": OWNER, "on_failure_callback": WebhookNotifier("task_failed")},
        params=PARAMS,
        doc_md=doc_md,
        **kwargs,
    )


def layer_dags() -> dict[str, DAG]:
    """Return the per-source / per-layer DAGs, chained by Assets (outlets = the job's tables).

    Raw DAGs run on demand (the daily schedule belongs to ``master_pipeline``); each downstream
    DAG runs when any of its inputs is refreshed by a layer DAG, for the window that run wrote.
    """
    rows_by_dag: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in manifest()["jobs"]:
        rows_by_dag[row["dag_id"]].append(row)
    dags: dict[str, DAG] = {}
    for dag_id, rows in rows_by_dag.items():
        layer = rows[0]["layer"]
        produced = {t for r in rows for t in r["outlets"]}
        inputs = sorted({t for r in rows for t in r["inlets"]} - produced)
        if layer == "gold":  # gold reads raw only for freshness: wait for silver, not before it
            inputs = [t for t in inputs if not t.startswith("kamis_raw.")]
        schedule = AssetAny(*(asset(t) for t in inputs)) if inputs else None
        with _dag(
            dag_id,
            schedule=schedule,
            tags=[layer],
            doc_md=f"{layer}: " + "; ".join(f"`{r['job']}`" for r in rows),
        ) as dag:
            tasks = {r["job"]: job_task(r, with_assets=True) for r in rows}
            wire(tasks, rows)
        dags[dag_id] = dag
    with _dag(
        "serving_publish_daily",
        schedule=AssetAny(*(asset(t) for t in manifest()["gold_tables"])),
        tags=["serving"],
        doc_md="publish every gold mart to the serving store when a mart is rebuilt",
    ) as dag:
        publish_task(with_assets=True)
    dags[dag.dag_id] = dag
    return dags


def master_schedule() -> CronTriggerTimetable | None:
    """Return 10:00 Asia/Seoul daily; ``JANGBOGI_MASTER_SCHEDULE=none`` (tests, demos) turns it off."""
    cron = os.environ.get("JANGBOGI_MASTER_SCHEDULE", "0 10 * * *")
    if cron.strip().lower() in ("", "none", "off"):
        return None
    return CronTriggerTimetable(cron, timezone="Asia/Seoul")


def master_deadline() -> DeadlineAlert:
    """Return the master run's deadline: the day's data served 3 h after the 10:00 schedule."""
    minutes = int(os.environ.get("JANGBOGI_MASTER_DEADLINE_MINUTES", "180"))
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
        interval=timedelta(minutes=minutes),
        callback=SyncCallback("jangbogi_dag_lib.alerts.deadline_missed"),
    )


LAYER_STAGES = {"raw": "raw.collect", "silver": "silver.transform", "gold": "gold.marts"}
PIPELINE_STAGE = "pipeline"
STAGE_MODES = ("pipeline", "layer", "source")


def stage_mode() -> str:
    """Return how master_pipeline groups jobs into spark-submits: pipeline, layer or source.

    ``JANGBOGI_MASTER_STAGES`` wins; by default ``pipeline`` on the embedded Derby metastore
    (`local`: one Spark process at a time, so nothing could run in parallel anyway, and one warm
    JVM for all jobs is the fastest) and ``source`` (one stage per layer DAG, independent sources
    in parallel) on the PostgreSQL-backed one.

    Raises:
        ValueError: ``JANGBOGI_MASTER_STAGES`` names no known mode.
    """
    default = "pipeline" if env_name() == "local" else "source"
    mode = os.environ.get("JANGBOGI_MASTER_STAGES", default)
    if mode not in STAGE_MODES:
        raise ValueError(f"JANGBOGI_MASTER_STAGES={mode!r}: use one of {', '.join(STAGE_MODES)}")
    return mode


def master_stages(rows: list[dict[str, Any]], mode: str = "source") -> list[dict[str, Any]]:
    """Group the jobs into stages (all in one, per layer, or per layer DAG), in pipeline order.

    A ``pipeline`` stage runs with the raw layer's retries (collection is what fails on its own;
    every job is idempotent, and a retried collection skips the calls already stored).
    """
    stages: dict[str, dict[str, Any]] = {}
    for row in rows:
        if mode == "pipeline":
            dag_id = PIPELINE_STAGE
        else:
            dag_id = row["layer"] if mode == "layer" else row["dag_id"]
        if dag_id not in stages:
            if mode == "pipeline":
                task_id = PIPELINE_STAGE
            elif mode == "layer" or row["layer"] == "gold":
                task_id = LAYER_STAGES[row["layer"]]
            else:  # raw_<source>_collect_daily / silver_<source>_transform_daily
                task_id = f"{row['layer']}." + dag_id.split("_", 1)[1].rsplit("_", 2)[0]
            stages[dag_id] = {
                "task_id": task_id,
                "layer": row["layer"],
                "job": [],
                "inlets": [],
                "outlets": [],
            }
        stage = stages[dag_id]
        stage["job"].append(row["job"])
        stage["inlets"] += [t for t in row["inlets"] if t not in stage["inlets"]]
        stage["outlets"] += [t for t in row["outlets"] if t not in stage["outlets"]]
    return list(stages.values())


def master_dag() -> DAG:
    """Return ``master_pipeline``: every job in dependency order, then publish; 10:00 KST daily.

    One spark-submit per stage, not per job: on 2 cores each spark-submit costs ~15 s of JVM,
    session and metastore start-up, and a job's first run in a JVM is several times slower than
    in a warm one. Stages (see :func:`stage_mode`): the whole pipeline in `local` (1
    spark-submit), per layer DAG in `stack` (12, sources in parallel). A stage's jobs run in
    pipeline order in one session and each still appends its own run-history row; rerunning a
    stage is idempotent (collection skips stored calls). Its tasks carry no outlets, so a master run does not also
    start the Asset-scheduled layer DAGs.
    """
    stages = master_stages(manifest()["jobs"], stage_mode())
    with _dag(
        "master_pipeline",
        schedule=master_schedule(),
        tags=["master"],
        doc_md="raw → silver → gold → serving for the day KAMIS has published (D-1 in KST)",
        deadline=master_deadline(),
    ) as dag:
        tasks: dict[str, Any] = {}
        for stage in stages:
            layer_args = default_args(stage["layer"])
            tasks[stage["task_id"]] = JobSubmitOperator(
                task_id=stage["task_id"],
                job=stage["job"],
                retries=layer_args["retries"],
                retry_delay=layer_args["retry_delay"],
                retry_exponential_backoff=layer_args.get("retry_exponential_backoff", 0),
                max_retry_delay=layer_args.get("max_retry_delay"),
                doc_md=", ".join(f"`{j}`" for j in stage["job"]),
            )
        wire(tasks, [{**st, "job": st["task_id"]} for st in stages])
        publish = publish_task(with_assets=False)
        publish.set_upstream(
            [tasks[st["task_id"]] for st in stages if st["layer"] == "gold" or len(stages) == 1]
        )
        publish >> FreshnessCheckOperator(
            task_id="freshness",
            doc_md="every source's latest data within its allowed lag (mart_update_status)",
        )
    return dag


def month_windows(start: date, end: date) -> list[dict[str, str]]:
    """Split ``start..end`` into calendar-month windows (the raw collection's own chunking)."""
    if end < start:
        raise AirflowFailException(f"end {end} is before start {start}")
    out, cur = [], start
    while cur <= end:
        nxt = date(cur.year + cur.month // 12, cur.month % 12 + 1, 1)
        last = min(end, nxt - timedelta(days=1))
        out.append({"start": cur.isoformat(), "end": last.isoformat()})
        cur = nxt
    return out


BACKFILL_PARALLELISM = 2
LAYERS = ("raw", "silver", "gold")


def backfill_jobs(value: Any) -> list[str]:
    """Return the jobs a backfill runs, in pipeline order, from its ``jobs`` param.

    ``all`` (the default) is the whole pipeline; otherwise registered job names and layer names
    (``raw``, ``silver``, ``gold``), separated by spaces or commas, in any order. Unknown names
    fail the run before any Spark job starts.

    Raises:
        AirflowFailException: a name is not a registered job or layer, or nothing is named.
    """
    names = [n for n in str(value or "all").replace(",", " ").split() if n]
    if not names:
        raise AirflowFailException("jobs is empty: give 'all', layers or registered job names")
    if "all" in names:
        return ["all"]
    rows = manifest()["jobs"]
    known = {r["job"] for r in rows}
    unknown = sorted(n for n in set(names) if n not in known and n not in LAYERS)
    if unknown:
        raise AirflowFailException(
            f"jobs: unknown {', '.join(unknown)} (use all, raw, silver, gold or a registered job)"
        )
    return [r["job"] for r in rows if r["job"] in names or r["layer"] in names]


def backfill_dag() -> DAG:
    """Return ``backfill``: params start/end/jobs, one spark-submit per month, then publish.

    Each month's spark-submit runs the ``jobs`` param's jobs in pipeline order: the whole pipeline
    by default, or a part of it (e.g. one source's raw → silver → its marts after a fix there).

    Bounded: at most ``BACKFILL_PARALLELISM`` months at once, and each takes a metastore pool slot
    (one at a time on Derby). Resumable: clear the failed months only; a month's collection skips
    the calls already stored (ok / no_data) and every write replaces its partitions.
    """
    from airflow.sdk import task

    with DAG(
        dag_id="backfill",
        schedule=None,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        tags=["jangbogi", "backfill"],
        default_args={"owner": OWNER, "on_failure_callback": WebhookNotifier("task_failed")},
        params={
            "start": Param("2026-01-01", type="string", description="first date, YYYY-MM-DD"),
            "end": Param("2026-01-31", type="string", description="last date, YYYY-MM-DD"),
            "jobs": Param(
                "all",
                type="string",
                description="all (default), or layers / registered jobs, e.g. "
                "'raw.daily_price_by_category_list silver.stg_daily_category_price'",
            ),
            "opts": PARAMS["opts"],
        },
        doc_md="raw → silver → gold (or the chosen jobs) for a date range, one month per task, "
        "then publish",
    ) as dag:

        @task(task_id="months")
        def months(**context: Any) -> list[dict[str, Any]]:
            start, end = target_window(context)
            conf = dict(getattr(context.get("dag_run"), "conf", None) or {})
            params = context.get("params") or {}
            jobs = backfill_jobs(conf.get("jobs", params.get("jobs")))
            return [{**w, "jobs": jobs} for w in month_windows(start, end)]

        layer_args = default_args("raw")
        month = JobSubmitOperator.partial(
            task_id="month",
            job="all",
            pool=POOL,
            retries=layer_args["retries"],
            retry_delay=layer_args["retry_delay"],
            retry_exponential_backoff=layer_args["retry_exponential_backoff"],
            max_retry_delay=layer_args["max_retry_delay"],
            max_active_tis_per_dag=BACKFILL_PARALLELISM,
        ).expand(window=months())
        month >> publish_task(with_assets=False)
    return dag
