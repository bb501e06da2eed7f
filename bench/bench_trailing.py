"""Trailing statistics on a daily run: look-back pairs against range windows, side by side.

``mart_volatility`` (CV over 28 and 364 days) and ``mart_buy_signal`` (365-day percentile) used
to run range windows over every row they read: a year of history to publish one week. This
benchmark builds the same daily window both ways in one Spark session, on generated retail
series (one price per weekday, '-' on about 5 % of days), alternating the forms, and reports
medians with min and max. Both forms' rows are compared first, so the figures are for equal
output.

It also times a rebuild of ``mart_volatility`` over the whole history (the range-window form,
every row a target) against the same logic in DuckDB SQL (``bench/reference/mart_volatility.sql``)
on the same Parquet input, both writing Parquet, and checks that the two outputs hold the same
rows and figures: a first, one-mart piece of issue 12's Spark-vs-DuckDB reference.

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


def rebuild(spark, work: Path, repeats: int) -> dict:
    """Time mart_volatility over all of ``work/prices`` in Spark and in DuckDB; compare the outputs."""
    import duckdb

    sql = (REPO / "bench" / "reference" / "mart_volatility.sql").read_text(encoding="utf-8")
    src, spark_out, duck_out = work / "prices", work / "vol_spark", work / "vol_duckdb.parquet"
    times: dict[str, list[float]] = {"spark": [], "duckdb": []}
    for _ in range(repeats):
        t0 = time.perf_counter()
        prices = spark.read.parquet(str(src))
        mart_volatility.transform(prices, pairs=False).write.mode("overwrite").parquet(
            str(spark_out)
        )
        times["spark"].append(round(time.perf_counter() - t0, 2))
        t0 = time.perf_counter()
        with duckdb.connect() as con:
            con.execute(f"CREATE VIEW prices AS SELECT * FROM read_parquet('{src}/*.parquet')")
            con.execute(f"COPY ({sql}) TO '{duck_out}' (FORMAT parquet)")
        times["duckdb"].append(round(time.perf_counter() - t0, 2))
    with duckdb.connect() as con:
        con.execute(f"CREATE VIEW s AS SELECT * FROM read_parquet('{spark_out}/*.parquet')")
        con.execute(f"CREATE VIEW d AS SELECT * FROM read_parquet('{duck_out}')")
        counts = con.execute(
            "SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM d),"
            " (SELECT sum(obs_4w) + sum(obs_52w) FROM s), (SELECT sum(obs_4w) + sum(obs_52w) FROM d)"
        ).fetchone()
        key = "res_dt, country_cd, item_cd, kind_cd, rank_cd, unit"
        differing, worst = con.execute(
            f"SELECT count(*), max(greatest(abs(s.cv_4w_pct - d.cv_4w_pct),"
            f" abs(s.cv_52w_pct - d.cv_52w_pct))) FROM s FULL JOIN d USING ({key})"
            " WHERE s.res_dt IS NULL OR d.res_dt IS NULL"
            " OR s.cv_4w_pct IS DISTINCT FROM d.cv_4w_pct"
            " OR s.cv_52w_pct IS DISTINCT FROM d.cv_52w_pct"
            " OR s.obs_4w IS DISTINCT FROM d.obs_4w OR s.obs_52w IS DISTINCT FROM d.obs_52w"
            " OR s.country_nm IS DISTINCT FROM d.country_nm"
            " OR s.category_nm IS DISTINCT FROM d.category_nm"
        ).fetchone()
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "mart": "mart_volatility",
        "rows": {"spark": counts[0], "duckdb": counts[1]},
        "obs_sum": {"spark": counts[2], "duckdb": counts[3]},
        "rows_differing": differing,
        "max_cv_difference": worst,
        "seconds": times,
        "median_s": med,
        "spark_over_duckdb": round(med["spark"] / med["duckdb"], 1),
    }


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
    out["rebuild"] = rebuild(spark, work, args.repeats)
    print("rebuild", json.dumps(out["rebuild"]), flush=True)
    spark.stop()
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    equal = all(m["forms_equal"] for m in out["marts"].values())
    return 0 if equal and out["rebuild"]["rows_differing"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
