"""Trailing statistics on a daily run: look-back pairs against range windows, side by side.

``mart_volatility`` (CV over 28 and 364 days) and ``mart_buy_signal`` (365-day percentile) used
to run range windows over every row they read: a year of history to publish one week. This
benchmark builds the same daily window both ways in one Spark session, on generated retail
series (one price per weekday, '-' on about 5 % of days), alternating the forms, and reports
medians with min and max. Both forms' rows are compared first, so the figures are for equal
output.

    python bench/bench_trailing.py --series 7500 --days 364 --repeats 3 --out trailing.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spark_jobs.gold import mart_buy_signal, mart_volatility  # noqa: E402
from spark_jobs.silver.tables import STG_DAILY_CATEGORY_PRICE  # noqa: E402

END = date(2026, 12, 1)  # a Tuesday: the publish window is D-6..D
WINDOW_DAYS = 7


def generate(spark, series: int, days: int, path: Path) -> int:
    """Write ``series`` retail series × the ``days`` + window days to Parquet; return the row count."""
    from pyspark.sql import functions as F

    from spark_jobs.lake import conform

    first = END - timedelta(days=days + WINDOW_DAYS - 1)
    n_days = (END - first).days + 1
    s = F.col("s")
    df = (
        spark.range(series)
        .withColumnRenamed("id", "s")
        .crossJoin(spark.range(n_days).withColumnRenamed("id", "d"))
        .withColumn("res_dt", F.date_add(F.lit(first), F.col("d").cast("int")))
        .where(F.dayofweek("res_dt").between(2, 6))  # Monday..Friday
        .withColumn("h", F.abs(F.hash("s", "d")) % 1000)
        .select(
            "res_dt",
            F.lit("01").alias("product_cls_cd"),
            F.lit("200").alias("category_cd"),
            F.format_string("%04d", (s % 25) * 100).alias("country_cd"),
            F.format_string("r%02d", s % 25).alias("country_nm"),
            F.format_string("%03d", (s / 25).cast("int")).alias("item_cd"),
            F.lit("품목").alias("item_nm"),
            F.lit("00").alias("kind_cd"),
            F.lit("품종").alias("kind_nm"),
            F.lit("04").alias("rank_cd"),
            F.lit("상품").alias("rank_nm"),
            F.lit("1kg").alias("unit"),
            # a level per series plus a slow wave and noise; '-' on ~5 % of days
            F.when(
                F.col("h") >= 50,
                (1000 + (s % 97) * 50 + F.col("d") % 60 * 10 + F.col("h") % 37).cast("double"),
            ).alias("price"),
        )
    )
    absent = [
        F.lit(None).cast(f.dataType).alias(f.name)
        for f in STG_DAILY_CATEGORY_PRICE.struct().fields
        if f.name not in df.columns
    ]
    conform(df.select("*", *absent), STG_DAILY_CATEGORY_PRICE).write.mode("overwrite").parquet(
        str(path)
    )
    return spark.read.parquet(str(path)).count()


def main() -> int:
    """Generate, check both forms agree, time them alternately, write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=7500, help="retail series (300 items × 25)")
    ap.add_argument("--days", type=int, default=364, help="days of history before the window")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    from spark_jobs.session import build_session

    work = Path(tempfile.mkdtemp(prefix="jangbogi-trailing-"))
    spark = build_session(
        "local",
        app_name="bench-trailing",
        overrides={
            "spark.sql.warehouse.dir": str(work / "warehouse"),
            "spark.ui.enabled": "false",
        },
        create_databases=False,
    )
    rows = generate(spark, args.series, args.days, work / "prices")
    prices = spark.read.parquet(str(work / "prices"))
    start = END - timedelta(days=WINDOW_DAYS - 1)
    marts = {
        "mart_volatility": lambda pairs: mart_volatility.transform(prices, start, END, pairs),
        "mart_buy_signal": lambda pairs: mart_buy_signal.transform(prices, None, start, END, pairs),
    }
    out: dict = {"bench": "trailing", "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
    out |= {
        "series": args.series,
        "history_days": args.days,
        "rows": rows,
        "window": [str(start), str(END)],
    }
    out["marts"] = {}
    for name, build in marts.items():
        a, b = build(True), build(False)
        same = a.exceptAll(b).count() == 0 and b.exceptAll(a).count() == 0
        published = a.count()
        times: dict[str, list[float]] = {"pairs": [], "window": []}
        for _ in range(args.repeats):
            for form in ("window", "pairs"):
                t0 = time.perf_counter()
                build(form == "pairs").write.format("noop").mode("overwrite").save()
                times[form].append(round(time.perf_counter() - t0, 2))
        med = {k: statistics.median(v) for k, v in times.items()}
        out["marts"][name] = {
            "rows_published": published,
            "forms_equal": same,
            "seconds": times,
            "median_s": med,
            "window_over_pairs": round(med["window"] / med["pairs"], 1),
        }
        print(name, json.dumps(out["marts"][name]), flush=True)
    spark.stop()
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0 if all(m["forms_equal"] for m in out["marts"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
