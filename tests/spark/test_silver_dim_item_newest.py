"""dim_item reads the newest productInfo body with rows, parsing only the newest few first."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from spark_jobs.gold._common import frame
from spark_jobs.raw.tables import PRODUCT_INFO
from spark_jobs.silver import dim_item

pytestmark = pytest.mark.spark

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "kamis_samples"
BODY = (SAMPLE / "productInfo__EXCERPT_first7_of_full_table_2026__igb.json").read_text("utf-8")
EMPTY = '{"condition":[[[]]],"error_code":"000","info":[]}'
START = datetime(2026, 11, 1, 15, 0)


def _calls(spark, bodies: list[str]):
    """One ok call per day from 11-01, oldest first; the item name says which body it was."""
    rows = [
        {
            "request_id": f"r{i:02d}",
            "action": "productInfo",
            "params_json": "{}",
            "outcome": "ok",
            "api_mode": "simulator",
            "attempts": 1,
            "body": body.replace('"itemname":"쌀"', f'"itemname":"쌀{i:02d}"'),
            "fetched_at": START + timedelta(days=i),
            "req_dt": date(2026, 11, 1) + timedelta(days=i),
        }
        for i, body in enumerate(bodies)
    ]
    return frame(spark, PRODUCT_INFO, rows)


def _rice(products) -> set[str]:
    return {r.item_nm for r in products.where("item_cd = '111'").select("item_nm").collect()}


def test_newest_ids_are_the_newest_by_fetch_time(spark):
    calls = _calls(spark, [BODY] * 9)
    assert [i for i, _ in dim_item.newest_ids(calls, 3)] == ["r08", "r07", "r06"]
    assert [d.day for _, d in dim_item.newest_ids(calls, 3)] == [9, 8, 7]


def test_the_newest_body_with_rows_wins_over_newer_empty_ones(spark):
    products = dim_item._products(_calls(spark, [BODY] * 7 + [EMPTY, "garbage{"]))
    assert products is not None
    assert products.count() == 7  # the sample's seven rows, of one body
    assert _rice(products) == {"쌀06"}


def test_an_older_body_is_found_when_the_newest_ones_are_all_empty(spark):
    products = dim_item._products(_calls(spark, [BODY] + [EMPTY] * 8))
    assert products is not None and _rice(products) == {"쌀00"}


def test_no_body_with_rows_gives_none(spark):
    assert dim_item._products(_calls(spark, [EMPTY] * 3)) is None
    assert dim_item._products(_calls(spark, [])) is None
