from __future__ import annotations

import dataclasses
from datetime import date

import pyarrow.parquet as pq
import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.lake import publish
from spark_jobs.quality.audit import AuditError
from spark_jobs.table_spec import TableSpec

pytestmark = pytest.mark.spark

DEMO = TableSpec(
    layer="silver",
    name="test_demo_prices",
    schema="item_cd STRING NOT NULL, price DOUBLE, res_dt DATE NOT NULL",
    description="test table",
    grain=("res_dt", "item_cd"),
    partition_by=("res_dt",),
    not_null=("item_cd", "res_dt"),
    checks={"price_positive": "price IS NULL OR price > 0"},
    date_column="res_dt",
)
D1, D2 = date(2026, 11, 2), date(2026, 11, 3)


def _rows(spark, rows):
    return spark.createDataFrame(rows, "item_cd STRING, price DOUBLE, res_dt DATE")


def test_session_has_delta_hive_and_databases(spark):
    assert spark.conf.get("spark.sql.catalogImplementation") == "hive"
    dbs = {r.namespace for r in spark.sql("SHOW DATABASES").collect()}
    assert {"kamis_raw", "kamis_silver", "kamis_gold"} <= dbs
    spark.range(3).write.format("delta").mode("overwrite").saveAsTable("kamis_raw.test_delta_smoke")
    detail = spark.sql("DESCRIBE DETAIL kamis_raw.test_delta_smoke").collect()[0]
    assert detail.format == "delta"
    assert spark.table("kamis_raw.test_delta_smoke").count() == 3


def test_time_travel_reads_an_earlier_version(spark):
    name = "kamis_raw.test_time_travel"
    _rows(spark, [("211", 3000.0, D1)]).write.format("delta").mode("overwrite").saveAsTable(name)
    _rows(spark, [("211", 3500.0, D1), ("231", 1200.0, D1)]).write.format("delta").mode(
        "overwrite"
    ).saveAsTable(name)
    v0 = spark.read.option("versionAsOf", 0).table(name)
    assertDataFrameEqual(v0, _rows(spark, [("211", 3000.0, D1)]))
    assert spark.table(name).count() == 2
    history = spark.sql(f"DESCRIBE HISTORY {name}").select("version").collect()
    assert sorted(r.version for r in history) == [0, 1]


def test_publish_twice_for_the_same_date_is_idempotent(spark):
    day1 = _rows(spark, [("211", 3000.0, D1), ("231", 1200.0, D1)])
    day2 = _rows(spark, [("211", 3100.0, D2)])
    publish(spark, DEMO, day1, D1, D1)
    publish(spark, DEMO, day2, D2, D2)
    first = spark.table(DEMO.full_name).orderBy("res_dt", "item_cd").collect()
    publish(spark, DEMO, day1, D1, D1)  # rerun of day 1: replaces only day 1
    second = spark.table(DEMO.full_name).orderBy("res_dt", "item_cd").collect()
    assert first == second
    assert len(second) == 3
    # The partition column lives in the path, not inside the data files.
    files = spark.table(DEMO.full_name).inputFiles()
    assert files and all("res_dt=2026-11-0" in f for f in files)
    for f in files:
        names = pq.read_schema(f.replace("file:", "")).names
        assert "res_dt" not in names and "item_cd" in names


def _versions(spark, name: str) -> int:
    return spark.sql(f"DESCRIBE HISTORY {name}").count()


def test_an_empty_publish_commits_only_when_it_replaces_rows(spark):
    spec = dataclasses.replace(DEMO, name="test_empty_publish")
    empty = _rows(spark, [])
    publish(spark, spec, _rows(spark, [("211", 3000.0, D1)]), D1, D1)
    v = _versions(spark, spec.full_name)
    result = publish(spark, spec, empty, D2, D2)  # no row in D2, none to replace: no commit
    assert (result.rows, _versions(spark, spec.full_name)) == (0, v)
    result = publish(spark, spec, empty, D1, D1)  # D1's row is gone: a commit deletes it
    assert (result.rows, _versions(spark, spec.full_name)) == (0, v + 1)
    assert spark.table(spec.full_name).count() == 0
    publish(spark, spec, _rows(spark, [("231", 1200.0, D2)]), D2, D2)
    publish(spark, spec, empty, D1, D2, replace_filter="item_cd = '231'")  # a filtered replace
    assert spark.table(spec.full_name).count() == 0
    publish(spark, spec, _rows(spark, [("231", 1200.0, D2)]), D2, D2)
    publish(spark, spec, empty, full_refresh=True)  # a full refresh to nothing empties it
    assert spark.table(spec.full_name).count() == 0


