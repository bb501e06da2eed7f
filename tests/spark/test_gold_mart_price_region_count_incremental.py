"""One incremental-vs-full-refresh check through the real job and Delta tables.

Running mart_price_region_count window by window (a lone Monday reads only its 14-day look-back
from silver, a weekend-only window publishes nothing) must give the same table as one full
refresh; re-running a day changes nothing. The other _changes marts share the same read path.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_price_region_count
from spark_jobs.gold._common import frame
from spark_jobs.gold.tables import MART_PRICE_REGION_COUNT
from spark_jobs.jobs import JobContext
from spark_jobs.lake import publish
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE

pytestmark = pytest.mark.spark

FIRST, LAST = date(2024, 12, 26), date(2025, 1, 2)
# 전국 배추 per survey day (weekend 12-28/29 and the 01-01 holiday have no rows); 서울 from Friday
SERIES = {
    ("0000", "211"): {
        date(2024, 12, 26): 4000,
        date(2024, 12, 27): 3800,
        date(2024, 12, 30): 3800,
        date(2024, 12, 31): 3600,
        date(2025, 1, 2): 4000,
    },
    ("1101", "211"): {date(2024, 12, 27): 4200, date(2024, 12, 30): 3900, date(2025, 1, 2): 3900},
}


def test_incremental_days_equal_full_refresh(spark, profile):
    rows = [
        {"res_dt": d, "product_cls_cd": "01", "category_cd": "200", "country_cd": r, "country_nm": r, "item_cd": i,
         "kind_cd": "01", "rank_cd": "04", "price": float(p), "request_id": "t", "fetched_at": datetime(2025, 1, 3)}
        for (r, i), days in SERIES.items() for d, p in days.items()
    ]  # fmt: skip
    spec = MART_PRICE_REGION_COUNT
    windows = [
        (date(2024, 12, 26), date(2024, 12, 27)),
        (date(2024, 12, 28), date(2024, 12, 29)),  # weekend: no rows
        (date(2024, 12, 30), date(2024, 12, 30)),  # Monday alone: base Friday from the look-back
        (date(2024, 12, 31), LAST),
        (date(2024, 12, 30), date(2024, 12, 30)),  # the Monday again
    ]
    try:
        publish(
            spark,
            STG_DAILY_CATEGORY_PRICE,
            frame(spark, STG_DAILY_CATEGORY_PRICE, rows),
            full_refresh=True,
        )
        mart_price_region_count.run(JobContext.of(spark, profile, FIRST, LAST, full_refresh=True))
        full = spark.table(spec.full_name).collect()
        # 전국: 12-27 down (3800<4000), 12-30 flat (vs Fri 3800), 12-31 down, 01-02 up (vs Tue 3600);
        # 서울: 12-30 down (3900<4200), 01-02 flat (vs Mon 3900) → 6 rows
        assert len(full) == 6
        spark.sql(f"DROP TABLE {spec.full_name}")
        for start, end in windows:
            mart_price_region_count.run(JobContext.of(spark, profile, start, end))
        assertDataFrameEqual(spark.table(spec.full_name), full)
    finally:
        for table in (spec, STG_DAILY_CATEGORY_PRICE):
            spark.sql(f"DROP TABLE IF EXISTS {table.full_name}")
