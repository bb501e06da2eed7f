"""Small pieces every gold mart shares: column lists, formulas, windows and the publish wrapper."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from spark_jobs.table_spec import TableSpec

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession


ITEM_KEY = ["item_cd", "kind_cd", "rank_cd"]
ITEM_COLS = ["item_cd", "item_nm", "kind_cd", "kind_nm", "rank_cd", "rank_nm", "unit"]

# KAMIS 부류 (spark_jobs/reference/seed_codes/category_code.json); fixed by KAMIS, so kept inline.
CATEGORY_NM = {
    "100": "식량작물",
    "200": "채소류",
    "300": "특용작물",
    "400": "과일류",
    "500": "축산물",
    "600": "수산물",
}


def category_nm(col: str = "category_cd") -> Column:
    """Return the 부류 name of a category code column (null for unknown codes)."""
    from pyspark.sql import functions as F

    pairs = [F.lit(x) for kv in CATEGORY_NM.items() for x in kv]
    return F.create_map(*pairs)[F.col(col)]


def pct_change(new: Column, base: Column) -> Column:
    """Return (new − base) / base × 100 rounded to 1 decimal (null when base is null or 0)."""
    from pyspark.sql import functions as F

    return F.when(base != 0, F.round((new - base) / base * 100, 1))


def exact_avg(col: str, decimals: int = 2) -> Column:
    """Return the mean of ``col`` rounded to ``decimals``, the same whatever the row order.

    A double ``avg`` sums in the order shuffle blocks arrive, so a mean of non-integers can
    differ in its last bit between runs of the same input; summing as DECIMAL(38, 6) is exact,
    and rounding to cents hides nothing a shopper reads.
    """
    from pyspark.sql import functions as F

    exact = F.avg(F.round(F.col(col), 6).cast("decimal(38,6)"))
    return F.round(exact, decimals).cast("double")


def date_between(col: str, start: date | None, end: date | None) -> Column:
    """Return ``start <= col <= end`` where a missing bound is open."""
    from pyspark.sql import functions as F

    cond = F.lit(True)
    if start is not None:
        cond = cond & (F.col(col) >= F.lit(start))
    if end is not None:
        cond = cond & (F.col(col) <= F.lit(end))
    return cond


def monday(d: date) -> date:
    """Return the Monday of ``d``'s ISO week (KAMIS eco weeks start on Monday)."""
    return d - timedelta(days=d.weekday())


def frame(spark: SparkSession, spec: TableSpec, rows: Iterable[Mapping[str, Any]]) -> DataFrame:
    """Build a DataFrame in ``spec``'s columns and types from dicts; absent keys are null.

    For tests and notebooks: every field is nullable so hand-written rows may leave out
    lineage columns they do not care about.
    """
    from pyspark.sql.types import DoubleType, StructField, StructType

    struct = StructType([StructField(f.name, f.dataType, True) for f in spec.struct().fields])
    rows = list(rows)

    def value(row: Mapping[str, Any], field: StructField) -> Any:
        v = row.get(field.name)
        return float(v) if isinstance(field.dataType, DoubleType) and isinstance(v, int) else v

    data = [tuple(value(row, f) for f in struct.fields) for row in rows]
    unknown = {k for row in rows for k in row} - set(struct.fieldNames())
    if unknown:
        raise KeyError(f"{spec.name} has no columns {sorted(unknown)}")
    return spark.createDataFrame(data, struct)
