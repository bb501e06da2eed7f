"""The scale generator writes the raw tables daily collector runs write, and silver builds the same.

Three daily runs of every raw job against the in-process simulator (``today`` = the run's day, as
``jangbogi run --start D --end D``), one region and a few items (``kamis.scope.*``), then the
silver layer over the three days; then the same lake again from ``testkit.scalegen`` (rendered
in-process, written with delta-rs, registered in the metastore) and the same silver run. Every
raw and silver table is equal: row counts and an order-independent digest of all columns but
the run stamps (``fetched_at``, ``elapsed_ms``, ``attempts``; ``detected_at`` of quarantine rows).
"""

from __future__ import annotations

import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from spark_jobs.kamis.scope import Scope
from spark_jobs.pipeline import run_jobs
from spark_jobs.raw.tables import TABLES as RAW_TABLES
from spark_jobs.silver.tables import TABLES as SILVER_TABLES
from testkit import scalegen
from tests.lake_digest import RUN_STAMPS, frame_digest

pytestmark = pytest.mark.spark

FIRST, LAST = date(2026, 6, 1), date(2026, 6, 3)  # Mon..Wed; 06-03 is a holiday (no produce survey)
DAYS = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
REGIONS, ITEMS = "1101", "211,212,4304"  # 서울; 배추, 양배추, 돼지 (livestock: surveyed daily)
SCOPE = {"kamis.scope.regions": REGIONS, "kamis.scope.items": ITEMS}
IGNORE = RUN_STAMPS | {"detected_at"}


def _drop(spark) -> None:
    for spec in (*RAW_TABLES, *SILVER_TABLES):
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")


def _snapshot(spark) -> dict[str, tuple[int, str]]:
    out = {}
    for spec in (*RAW_TABLES, *SILVER_TABLES):
        if spark.catalog.tableExists(spec.full_name):
            df = spark.table(spec.full_name).toPandas()
            out[spec.full_name] = (len(df), frame_digest(df, IGNORE))
    return out


def _silver(spark, profile) -> None:
    run_jobs(spark, profile, ["silver"], FIRST, LAST, options={"progress": False})


@pytest.fixture(scope="module")
def lakes(spark, profile):
    warehouse = Path(profile.path("storage.warehouse"))
    _drop(spark)
    opts = {"progress": False, "kamis.requests_per_second": 0, **SCOPE}
    t0 = time.perf_counter()
    for day in DAYS:  # the daily collector, one run per day
        run_jobs(spark, profile, ["raw"], day, day, options=opts)
    t1 = time.perf_counter()
    _silver(spark, profile)
    collected = _snapshot(spark)
    _drop(spark)
    t2 = time.perf_counter()
    cfg = scalegen.GenConfig(FIRST, LAST, Scope.from_settings({"regions": REGIONS, "items": ITEMS}))
    stats = scalegen.generate(cfg, warehouse, workers=1)
    registered = scalegen.register(spark, warehouse)
    t3 = time.perf_counter()
    _silver(spark, profile)
    generated = _snapshot(spark)
    print(f"\nscalegen test: collector raw {t1 - t0:.0f} s, silver {t2 - t1:.0f} s; generator raw "
          f"{t3 - t2:.0f} s, silver {time.perf_counter() - t3:.0f} s")  # fmt: skip
    _drop(spark)  # the raw tables are external: their folders go by hand
    for spec in RAW_TABLES:
        shutil.rmtree(scalegen.table_path(warehouse, spec), ignore_errors=True)
    return collected, generated, stats, registered


def test_generator_registers_every_raw_table(lakes):
    _, _, stats, registered = lakes
    assert registered == [spec.full_name for spec in RAW_TABLES]
    assert stats.days == len(DAYS)


@pytest.mark.parametrize("spec", RAW_TABLES, ids=lambda s: s.name)
def test_raw_tables_equal(lakes, spec):
    collected, generated, stats, _ = lakes
    rows, digest = collected[spec.full_name]
    assert rows > 0
    assert generated[spec.full_name] == (rows, digest)
    assert stats.rows[spec.name] == rows


@pytest.mark.parametrize("spec", SILVER_TABLES, ids=lambda s: s.name)
def test_silver_tables_equal(lakes, spec):
    collected, generated, _, _ = lakes
    assert generated.get(spec.full_name) == collected.get(spec.full_name)


def test_lake_has_market_and_eco_rows(lakes):
    collected, _, _, _ = lakes
    assert collected["kamis_silver.stg_daily_market_price"][0] > 100
    assert collected["kamis_silver.stg_weekly_eco_price"][0] > 0
    total = sum(n for n, _ in collected.values())
    print(f"\nscalegen equality: {len(collected)} tables, {total} rows each side")