def test_a_full_refresh_replaces_every_partition_not_only_those_it_writes(spark):
    spec = dataclasses.replace(DEMO, name="test_full_refresh")
    publish(spark, spec, _rows(spark, [("211", 3000.0, D1), ("231", 1200.0, D2)]), D1, D2)
    publish(spark, spec, _rows(spark, [("211", 3100.0, D1)]), full_refresh=True)
    assert [tuple(r) for r in spark.table(spec.full_name).collect()] == [("211", 3100.0, D1)]


def test_failed_audit_leaves_published_table_unchanged(spark):
    publish(spark, DEMO, _rows(spark, [("211", 3000.0, D1), ("231", 1200.0, D1)]), D1, D1)
    before = spark.table(DEMO.full_name).orderBy("res_dt", "item_cd").collect()
    dupes = _rows(spark, [("211", 10.0, D1), ("211", 11.0, D1)])
    with pytest.raises(AuditError, match="duplicated grain keys"):
        publish(spark, DEMO, dupes, D1, D1)
    outside = _rows(spark, [("211", 10.0, D2)])
    with pytest.raises(AuditError, match="outside the window"):
        publish(spark, DEMO, outside, D1, D1)
    negative = _rows(spark, [("211", -5.0, D1)])
    with pytest.raises(AuditError, match="price_positive"):
        publish(spark, DEMO, negative, D1, D1)
    assert spark.table(DEMO.full_name).orderBy("res_dt", "item_cd").collect() == before


def test_check_constraints_are_on_the_delta_table(spark):
    publish(spark, DEMO, _rows(spark, [("211", 3000.0, D1)]), D1, D1)
    props = dict(spark.sql(f"SHOW TBLPROPERTIES {DEMO.full_name}").collect())
    assert props.get("delta.constraints.price_positive") == "price IS NULL OR price > 0"
    with pytest.raises(Exception, match=r"(?i)check constraint"):
        spark.sql(f"INSERT INTO {DEMO.full_name} VALUES ('999', -1.0, DATE'2026-11-02')")


def _evolving(schema: str, description: str) -> TableSpec:
    """One table's contract in successive versions (same name, grain and date column)."""
    return TableSpec(
        layer="silver",
        name="test_evolving",
        schema=schema,
        description=description,
        grain=("res_dt", "item_cd"),
        date_column="res_dt",
    )


def test_an_older_table_gets_the_contracts_new_nullable_columns(spark):
    from spark_jobs.lake import add_new_columns, ensure_table

    old = _evolving(
        "item_cd STRING NOT NULL, price DOUBLE, res_dt DATE NOT NULL", "test table, version 1"
    )
    new = _evolving(
        old.schema + ", note_txt STRING", "test table, version 2: a nullable column at the end"
    )
    publish(spark, old, _rows(spark, [("211", 3000.0, D1)]), D1, D1)
    ensure_table(spark, new)  # the lake made by version 1 is opened by version 2
    assert spark.table(new.full_name).columns == ["item_cd", "price", "res_dt", "note_txt"]
    assert add_new_columns(spark, new) == []  # already there: nothing to do
    day2 = spark.createDataFrame(
        [("211", 3100.0, D2, "new")], "item_cd STRING, price DOUBLE, res_dt DATE, note_txt STRING"
    )
    publish(spark, new, day2, D2, D2)
    got = {(r.res_dt, r.note_txt) for r in spark.table(new.full_name).collect()}
    assert got == {(D1, None), (D2, "new")}
    strict = _evolving(new.schema + ", qty INT NOT NULL", "a NOT NULL column cannot be added")
    with pytest.raises(ValueError, match=r"lacks NOT NULL columns \['qty'\]"):
        add_new_columns(spark, strict)
