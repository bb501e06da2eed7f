"""A separate Spark process for the multi-process metastore tests: `write` or `read` one table."""

from __future__ import annotations

import sys

from spark_jobs.session import build_session

if __name__ == "__main__":
    mode = sys.argv[1]
    spark = build_session(app_name=f"lake-proc-{mode}")
    if mode == "write":
        df = spark.createDataFrame(
            [("211", 3000.0), ("231", 1200.0)], "item_cd STRING, price DOUBLE"
        )
        df.write.format("delta").mode("overwrite").saveAsTable("kamis_silver.proc_shared")
        print("WROTE", spark.table("kamis_silver.proc_shared").count())
    else:
        tables = [r.tableName for r in spark.sql("SHOW TABLES IN kamis_silver").collect()]
        rows = sorted(
            (r.item_cd, r.price) for r in spark.table("kamis_silver.proc_shared").collect()
        )
        print("TABLES", tables)
        print("ROWS", rows)
    spark.stop()
