"""mart_eco_price_by_store_type, mart_eco_premium and the unit parser they rely on.

Week of Mon 2024-10-21 (the real EcoPriceList sample is Tue 10-22).
"""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_eco_premium, mart_eco_price_by_store_type
from spark_jobs.gold._common import exact_avg, frame
from spark_jobs.gold._units import base_qty, base_unit, unit_text
from spark_jobs.silver.tables import DIM_REGION, STG_DAILY_MARKET_PRICE, STG_WEEKLY_ECO_PRICE

pytestmark = pytest.mark.spark

WEEK, NEXT_WEEK = date(2024, 10, 21), date(2024, 10, 28)
TUE, WED, THU, FRI = (date(2024, 10, d) for d in (22, 23, 24, 25))
KINDS = {"211": "01", "245": "00", "246": "00", "111": "02"}
CODE = {"서울": "1101", "부산": "2100"}


def test_units(spark):
    rows = [
        ("4kg", None, 4.0, "kg"),
        ("500g", None, 0.5, "kg"),
        ("100g", None, 0.1, "kg"),
        (" 1.5 KG ", None, 1.5, "kg"),
        ("10개", None, 10.0, "개"),
        ("1포기", None, 1.0, "포기"),
        ("500ml", None, 0.5, "L"),
        ("1단", None, 1.0, "단"),
        ("kg", None, None, None),  # no quantity: not comparable
        (None, "봄(1포기)", 1.0, "포기"),  # unit missing: the kind name's suffix
        (None, "시금치(100g)", 0.1, "kg"),
    ]
    df = spark.createDataFrame([r[:2] for r in rows], "unit STRING, kind_nm STRING")
    out = df.select(
        "unit", "kind_nm", base_qty(unit_text()).alias("qty"), base_unit(unit_text()).alias("base")
    )
    assertDataFrameEqual(
        out, spark.createDataFrame(rows, "unit STRING, kind_nm STRING, qty DOUBLE, base STRING")
    )


