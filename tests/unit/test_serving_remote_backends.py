"""Trino and Athena backends without servers: the SQL and bound values they send, result decoding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import boto3
import pandas as pd
import pytest
from botocore.stub import Stubber

from dashboard.db import QueryError, connect
from dashboard.db.athena_backend import AthenaConnection, athena_literal
from dashboard.db.queries import QueryCatalog
from dashboard.db.trino_backend import TrinoConnection
from spark_jobs.config import load_profile

pytestmark = pytest.mark.unit
SQL_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "sql"
D = dt.date(2026, 11, 27)


class FakeCursor:
    def __init__(self, log: list, rows: list, description: list) -> None:
        self.log, self.rows, self.description = log, rows, description

    def execute(self, sql, params=None):
        self.log.append((sql, params))

    def fetchall(self):
        return self.rows


class FakeTrino:
    def __init__(self, rows, description, **settings):
        self.settings, self.log, self.rows, self.description = settings, [], rows, description
        self.closed = False

    def cursor(self):
        return FakeCursor(self.log, self.rows, self.description)

    def close(self):
        self.closed = True


def test_trino_sends_translated_sql_and_positional_values():
    made = []

    def connect_fn(**settings):
        made.append(
            FakeTrino([("배추", 3500.0, D)], [("item_nm",), ("price",), ("res_dt",)], **settings)
        )
        return made[-1]

    conn = TrinoConnection(
        "trino.local",
        8443,
        queries=QueryCatalog(SQL_DIR),
        connect_fn=connect_fn,
        http_scheme="https",
    )
    df = conn.run(
        "fx_basket_cost_regions", {"res_dt": D, "country_cds": ["1101", "2100'; DROP TABLE x; --"]}
    )

    assert made[0].settings == {
        "host": "trino.local",
        "port": 8443,
        "user": "jangbogi",
        "catalog": "delta",
        "schema": "kamis_gold",
        "http_scheme": "https",
    }
    sql, params = made[0].log[0]
    assert "WHERE res_dt = ? AND country_cd IN (?, ?)" in sql and "DROP" not in sql
    assert params == [D, "1101", "2100'; DROP TABLE x; --"]
    assert df["res_dt"].iloc[0] == pd.Timestamp(D) and df["price"].iloc[0] == 3500.0
    conn.close()
    assert made[0].closed


def test_trino_data_version_is_reread_after_its_ttl():
    clock = [0.0]
    fake = FakeTrino([("v1",)], [("v",)])
    conn = TrinoConnection(
        "h", connect_fn=lambda **_: fake, version_ttl_s=60, clock=lambda: clock[0]
    )
    assert conn.data_version() == "v1"
    fake.rows = [("v2",)]
    clock[0] = 59
    assert conn.data_version() == "v1"
    clock[0] = 61
    assert conn.data_version() == "v2"
    assert len(fake.log) == 2 and fake.log[0] == (
        "SELECT max(data_version) FROM mart_update_status",
        None,
    )


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("1101", "'1101'"),
        ("1101' OR '1'='1", "'1101'' OR ''1''=''1'"),
        ("'; DROP TABLE mart_buy_signal; --", "'''; DROP TABLE mart_buy_signal; --'"),
        (D, "DATE '2026-11-27'"),
        (dt.datetime(2026, 11, 27, 9, 30), "TIMESTAMP '2026-11-27 09:30:00'"),
        (5, "5"),
        (2.5, "2.5"),
        (True, "true"),
        (None, "NULL"),
        (Decimal("1.50"), "1.50"),
    ],
)
def test_athena_literals(value, literal):
    assert athena_literal(value) == literal


@pytest.mark.parametrize("value", [float("nan"), b"bytes", object()])
def test_athena_refuses_values_without_a_literal(value):
    with pytest.raises(QueryError):
        athena_literal(value)


def _athena(**kw):
    client = boto3.client(
        "athena",
        region_name="ap-northeast-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    conn = AthenaConnection(
        client=client,
        workgroup="wg",
        output_location="s3://results/",
        queries=QueryCatalog(SQL_DIR),
        poll_interval_s=1,
        sleep=lambda s: None,
        **kw,
    )
    return conn, Stubber(client)


def _result_page(columns, rows, token=None, header=True):
    data = ([{"Data": [{"VarCharValue": c} for c, _ in columns]}] if header else []) + [
        {"Data": [{} if v is None else {"VarCharValue": v} for v in r]} for r in rows
    ]
    page = {
        "ResultSet": {
            "Rows": data,
            "ResultSetMetadata": {
                "ColumnInfo": [{"Name": c, "Type": t, "Label": c} for c, t in columns]
            },
        }
    }
    if token:
        page["NextToken"] = token
    return page


def test_athena_start_poll_fetch_with_execution_parameters():
    conn, stub = _athena()
    stub.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q-1"},
        {
            "QueryString": "SELECT item_cd, kind_cd, rank_cd, item_nm, kind_nm, rank_nm, price, percentile, price_index, signal_cd, signal_nm "
            "FROM mart_buy_signal WHERE country_cd = ? AND res_dt = ? ORDER BY percentile, item_cd, kind_cd, rank_cd",
            "QueryExecutionContext": {"Database": "kamis_gold", "Catalog": "AwsDataCatalog"},
            "WorkGroup": "wg",
            "ResultConfiguration": {"OutputLocation": "s3://results/"},
            "ExecutionParameters": ["'1101'' OR ''1''=''1'", "DATE '2026-11-27'"],
        },
    )
    stub.add_response(
        "get_query_execution",
        {"QueryExecution": {"Status": {"State": "QUEUED"}}},
        {"QueryExecutionId": "q-1"},
    )
    stub.add_response(
        "get_query_execution",
        {"QueryExecution": {"Status": {"State": "RUNNING"}}},
        {"QueryExecutionId": "q-1"},
    )
    stub.add_response(
        "get_query_execution",
        {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}},
        {"QueryExecutionId": "q-1"},
    )
    cols = [
        ("item_cd", "varchar"),
        ("price", "double"),
        ("obs", "integer"),
        ("res_dt", "date"),
        ("cheap", "boolean"),
    ]
    stub.add_response(
        "get_query_results",
        _result_page(cols, [["211", "3500.0", "7", "2026-11-27", "true"]], token="t2"),
        {"QueryExecutionId": "q-1"},
    )
    stub.add_response(
        "get_query_results",
        _result_page(cols, [["212", None, "8", "2026-11-26", "false"]], header=False),
        {"QueryExecutionId": "q-1", "NextToken": "t2"},
    )
    with stub:
        df = conn.run("fx_buy_signal_by_region", {"country_cd": "1101' OR '1'='1", "res_dt": D})
    stub.assert_no_pending_responses()
    assert list(df.columns) == ["item_cd", "price", "obs", "res_dt", "cheap"]
    assert df["item_cd"].tolist() == ["211", "212"]
    assert df["price"].iloc[0] == 3500.0 and pd.isna(df["price"].iloc[1])
    assert df["obs"].tolist() == [7, 8]
    assert df["res_dt"].tolist() == [pd.Timestamp("2026-11-27"), pd.Timestamp("2026-11-26")]
    assert df["cheap"].tolist() == [True, False]


def test_athena_query_without_parameters_sends_none_and_failure_is_a_query_error():
    conn, stub = _athena()
    stub.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q-2"},
        {
            "QueryString": "SELECT MAX(res_dt) AS res_dt FROM mart_buy_signal",
            "QueryExecutionContext": {"Database": "kamis_gold", "Catalog": "AwsDataCatalog"},
            "WorkGroup": "wg",
            "ResultConfiguration": {"OutputLocation": "s3://results/"},
        },
    )
    stub.add_response(
        "get_query_execution",
        {
            "QueryExecution": {
                "Status": {
                    "State": "FAILED",
                    "StateChangeReason": "TABLE_NOT_FOUND: mart_buy_signal",
                }
            }
        },
        {"QueryExecutionId": "q-2"},
    )
    with stub, pytest.raises(QueryError, match="TABLE_NOT_FOUND"):
        conn.run("fx_latest_date", {})


def test_athena_timeout_cancels_the_query():
    conn, stub = _athena(timeout_s=2)
    stub.add_response("start_query_execution", {"QueryExecutionId": "q-3"})
    for _ in range(3):
        stub.add_response(
            "get_query_execution", {"QueryExecution": {"Status": {"State": "RUNNING"}}}
        )
    stub.add_response("stop_query_execution", {}, {"QueryExecutionId": "q-3"})
    with stub, pytest.raises(QueryError, match="cancelled"):
        conn.run("fx_latest_date", {})
    stub.assert_no_pending_responses()


def test_connect_picks_the_backend_from_the_profile(tmp_path):
    profile = load_profile(
        "stack",
        {
            "dashboard.sql_dir": str(SQL_DIR),
            "query_engine.host": "trino.example",
            "serving.dsn": "postgresql://u:secret@h/db",
        },
    )
    assert connect(profile).backend == "postgres"
    trino = connect(profile, "trino")
    assert (
        trino.backend == "trino"
        and trino.settings["host"] == "trino.example"
        and trino.settings["schema"] == "kamis_gold"
    )
    local = load_profile("local", {"serving.path": str(tmp_path / "s.duckdb")})
    duck = connect(local)
    assert duck.backend == "duckdb"
    with pytest.raises(QueryError, match="jangbogi publish"):
        duck.data_version()
    with pytest.raises(ValueError, match="unknown dashboard backend"):
        connect(local, "oracle")
