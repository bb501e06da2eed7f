"""Serving helpers: the result cache, DDL and indexes, DSN masking, the summary, synthetic marts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from dashboard.db.cache import QueryCache, freeze
from spark_jobs.gold.tables import MART_ECO_PREMIUM, MART_UPDATE_STATUS, TABLES
from spark_jobs.serving.ddl import UnsupportedTypeError, create_table_sql, index_specs, sql_type
from spark_jobs.serving.postgres_store import mask_dsn
from spark_jobs.serving.publish import PublishSummary, lake_data_version, new_publish_id
from spark_jobs.serving.source import MartData, mart_uri
from testkit.synthetic import (
    arrow_schema,
    make_items,
    make_regions,
    survey_days,
    synth_mart,
)

pytestmark = pytest.mark.unit


class CountingConn:
    backend = "fake"

    def __init__(self) -> None:
        self.version, self.calls = "v1", 0

    def run(self, name, params):
        self.calls += 1
        return pd.DataFrame({"name": [name], "call": [self.calls]})

    def data_version(self):
        return self.version

    def close(self):
        pass


def test_cache_hits_until_ttl_then_reruns():
    now = [100.0]
    cache, conn = QueryCache(clock=lambda: now[0]), CountingConn()
    assert cache.get_or_run(conn, "q", {"a": [1, 2]}, ttl=10)["call"].iloc[0] == 1
    assert (
        cache.get_or_run(conn, "q", {"a": (1, 2)}, ttl=10)["call"].iloc[0] == 1
    )  # list and tuple: same key
    now[0] = 111
    assert cache.get_or_run(conn, "q", {"a": [1, 2]}, ttl=10)["call"].iloc[0] == 2
    assert (cache.hits, cache.misses) == (1, 2)


def test_cache_misses_at_once_when_the_data_version_changes():
    cache, conn = QueryCache(clock=lambda: 0.0), CountingConn()
    cache.get_or_run(conn, "q", {}, ttl=3600)
    conn.version = "v2"
    assert cache.get_or_run(conn, "q", {}, ttl=3600)["call"].iloc[0] == 2


def test_cache_returns_copies_and_evicts_oldest():
    cache, conn = QueryCache(max_entries=2, clock=lambda: 0.0), CountingConn()
    df = cache.get_or_run(conn, "a", {}, ttl=60)
    df.loc[0, "name"] = "mutated"
    assert cache.get_or_run(conn, "a", {}, ttl=60)["name"].iloc[0] == "a"
    cache.get_or_run(conn, "b", {}, ttl=60)
    cache.get_or_run(conn, "c", {}, ttl=60)
    assert cache.get_or_run(conn, "a", {}, ttl=60)["call"].iloc[0] == 4  # evicted, ran again


def test_freeze_is_order_independent():
    assert freeze({"b": 1, "a": [1, 2]}) == freeze({"a": (1, 2), "b": 1})
    assert freeze({"a": {"y", "x"}}) == freeze({"a": {"x", "y"}})


def test_sql_types_and_create_table():
    schema = pa.schema(
        [
            pa.field("res_dt", pa.date32(), nullable=False),
            pa.field("nm", pa.string()),
            pa.field("ts", pa.timestamp("us", "UTC")),
        ]
    )
    assert (
        create_table_sql("m", schema)
        == 'CREATE TABLE "m" ("res_dt" DATE NOT NULL, "nm" TEXT, "ts" TIMESTAMPTZ)'
    )
    assert sql_type(pa.decimal128(10, 2)) == "NUMERIC(10,2)"
    with pytest.raises(UnsupportedTypeError, match="tags"):
        sql_type(pa.list_(pa.string()), "tags")


def test_indexes_follow_the_dashboard_filters():
    eco = {ix.suffix: ix.columns for ix in index_specs(MART_ECO_PREMIUM.columns)}
    assert eco == {
        "dt": ("week_start_dt",),
        "region": ("country_cd", "week_start_dt"),
        "item": ("item_cd", "kind_cd", "eco_rank_cd", "country_cd", "week_start_dt"),
    }
    assert index_specs(MART_UPDATE_STATUS.columns) == []


@pytest.mark.parametrize(
    ("dsn", "masked"),
    [
        (
            "postgresql://jangbogi:s3cr3t@db:5432/jangbogi",
            "postgresql://jangbogi:***@db:5432/jangbogi",
        ),
        ("host=db user=u password=s3cr3t dbname=x", "host=db user=u password=*** dbname=x"),
        ("postgresql://jangbogi@localhost/jangbogi", "postgresql://jangbogi@localhost/jangbogi"),
    ],
)
def test_mask_dsn(dsn, masked):
    assert mask_dsn(dsn) == masked


def test_summary_text_and_ids():
    s = PublishSummary(
        "duckdb", "/x.duckdb", {"mart_a": 1200, "mart_b": 34}, ("mart_c",), "id", "v1", 1.25
    )
    assert str(s) == (
        "게시 완료 / published: 2 marts, 1,234 rows → duckdb /x.duckdb (1.2 s, version v1)\n"
        "아직 없음 / not built yet (1): mart_c"
    )
    a, b = new_publish_id(), new_publish_id()
    assert a != b and a[:8].isdigit()


def test_lake_data_version_from_update_status():
    status = pa.table({"source_nm": ["a", "b", "c"], "data_version": ["v2", "v1", "v2"]})
    assert lake_data_version([MartData("mart_update_status", status, 3)]) == "v1+v2"
    assert lake_data_version([]) is None


def test_mart_uri():
    assert mart_uri("/w/", "mart_x") == "/w/kamis_gold.db/mart_x"
    assert mart_uri("s3a://b/warehouse", "mart_x") == "s3://b/warehouse/kamis_gold.db/mart_x"


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_synthetic_marts_follow_their_contract(spec):
    days = survey_days(date(2026, 11, 2), date(2026, 11, 13))  # 10 weekdays
    table = synth_mart(spec, days, make_regions(3), make_items(4))
    assert table.schema == arrow_schema(spec)
    assert table.num_rows > 0
    assert table.group_by(list(spec.grain)).aggregate([]).num_rows == table.num_rows  # grain unique
    for f in table.schema:
        if not f.nullable:
            assert table[f.name].null_count == 0, f.name