@pytest.fixture(scope="module")
def eco(spark):
    rows = [
        # (day, city, market, store type, item, grade, unit, price)
        (TUE, "서울", "A-대형마트", "대형마트", "211", "07", "1포기", 6000),
        (
            FRI,
            "서울",
            "A-대형마트",
            "대형마트",
            "211",
            "07",
            "1포기",
            6200,
        ),  # same store twice in the week
        (TUE, "서울", "D-생협", "생협", "211", "07", "1포기", 5000),
        (TUE, "부산", "A-대형마트", "대형마트", "211", "07", "1포기", 4400),
        (TUE, "서울", "A-대형마트", "대형마트", "245", "08", "500g", 2500),
        (
            TUE,
            "서울",
            "A-대형마트",
            "대형마트",
            "246",
            "07",
            "1단",
            2000,
        ),  # conventional 대파 is per kg: no comparison
        (
            TUE,
            "서울",
            "A-대형마트",
            "대형마트",
            "111",
            "07",
            "4kg",
            20000,
        ),  # 백미 kind 02 has no retail kind
    ]
    return frame(
        spark,
        STG_WEEKLY_ECO_PRICE,
        [
            # 부산 arrives without a region code (resolved through dim_region by name)
            {"res_dt": d, "week_start_dt": WEEK, "country_cd": CODE[c] if c == "서울" else None, "country_nm": c,
             "market_nm": m, "store_type_nm": s, "item_cd": i, "kind_cd": KINDS[i], "rank_cd": g, "unit": u, "price": p,
             "category_cd": "100" if i == "111" else "200"}
            for d, c, m, s, i, g, u, p in rows
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def market(spark):
    rows = [
        (WEEK, "서울", "경동", "211", "04", "1포기", 4000),
        (WED, "서울", "A-유통", "211", "04", "1포기", 5000),
        (WEEK, "서울", "경동", "211", "05", "1포기", 3000),  # 중품 ignored: 상품 exists this week
        (
            TUE,
            "서울",
            "경동",
            "245",
            "05",
            None,
            4000,
        ),  # only 중품 this week: not like the eco grade → no premium for 양파 (unit from kind name)
        (TUE, "서울", "경동", "246", "04", "1kg", 3000),
        (THU, "부산", "부전", "211", "04", "1포기", 4000),
        (NEXT_WEEK, "서울", "경동", "211", "04", "1포기", 9999),  # next week: no eco price there
    ]
    kind_nm = {"211": "봄(1포기)", "245": "양파(1kg)", "246": "대파(1kg)"}
    return frame(
        spark,
        STG_DAILY_MARKET_PRICE,
        [
            {"res_dt": d, "country_cd": CODE[c], "country_nm": c, "market_nm": m, "item_cd": i, "kind_cd": KINDS[i],
             "kind_nm": kind_nm[i], "rank_cd": r, "unit": u, "price": p}
            for d, c, m, i, r, u, p in rows
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def regions(spark):
    return frame(spark, DIM_REGION, [{"country_cd": v, "country_nm": k} for k, v in CODE.items()])


def test_eco_premium(spark, eco, market, regions):
    out = mart_eco_premium.transform(eco, market, regions, WEEK, NEXT_WEEK)
    expected = [
        # 서울 배추: eco (6000+6200+5000)/3 = 5733.33/포기 over 3 rows; conventional 상품 (4000+5000)/2 = 4500
        # → 5733.33/4500 = 1.27407 → +27.4
        (WEEK, "1101", "211", "01", "07", "포기", 5733.33, 4500.0, 27.4, 3, 2),
        # 서울 양파: eco 2500 per 500g = 5000/kg, but the week's only conventional price is 중품
        #   (4000/kg): comparing with it would claim +25.0, so no row
        # 부산 배추 (code from dim_region): 4400 vs 4000 → +10.0
        (WEEK, "2100", "211", "01", "07", "포기", 4400.0, 4000.0, 10.0, 1, 1),
    ]
    cols = [
        "week_start_dt",
        "country_cd",
        "item_cd",
        "kind_cd",
        "eco_rank_cd",
        "base_unit",
        "eco_unit_price",
        "conventional_unit_price",
        "premium_pct",
        "eco_obs_cnt",
        "conventional_obs_cnt",
    ]
    ddl = "week_start_dt DATE, country_cd STRING, item_cd STRING, kind_cd STRING, eco_rank_cd STRING, base_unit STRING, eco_unit_price DOUBLE, conventional_unit_price DOUBLE, premium_pct DOUBLE, eco_obs_cnt INT, conventional_obs_cnt INT"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))


def test_exact_avg_is_the_same_in_any_row_order_and_partitioning(spark):
    # 0.1 + 0.2 + 0.3 in doubles depends on the order (0.6000000000000001 vs 0.6); the mean of
    # these 30 values is exactly 0.2 → 0.20, and 1/3-valued prices give 3,333.33
    values = [0.1, 0.2, 0.3] * 10
    means = set()
    for order, parts in ((values, 1), (values[::-1], 7), (sorted(values), 3)):
        df = spark.createDataFrame([(v,) for v in order], "v DOUBLE").repartition(parts)
        means.add(df.agg(exact_avg("v").alias("m")).first()["m"])
    assert means == {0.2}
    thirds = spark.createDataFrame([(10000 / 3,), (10000 / 3,), (10000 / 3,)], "v DOUBLE")
    assert thirds.agg(exact_avg("v").alias("m")).first()["m"] == 3333.33


def test_eco_price_by_store_type(spark, eco):
    out = mart_eco_price_by_store_type.transform(eco, WEEK, WEEK)
    expected = [
        # 배추 대형마트: 서울 A (6000+6200)/2 = 6100, 부산 A 4400 → avg 5250, min 4400, max 6100, 2 stores;
        # types meet only in 서울 (부산 has 대형마트 alone): 서울 mean of types (6100 + 5000)/2 = 5550,
        # index 대형마트 6100/5550 = 1.10, 생협 5000/5550 = 0.90 → 생협 cheapest;
        # gap within 서울 6100/5000 − 1 = +22.0 (pooled 5250/5000 − 1 = +5.0 mixed in cheap 부산)
        (WEEK, "211", "07", "대형마트", 5250.0, 4400.0, 6100.0, 2, "생협", 22.0),
        (WEEK, "211", "07", "생협", 5000.0, 5000.0, 5000.0, 1, "생협", 0.0),
        (WEEK, "245", "08", "대형마트", 2500.0, 2500.0, 2500.0, 1, "대형마트", 0.0),
        (WEEK, "246", "07", "대형마트", 2000.0, 2000.0, 2000.0, 1, "대형마트", 0.0),
        (WEEK, "111", "07", "대형마트", 20000.0, 20000.0, 20000.0, 1, "대형마트", 0.0),
    ]
    cols = [
        "week_start_dt",
        "item_cd",
        "rank_cd",
        "store_type_nm",
        "avg_price",
        "min_price",
        "max_price",
        "market_cnt",
        "cheapest_store_type_nm",
        "gap_pct",
    ]
    ddl = "week_start_dt DATE, item_cd STRING, rank_cd STRING, store_type_nm STRING, avg_price DOUBLE, min_price DOUBLE, max_price DOUBLE, market_cnt INT, cheapest_store_type_nm STRING, gap_pct DOUBLE"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))
    assert out.where(F.col("category_nm") == "식량작물").count() == 1
    assert mart_eco_price_by_store_type.transform(eco, NEXT_WEEK, NEXT_WEEK).count() == 0


