"""Dimension transforms: row counts and flags worked out from the reference tables."""

from __future__ import annotations

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.silver import dim_item, dim_market, dim_region, dim_season, reference

pytestmark = pytest.mark.spark


def test_dim_region_counts_and_national_row(spark):
    df = dim_region.transform(reference.regions(spark), reference.coordinates(spark))
    agg = df.selectExpr(
        "count(*) AS n", "sum(CAST(is_retail AS INT)) AS retail", "sum(CAST(is_wholesale AS INT)) AS wholesale",
        "sum(CAST(latitude IS NULL AS INT)) AS no_coords",
    ).first()  # fmt: skip
    # 24 listed regions + 0000; wholesale = 서울 부산 대구 광주 대전; only 0000 lacks coordinates.
    assert (agg.n, agg.retail, agg.wholesale, agg.no_coords) == (25, 24, 5, 1)
    assertDataFrameEqual(
        df.where("is_wholesale").select("country_cd"),
        [("1101",), ("2100",), ("2200",), ("2401",), ("2501",)],
    )
    assertDataFrameEqual(
        df.where("country_cd = '0000'").select("country_nm", "is_retail", "latitude"),
        [("전국", False, None)],
    )


def test_dim_item_expands_ranks_and_livestock(spark):
    products = spark.createDataFrame(
        [
            (
                "100",
                "식량작물",
                "111",
                "쌀",
                "01",
                "20kg",
                "kg",
                "20",
                "kg",
                "20",
                None,
                None,
                "04",
                "04,05",
                None,
            ),
            (
                "100",
                "식량작물",
                "111",
                "쌀",
                "02",
                "백미",
                None,
                None,
                None,
                None,
                "kg",
                "4",
                None,
                None,
                "07,08",
            ),
            (
                "100",
                "식량작물",
                "111",
                "쌀",
                "06",
                "오대벼",
                None,
                None,
                "kg",
                "10",
                None,
                None,
                None,
                None,
                None,
            ),
        ],
        ", ".join(f"{c} STRING" for c in reference.CODE_TABLE_COLUMNS.values()),
    )
    livestock = spark.createDataFrame(
        [
            ("4301", "소", "21", "안심", "01/02/03", "1++등급/1+등급/1등급", "100g"),
            (
                "9901",
                "닭",
                "01..08",
                "토종닭/육계",
                "00",
                None,
                None,
            ),  # not a single kind code → skipped
        ],
        "item_code STRING, item_name STRING, kind_code STRING, kind_name STRING, rank_code STRING, rank_name STRING, unit_seen STRING",
    )
    ranks = spark.createDataFrame(
        [
            ("04", "상품", "verified_real"),
            ("05", "중품", "verified_real"),
            ("07", "유기농 (eco)", "x"),
            ("08", "무농약 (eco)", "x"),
        ],
        "rank_cd STRING, rank_nm STRING, confidence STRING",
    )
    observed = spark.createDataFrame(
        [("111", "01", "04", "상품")],
        "item_cd STRING, kind_cd STRING, rank_cd STRING, rank_nm STRING",
    )
    cats = spark.createDataFrame(
        [("100", "식량작물"), ("500", "축산물")], "category_cd STRING, category_nm STRING"
    )
    df = dim_item.transform(products, livestock, ranks, observed, cats)
    # 쌀 01: ranks {04 (wholesale+retail), 05 (retail)}; 쌀 02: {07, 08} eco; 쌀 06 has no rank → none;
    # 소 안심: 3 ranks. 2 + 2 + 3 = 7 rows.
    assertDataFrameEqual(
        df.select(
            "item_cd",
            "kind_cd",
            "rank_cd",
            "rank_nm",
            "category_nm",
            "is_retail",
            "is_wholesale",
            "is_eco",
            "is_livestock",
        ),
        [
            ("111", "01", "04", "상품", "식량작물", True, True, False, False),
            ("111", "01", "05", "중품", "식량작물", True, False, False, False),
            ("111", "02", "07", "유기농", "식량작물", False, False, True, False),
            ("111", "02", "08", "무농약", "식량작물", False, False, True, False),
            ("4301", "21", "01", "1++등급", "축산물", True, False, False, True),
            ("4301", "21", "02", "1+등급", "축산물", True, False, False, True),
            ("4301", "21", "03", "1등급", "축산물", True, False, False, True),
        ],
    )
    assertDataFrameEqual(
        df.where("item_cd = '4301' AND rank_cd = '01'").select("retail_unit", "retail_unitsize"),
        [("g", "100")],
    )


