"""The ``stack`` profile end to end on the live stack: Spark and Trino share one metastore.

The pipeline runs five days against the simulator (small scope, as in the local e2e test) on
``JANGBOGI_ENV=stack``: Delta tables registered in the standalone Hive Metastore 3.1.3, the marts
published to the stack's PostgreSQL. Then Trino must list what Spark lists, return the same rows
for every gold mart, and answer every dashboard named query exactly like DuckDB and PostgreSQL.
Last, two spark-submits run at once against the metastore (the Airflow DAGs do that).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import trino

from dashboard.db import connect
from dashboard.db.base import QueryError, frame_from_rows, normalize_frame
from dashboard.db.queries import DEFAULT_SQL_DIR, QueryCatalog
from spark_jobs.config import load_profile
from spark_jobs.gold.tables import TABLES as GOLD
from spark_jobs.serving.publish import publish_all
from tests.stack.live import REPO, Stack
from tests.stack.named_params import choose_params

pytestmark = pytest.mark.stack

START, END = date(2026, 11, 23), date(2026, 11, 27)  # Monday to Friday (a full eco week)
SCOPE = {
    "kamis.scope.regions": "1101,2100",
    "kamis.scope.categories": "200,400",
    "kamis.scope.items": "211,245,411",
}
QUERIES = QueryCatalog(DEFAULT_SQL_DIR).names()
MARTS = [t.name for t in GOLD]


def _opts() -> list[str]:
    return [a for k, v in SCOPE.items() for a in ("--opt", f"{k}={v}")]


def _run(cmd: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def lake(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the pipeline on the stack profile (raw → silver → gold → PostgreSQL); return its home."""
    home = tmp_path_factory.mktemp("stack_home")
    cmd = [sys.executable, "-m", "spark_jobs.cli", "run", "--start", str(START), "--end", str(END)]
    t0 = time.perf_counter()
    proc = _run([*cmd, *_opts()], stack.profile_env(home))
    (home / "run.log").write_text(proc.stderr, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr[-5000:]
    print(f"\npipeline on the stack profile: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return home


def _profile(stack: Stack, home: Path, **overrides: object):
    """The stack profile as the pipeline saw it, without touching this process's environment."""
    return load_profile(
        "stack",
        {
            "storage.warehouse": str(home / "var" / "warehouse"),
            "metastore.uri": f"thrift://127.0.0.1:{stack.hms_port}",
            "query_engine.host": "127.0.0.1",
            "query_engine.port": stack.trino_port,
            "serving.dsn": stack.serving_dsn,
            **overrides,
        },
    )


@pytest.fixture(scope="module")
def spark_view(stack: Stack, lake: Path) -> Path:
    """Spark's catalog listing and every gold mart, as a separate Spark process reads them."""
    out = lake / "spark_probe"
    proc = _run(
        [sys.executable, str(REPO / "tests" / "stack" / "spark_probe.py"), str(out)],
        stack.profile_env(lake),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-5000:]
    return out


@pytest.fixture(scope="module")
def trino_cursor(stack: Stack):
    """A DB-API cursor on the stack's Trino, catalog ``delta``."""
    conn = trino.dbapi.connect(
        host="127.0.0.1", port=stack.trino_port, user="jangbogi", catalog="delta"
    )
    yield conn.cursor()
    conn.close()


def _trino_frame(cur, sql: str) -> pd.DataFrame:
    cur.execute(sql)
    rows = cur.fetchall()
    return frame_from_rows([d[0] for d in cur.description], [tuple(r) for r in rows])


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Same types on every engine, timestamps to the millisecond (Trino's Delta precision), sorted.

    Numbers and booleans become float64 with NaN for NULL: the drivers return them as numpy,
    nullable or Python objects, depending on the engine and on whether the column holds a NULL.
    A column of NULLs only is float64 NaN whatever its type (one driver gives None, another NaT
    or NaN); in other columns every NULL is None (pandas will stop equating None, NaN and NA).
    """
    df = normalize_frame(df.copy())
    for col in df.columns:
        s = df[col]
        if len(s) and s.isna().all():
            df[col] = np.full(len(s), np.nan)
            continue
        if pd.api.types.is_datetime64_any_dtype(s):
            df[col] = s.dt.floor("ms")
            continue
        values = s.dropna()
        if (
            len(values)
            and values.map(lambda v: isinstance(v, (bool, int, float, np.number, np.bool_))).all()
        ):
            df[col] = pd.to_numeric(
                s.astype(object).map(lambda v: None if pd.isna(v) else float(v))
            ).astype("float64")
        elif s.isna().any():
            df[col] = s.astype(object).where(s.notna(), None)
    if df.empty:
        return df.reset_index(drop=True)
    return df.sort_values(list(df.columns), na_position="first", kind="mergesort").reset_index(
        drop=True
    )


def _assert_same(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    assert list(a.columns) == list(b.columns), what
    assert len(a) == len(b), f"{what}: {len(a)} rows against {len(b)}"
    pd.testing.assert_frame_equal(
        _canonical(a), _canonical(b), check_dtype=False, rtol=1e-9, atol=1e-9, obj=what
    )


def test_trino_lists_the_schemas_and_tables_spark_registered(spark_view: Path, trino_cursor):
    spark_catalog = json.loads((spark_view / "catalog.json").read_text(encoding="utf-8"))
    assert {"kamis_raw", "kamis_silver", "kamis_gold"} <= set(spark_catalog)
    trino_schemas = set(_trino_frame(trino_cursor, "SHOW SCHEMAS FROM delta")["Schema"])
    assert trino_schemas - {"information_schema"} == set(spark_catalog)
    for schema, tables in spark_catalog.items():
        listed = _trino_frame(trino_cursor, f"SHOW TABLES FROM delta.{schema}")
        assert sorted(listed["Table"]) == tables, schema
    assert set(MARTS) <= set(spark_catalog["kamis_gold"])


@pytest.mark.parametrize("mart", MARTS)
def test_trino_returns_the_rows_spark_reads(spark_view: Path, trino_cursor, mart: str):
    spark_rows = pd.read_parquet(spark_view / f"{mart}.parquet")
    trino_rows = _trino_frame(trino_cursor, f"SELECT * FROM kamis_gold.{mart}")
    # alerts are rare; forecasts need 26 weeks of history and substitutes a dear item with a
    # cheaper in-season one: none in a few days of a small scope (their rows are compared anyway)
    sparse = (
        "mart_price_alerts",
        "mart_price_forecast",
        "mart_forecast_backtest",
        "mart_substitutes",
    )
    assert len(spark_rows) > 0 or mart in sparse, f"{mart} is empty in Spark"
    _assert_same(spark_rows, trino_rows, mart)


@pytest.fixture(scope="module")
def backends(stack: Stack, lake: Path, tmp_path_factory: pytest.TempPathFactory):
    """The dashboard's own connections: Trino on the lake, the published PostgreSQL, and DuckDB.

    The pipeline published to PostgreSQL (the stack profile's serving store); the same lake is
    published to a DuckDB file here too, the embedded default's store.
    """
    duck_path = tmp_path_factory.mktemp("stack_duck") / "jangbogi.duckdb"
    publish_all(_profile(stack, lake, **{"serving.kind": "duckdb", "serving.path": str(duck_path)}))
    profile = _profile(stack, lake, **{"serving.path": str(duck_path)})
    conns = {name: connect(profile, name) for name in ("trino", "postgres", "duckdb")}
    yield conns
    for conn in conns.values():
        conn.close()


@pytest.fixture(scope="module")
def query_params(backends) -> dict[str, dict[str, object]]:
    """For each named query, parameters under which DuckDB returns rows (when any set does)."""
    return choose_params(backends["duckdb"], QUERIES, START)


@pytest.mark.parametrize("name", QUERIES)
def test_named_query_same_on_trino_duckdb_and_postgres(backends, query_params, name: str):
    params = query_params[name]
    duck = backends["duckdb"].run(name, params)
    _assert_same(duck, backends["postgres"].run(name, params), f"{name} postgres vs duckdb")
    _assert_same(duck, backends["trino"].run(name, params), f"{name} trino vs duckdb")


def test_named_queries_mostly_return_rows(backends, query_params):
    """The comparison above is of real rows, not of empty results."""
    empty = [n for n in QUERIES if len(backends["trino"].run(n, query_params[n])) == 0]
    assert len(empty) <= len(QUERIES) // 5, f"empty on five days of data: {empty}"


# Injection strings (as in tests/integration/test_db_backends.py, which covers DuckDB and
# PostgreSQL): quotes closing the literal, a stacked statement, the binders' own placeholder forms.
INJECTIONS = (
    "1101' OR '1'='1",
    "'; DROP TABLE kamis_gold.mart_buy_signal; --",
    "1101\\'; DELETE FROM kamis_gold.mart_price_trend; --",
    "?",
    "$country_cd",
)


def _mart_counts(cur) -> dict[str, int]:
    return {
        m: int(_trino_frame(cur, f'SELECT count(*) AS n FROM kamis_gold."{m}"').iat[0, 0])
        for m in MARTS
    }


@pytest.mark.parametrize("backend", ["trino", "postgres", "duckdb"])
def test_injection_through_every_named_query_parameter_is_just_data(
    backends, query_params, trino_cursor, backend: str
):
    """Every named query, every parameter, every injection string: no rows or a clean error.

    On each of the dashboard's three backends; afterwards every named query answers with its
    good parameters exactly as before, and the lake's marts (through Trino) hold the same rows.
    """
    conn = backends[backend]
    before = _mart_counts(trino_cursor)
    answers = {name: len(conn.run(name, query_params[name])) for name in QUERIES}
    tried = 0
    for name in QUERIES:
        params = query_params[name]
        for key, value in params.items():
            for evil in INJECTIONS:
                bad = dict(params, **{key: [evil] if isinstance(value, list) else evil})
                tried += 1
                if key.endswith("_dt"):  # text where a date is bound fails the cast cleanly
                    with pytest.raises(QueryError):
                        conn.run(name, bad)
                else:
                    assert len(conn.run(name, bad)) == 0, (name, key, evil)
    print(f"\n{backend}: {tried} injected named-query calls, every one data", file=sys.stderr)
    # every parameter of every query was tried with every string (queries without any: none)
    assert tried == len(INJECTIONS) * sum(len(query_params[n]) for n in QUERIES) > 0
    assert {name: len(conn.run(name, query_params[name])) for name in QUERIES} == answers
    assert sum(answers.values()) > 0
    assert _mart_counts(trino_cursor) == before
    assert sum(before.values()) > 0


def _delta_version(cur, mart: str) -> int:
    return int(
        _trino_frame(cur, f'SELECT max(version) AS v FROM kamis_gold."{mart}$history"').iat[0, 0]
    )


def test_two_spark_submits_at_once_on_the_standalone_metastore(
    stack: Stack, lake: Path, trino_cursor
):
    jobs = ("gold.mart_volatility", "gold.mart_price_region_count")
    before = {j: _delta_version(trino_cursor, j.split(".")[1]) for j in jobs}
    submit = str(Path(sys.executable).parent / "spark-submit")
    env = stack.profile_env(lake)
    procs = [
        subprocess.Popen(
            [submit, str(REPO / "spark_jobs" / "main.py"), job, "--date", str(END), *_opts()],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    errs = [p.communicate(timeout=600)[1] for p in procs]
    for job, proc, err in zip(jobs, procs, errs, strict=True):
        assert proc.returncode == 0, f"{job}:\n{err[-4000:]}"
        assert "XSDB6" not in err and "Invalid method name" not in err, job
        assert "could not append" not in err, f"{job}: run history not written:\n{err[-2000:]}"
    for job in jobs:
        assert _delta_version(trino_cursor, job.split(".")[1]) > before[job], job
    history = _trino_frame(
        trino_cursor,
        "SELECT job, status FROM kamis_ops.job_run_history "
        f"WHERE job IN ('{jobs[0]}', '{jobs[1]}')",
    )
    assert set(history["job"]) == set(jobs) and set(history["status"]) == {"success"}
