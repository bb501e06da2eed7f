"""mart_basket_cost: Σ qty × channel mean price per day, region and channel; complete baskets ranked."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.testing import assertDataFrameEqual

from spark_jobs.gold import mart_basket_cost as m
from spark_jobs.gold._common import frame
from spark_jobs.silver.tables import DIM_MARKET, STG_DAILY_MARKET_PRICE

pytestmark = pytest.mark.spark

MON = date(2024, 11, 18)
KIND = {"211": "01", "245": "00", "231": "06"}
REGION = {"서울": "1101", "부산": "2100", "세종": "2701"}


@pytest.mark.unit
def test_reference_baskets_are_well_formed():
    lines = m.read_baskets()
    assert {b[0] for b in lines} == {"family4_weekly", "kimjang"}
    assert all(line[5] > 0 for line in lines)
    assert len({line[:5] for line in lines}) == len(lines)  # no duplicate line
    assert [line[6] for line in lines] == list(range(1, len(lines) + 1))  # file order
    by_key = {(ln[0], ln[2], ln[3]): ln for ln in lines}
    cabbage = by_key[("kimjang", "211", "03")]  # 가을 배추, 10 heads
    assert cabbage[7:] == ("배추", "가을", ["06", "01", "02"])  # 월동, 봄, 여름(고랭지) stand in
    assert by_key[("kimjang", "231", "03")][9] == ["06", "01", "02"]  # 가을 무 likewise
    for line in lines:  # an alternate is another kind of the same line
        assert line[3] not in line[9] and len(set(line[9])) == len(line[9])


def line(basket: str, nm: str, item: str, kind: str, qty: float, n: int, alts=()) -> tuple:
    return (basket, nm, item, kind, "04", qty, n, f"item{item}", f"kind{kind}", list(alts))


def test_basket_cost(spark):
    baskets = spark.createDataFrame(
        [
            line("b1", "기본", "211", "01", 2.0, 1),
            line("b1", "기본", "245", "00", 0.5, 2),
            line("b2", "무", "231", "06", 3.0, 3),
        ],
        m.BASKET_DDL,
    )
    ch = {"trad": ("traditional", "전통시장"), "large": ("large_retail", "대형유통")}
    markets = frame(
        spark,
        DIM_MARKET,
        [
            {"country_nm": c, "market_nm": mk, "channel_cd": ch[t][0], "channel_nm": ch[t][1]}
            for c, mk, t in [("서울", "경동", "trad"), ("서울", "A-유통", "large"), ("부산", "부전", "trad"),
                             ("부산", "B-유통", "large"), ("부산", "A-유통", "large"), ("세종", "C-유통", "large")]
        ],
    )  # fmt: skip
    rows = [
        ("서울", "경동", "211", 4000), ("서울", "경동", "245", 2000), ("서울", "경동", "231", 1500),
        ("서울", "A-유통", "211", 5000), ("서울", "A-유통", "245", 1800),
        ("부산", "부전", "211", 3000), ("부산", "부전", "245", 2200),
        ("부산", "B-유통", "211", 3600), ("부산", "B-유통", "231", 1200), ("부산", "A-유통", "211", 4000),
        ("세종", "C-유통", "245", 1000),
    ]  # fmt: skip
    prices = frame(
        spark,
        STG_DAILY_MARKET_PRICE,
        [
            {
                "res_dt": MON,
                "country_cd": REGION[c],
                "country_nm": c,
                "market_nm": mk,
                "item_cd": i,
                "kind_cd": KIND[i],
                "rank_cd": "04",
                "price": p,
            }
            for c, mk, i, p in rows
        ],
    )
    out = m.transform(prices, markets, baskets, MON, MON)
    expected = [
        # b1 = 2 × 배추 + 0.5 × 양파
        ("b1", "2100", "traditional", 2 * 3000 + 0.5 * 2200, 2, 2, 1, True, True),  # 7100
        ("b1", "1101", "traditional", 2 * 4000 + 0.5 * 2000, 2, 2, 2, False, True),  # 9000
        ("b1", "1101", "large_retail", 2 * 5000 + 0.5 * 1800, 2, 2, 3, False, True),  # 10900
        # 부산 large: 배추 (3600+4000)/2 = 3800 → 7600, no 양파 → incomplete, not ranked
        ("b1", "2100", "large_retail", 2 * 3800.0, 2, 1, 0, False, False),
        ("b1", "2701", "large_retail", 0.5 * 1000, 2, 1, 0, False, False),  # 세종: 양파 only
        # b2 = 3 × 무: 부산 large 3600 < 서울 trad 4500; cells without 무 are left out
        ("b2", "2100", "large_retail", 3 * 1200.0, 1, 1, 1, True, True),
        ("b2", "1101", "traditional", 3 * 1500.0, 1, 1, 2, False, True),
    ]
    cols = [
        "basket_cd",
        "country_cd",
        "channel_cd",
        "total_cost",
        "item_cnt",
        "priced_item_cnt",
        "cheapest_rank",
        "is_cheapest",
        "is_complete",
    ]
    ddl = "basket_cd STRING, country_cd STRING, channel_cd STRING, total_cost DOUBLE, item_cnt INT, priced_item_cnt INT, cheapest_rank INT, is_cheapest BOOLEAN, is_complete BOOLEAN"
    assertDataFrameEqual(out.select(cols), spark.createDataFrame(expected, ddl))
    assert {(r.basket_nm, r.res_dt) for r in out.collect()} == {("기본", MON), ("무", MON)}


def test_basket_substitutes_the_in_season_kind_and_lists_missing_lines(spark):
    """A June 김장 basket: 가을 배추 / 가을 무 are not surveyed; 월동 or 봄 stands in where priced."""
    jun = date(2026, 6, 5)
    baskets = spark.createDataFrame(
        [
            ("kimjang", "김장", "211", "03", "04", 10.0, 1, "배추", "가을", ["06", "01"]),
            ("kimjang", "김장", "231", "03", "04", 2.0, 2, "무", "가을", ["01"]),
            ("kimjang", "김장", "246", "00", "04", 1.0, 3, "파", "대파", []),
        ],
        m.BASKET_DDL,
    )
    ch = {"trad": ("traditional", "전통시장"), "large": ("large_retail", "대형유통")}
    markets = frame(
        spark,
        DIM_MARKET,
        [
            {"country_nm": c, "market_nm": mk, "channel_cd": ch[t][0], "channel_nm": ch[t][1]}
            for c, mk, t in [("서울", "경동", "trad"), ("서울", "A-유통", "large"),
                             ("부산", "부전", "trad"), ("부산", "B-유통", "large")]
        ],
    )  # fmt: skip
    kinds = {"01": "봄", "03": "가을", "06": "월동", "00": "대파"}
    rows = [
        ("서울", "경동", "211", "01", 3000), ("서울", "경동", "211", "06", 3500),  # 월동 comes first
        ("서울", "경동", "231", "01", 1500), ("서울", "경동", "246", "00", 2000),
        ("서울", "A-유통", "211", "03", 4000), ("서울", "A-유통", "246", "00", 2500),  # no 무
        ("부산", "부전", "211", "01", 2800), ("부산", "부전", "231", "01", 1400),
        ("부산", "부전", "246", "00", 1800),
        ("부산", "B-유통", "246", "00", 1900),  # 대파 only
        ("부산", "B-유통", "211", "02", 2000),  # 여름 배추 is not an allowed alternate here
    ]  # fmt: skip
    prices = frame(
        spark,
        STG_DAILY_MARKET_PRICE,
        [
            {"res_dt": jun, "country_cd": REGION[c], "country_nm": c, "market_nm": mk,
             "item_cd": i, "kind_cd": k, "kind_nm": kinds.get(k, "여름"), "rank_cd": "04", "price": p}
            for c, mk, i, k, p in rows
        ],
    )  # fmt: skip
    out = m.transform(prices, markets, baskets, jun, jun)
    cols = "country_cd channel_cd total_cost priced_item_cnt substituted_item_cnt is_complete cheapest_rank missing_txt substitute_txt"
    got = sorted(tuple(r) for r in out.select(cols.split()).collect())
    assert got == [
        # 서울 전통시장: 10 × 3,500 (월동) + 2 × 1,500 (봄 무) + 2,000 = 40,000
        ("1101", "large_retail", 10 * 4000 + 2500.0, 2, 0, False, 0, "무 가을", None),
        ("1101", "traditional", 10 * 3500 + 2 * 1500 + 2000.0, 3, 2, True, 2, None, "배추 가을→월동, 무 가을→봄"),
        # 부산 전통시장: 10 × 2,800 + 2 × 1,400 + 1,800 = 32,600, the cheapest complete basket
        ("2100", "large_retail", 1900.0, 1, 0, False, 0, "배추 가을, 무 가을", None),
        ("2100", "traditional", 10 * 2800 + 2 * 1400 + 1800.0, 3, 2, True, 1, None, "배추 가을→봄, 무 가을→봄"),
    ]  # fmt: skip