def test_dim_item_from_reference_is_unique_and_covers_livestock(spark):
    df = dim_item.from_reference(spark)
    n = df.count()
    assert n == df.select("item_cd", "kind_cd", "rank_cd").distinct().count()
    # livestock_codes.csv: 5 한우 cuts × 3 + 4 pork × 1 + 5 imported beef × 2 + 1 imported pork
    # + 2 chicken + 2 egg kinds × 2 + 1 milk = 15 + 4 + 10 + 1 + 2 + 4 + 1 = 37 (the '01..08' row skipped).
    assert df.where("is_livestock").count() == 37
    assert df.where("category_nm IS NULL OR item_nm IS NULL OR kind_nm IS NULL").count() == 0


def test_dim_market_channels(spark):
    retail = spark.createDataFrame(
        [("1101", "서울", "경동"), ("1101", "서울", "A-유통"), ("1101", "서울", "B`-유통")],
        "country_cd STRING, country_nm STRING, market_nm STRING",
    )
    eco = spark.createDataFrame(
        [("1101", "서울", "A-대형마트", "대형마트")],
        "country_cd STRING, country_nm STRING, market_nm STRING, store_type_nm STRING",
    )
    observed = spark.createDataFrame(
        [
            ("평균", None, "periodRetailProductList"),
            ("부산", "부전", "periodRetailProductList"),
            ("부산", "E-SSM", "EcoPriceList"),
            ("서울", "경동", "periodRetailProductList"),
        ],
        "countyname STRING, marketname STRING, action STRING",
    )
    regions = spark.createDataFrame(
        [("1101", "서울"), ("2100", "부산")], "country_cd STRING, country_nm STRING"
    )
    df = dim_market.transform(retail, eco, observed, regions)
    assertDataFrameEqual(
        df,
        [
            ("1101", "서울", "경동", "traditional", "전통시장", None),
            ("1101", "서울", "A-유통", "large_retail", "대형마트", None),
            ("1101", "서울", "B`-유통", "large_retail", "대형마트", None),
            ("1101", "서울", "A-대형마트", "eco_store", "친환경매장", "대형마트"),
            ("2100", "부산", "부전", "traditional", "전통시장", None),
            ("2100", "부산", "E-SSM", "eco_store", "친환경매장", "SSM"),
        ],
    )


def test_dim_season_resolves_codes_by_name(spark):
    seasonal = spark.createDataFrame(
        [
            ("겨울", 1, "배추", "월동", "295", "채소류"),
            (
                "겨울",
                1,
                "배추",
                "월동",
                "296",
                "채소류",
            ),  # same item/kind/month, another product_no
            ("봄", 4, "배추", "없는품종", "1", "채소류"),  # kind unknown → item code only
            ("여름", 7, "용과", "용과", "2", "과일류"),  # not a KAMIS item → no codes
        ],
        "season STRING, month INT, item_nm STRING, kind_nm STRING, product_no STRING, category_nm STRING",
    )
    items = spark.createDataFrame(
        [
            ("211", "배추", "04", "월동", "04"),
            ("211", "배추", "04", "월동", "05"),
            ("211", "배추", "01", "봄", "04"),
        ],
        "item_cd STRING, item_nm STRING, kind_cd STRING, kind_nm STRING, rank_cd STRING",
    )
    assertDataFrameEqual(
        dim_season.transform(seasonal, items),
        [
            ("211", "배추", "04", "월동", "채소류", 1, "겨울"),
            ("211", "배추", None, "없는품종", "채소류", 4, "봄"),
            (None, "용과", None, "용과", "과일류", 7, "여름"),
        ],
    )