def test_eco_store_type_gap_is_measured_within_cities(spark):
    # In each city 대형마트 is 10 % dearer than 생협, but 생협 stores sit mostly in dear 서울 and
    # 대형마트 stores mostly in cheap 부산.
    rows = [
        ("서울", "A-대형마트", "대형마트", 1100),
        ("서울", "D-생협", "생협", 1000), ("서울", "E-생협", "생협", 1000), ("서울", "F-생협", "생협", 1000),
        ("부산", "A-대형마트", "대형마트", 660), ("부산", "B-대형마트", "대형마트", 660),
        ("부산", "C-대형마트", "대형마트", 660),
        ("부산", "D-생협", "생협", 600),
    ]  # fmt: skip
    eco = frame(
        spark,
        STG_WEEKLY_ECO_PRICE,
        [
            {"res_dt": TUE, "week_start_dt": WEEK, "country_nm": c, "market_nm": m, "store_type_nm": t,
             "item_cd": "211", "kind_cd": "01", "rank_cd": "07", "unit": "1포기", "price": p}
            for c, m, t, p in rows
        ],
    )  # fmt: skip
    out = mart_eco_price_by_store_type.transform(eco, WEEK, WEEK)
    # pooled: 대형마트 (1100 + 3×660)/4 = 770, 생협 (3×1000 + 600)/4 = 900 → "대형마트 cheapest,
    #   생협 +16.9 %". Within cities: 서울 type mean 1050, 부산 630 → 대형마트 1100/1050 = 660/630
    #   = 1.048, 생협 0.952 → 생협 cheapest; 대형마트 gap (10.0 × 4 + 10.0 × 4)/8 = +10.0
    expected = [
        ("대형마트", 770.0, 4, "생협", 10.0),
        ("생협", 900.0, 4, "생협", 0.0),
    ]
    cols = ["store_type_nm", "avg_price", "market_cnt", "cheapest_store_type_nm", "gap_pct"]
    ddl = "store_type_nm STRING, avg_price DOUBLE, market_cnt INT, cheapest_store_type_nm STRING, gap_pct DOUBLE"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))
