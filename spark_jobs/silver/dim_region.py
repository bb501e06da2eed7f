"""dim_region: the 24 retail and 5 wholesale KAMIS regions with coordinates, plus 0000 전국."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spark_jobs.jobs import JobContext, job
from spark_jobs.kamis.codes import NATIONAL_CD, NATIONAL_NM
from spark_jobs.lake import publish
from spark_jobs.silver import reference
from spark_jobs.silver.tables import DIM_REGION as SPEC

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def transform(regions: DataFrame, coordinates: DataFrame) -> DataFrame:
    """Build dim_region from the region code table and the coordinate table.

    Every listed region is a retail region (boardno 14 lists all 24); wholesale ones are flagged
    by the doc column ``wholesale_doc = 'Y'``. The national row '0000' 전국 is an aggregate, not a
    surveyed region: both flags false, no coordinates.

    Args:
        regions: country_cd, country_nm, wholesale_doc ('Y'/'N').
        coordinates: country_cd, latitude, longitude.
    """
    from pyspark.sql import functions as F

    listed = regions.join(coordinates, "country_cd", "left").select(
        "country_cd",
        "country_nm",
        F.lit(True).alias("is_retail"),
        F.coalesce(F.col("wholesale_doc") == "Y", F.lit(False)).alias("is_wholesale"),
        "latitude",
        "longitude",
    )
    national = listed.sparkSession.createDataFrame(
        [(NATIONAL_CD, NATIONAL_NM, False, False, None, None)], SPEC.struct()
    )
    return listed.unionByName(national).select(*SPEC.columns)


@job("silver.dim_region", "regions (24 retail / 5 wholesale + 전국) with coordinates", order=10)
def run(ctx: JobContext):
    """Rebuild dim_region from the reference tables (small; always a full overwrite)."""
    df = transform(reference.regions(ctx.spark), reference.coordinates(ctx.spark))
    return publish(ctx.spark, SPEC, df, full_refresh=True)
