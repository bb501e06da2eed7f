"""Serving helpers: DDL and indexes, DSN masking, the summary, synthetic marts."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

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
