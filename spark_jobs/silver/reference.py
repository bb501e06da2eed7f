"""Reference CSVs (spark_jobs/reference) as small DataFrames for the dimension transforms (I/O only)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from spark_jobs.paths import REFERENCE_DIR

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# JangIngeon code-table columns → productInfo row-contract columns (same table, API.md §2.6).
CODE_TABLE_COLUMNS = {
    "품목 그룹코드": "category_cd",
    "품목 그룹명": "category_nm",
    "품목 코드": "item_cd",
    "품목명": "item_nm",
    "품종코드": "kind_cd",
    "품종명": "kind_nm",
    "도매출하단위": "wholesale_unit",
    "도매출하단위 크기": "wholesale_unitsize",
    "소매출하단위": "retail_unit",
    "소매출하단위 크기": "retail_unitsize",
    "친환경농산물출하단위('20.4~)": "eco_unit",
    "친환경농산물출하단위크기('20.4~)": "eco_unitsize",
    "도매 등급": "whole_rank_cds",
    "소매 등급": "retail_rank_cds",
    "친환경 등급('20.4~)": "eco_rank_cds",
}


def read_csv_rows(rel: str, base: Path = REFERENCE_DIR) -> list[dict[str, str | None]]:
    """Return a reference CSV's rows as dicts (BOM stripped, empty cells as None)."""
    with (base / rel).open(encoding="utf-8-sig", newline="") as fh:
        # Surplus cells of an over-long row (DictReader's None key) are ignored.
        return [
            {
                k.strip(): (v.strip() or None) if isinstance(v, str) else None
                for k, v in row.items()
                if k is not None
            }
            for row in csv.DictReader(fh)
        ]


def _frame(spark: SparkSession, rows: list[dict], columns: dict[str, str]) -> DataFrame:
    """Build a DataFrame of the given columns (source key → 'name TYPE') from dict rows."""
    ddl = ", ".join(columns.values())
    names = [c.split()[0] for c in columns.values()]
    data = [tuple(row.get(src) for src in columns) for row in rows]
    return spark.createDataFrame(data, ddl).toDF(*names)


def code_table(spark: SparkSession) -> DataFrame:
    """The item/kind code table in productInfo row-contract columns (categories 100-400, 600)."""
    cols = {src: f"{dst} STRING" for src, dst in CODE_TABLE_COLUMNS.items()}
    return _frame(spark, read_csv_rows("codes/kamis_item_kind_code_table_JangIngeon.csv"), cols)


def livestock_codes(spark: SparkSession) -> DataFrame:
    """Livestock item/kind codes with '/'-joined rank codes and names (codes/livestock_codes.csv)."""
    cols = {
        c: f"{c} STRING"
        for c in (
            "item_code",
            "item_name",
            "kind_code",
            "kind_name",
            "rank_code",
            "rank_name",
            "unit_seen",
        )
    }
    return _frame(spark, read_csv_rows("codes/livestock_codes.csv"), cols)


def rank_codes(spark: SparkSession) -> DataFrame:
    """Rank code → name and confidence (codes/rank_codes.csv)."""
    cols = {"code": "rank_cd STRING", "name": "rank_nm STRING", "confidence": "confidence STRING"}
    return _frame(spark, read_csv_rows("codes/rank_codes.csv"), cols)


def observed_ranks(spark: SparkSession) -> DataFrame:
    """(item, kind, rank) → rank name as seen in real dailyPriceByCategoryList bodies."""
    cols = {
        "item_code": "item_cd STRING",
        "kind_code": "kind_cd STRING",
        "rank_code": "rank_cd STRING",
        "rank": "rank_nm STRING",
    }
    return _frame(
        spark,
        read_csv_rows("codes/item_kind_rank_seen_in_real_dailyPriceByCategoryList_retail.csv"),
        cols,
    )


def categories(spark: SparkSession) -> DataFrame:
    """Category code → name (codes/categories.csv)."""
    cols = {"category_code": "category_cd STRING", "category_name": "category_nm STRING"}
    return _frame(spark, read_csv_rows("codes/categories.csv"), cols)


def regions(spark: SparkSession) -> DataFrame:
    """The 24 region codes with names and the wholesale flag (codes/regions_county_codes.csv)."""
    cols = {
        "code": "country_cd STRING",
        "name": "country_nm STRING",
        "wholesale_doc": "wholesale_doc STRING",
    }
    return _frame(spark, read_csv_rows("codes/regions_county_codes.csv"), cols)


def coordinates(spark: SparkSession) -> DataFrame:
    """Region code → latitude / longitude (country_coordinates.csv)."""
    rows = read_csv_rows("country_coordinates.csv")
    for r in rows:
        r["latitude"] = float(r["latitude"]) if r.get("latitude") else None  # type: ignore[assignment]
        r["longitude"] = float(r["longitude"]) if r.get("longitude") else None  # type: ignore[assignment]
    cols = {
        "country_cd": "country_cd STRING",
        "latitude": "latitude DOUBLE",
        "longitude": "longitude DOUBLE",
    }
    return _frame(spark, rows, cols)


def observed_markets(spark: SparkSession) -> DataFrame:
    """(countyname, marketname, action) pairs seen in real responses."""
    cols = {
        "countyname": "countyname STRING",
        "marketname": "marketname STRING",
        "action": "action STRING",
    }
    return _frame(spark, read_csv_rows("codes/markets_observed_in_real_responses.csv"), cols)


def seasonal_info(spark: SparkSession) -> DataFrame:
    """The in-season calendar (seasonal_info.csv; product_no is not a KAMIS item code)."""
    rows = read_csv_rows("seasonal_info.csv")
    for r in rows:
        r["month"] = int(r["month"]) if r.get("month") else None  # type: ignore[assignment]
    cols = {
        "season": "season STRING",
        "month": "month INT",
        "item_nm": "item_nm STRING",
        "kind_nm": "kind_nm STRING",
        "product_no": "product_no STRING",
        "category_nm": "category_nm STRING",
    }
    return _frame(spark, rows, cols)
