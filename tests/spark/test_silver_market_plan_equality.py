"""The region-less period plan (issue 12) gives the same stg_daily_market_price as the per-region one.

Three daily runs (raw collection + the silver job, as the daily pipeline does) against the
simulator, once with the plan before issue 12 (346 combos × 24 regions, one-day windows) and once
with the region-less plan (346 combos, 7-day windows), on a few items (``kamis.scope.items``).
The market table of the three days is equal row for row (order-independent digest of every
column but the lineage: ``request_id`` names another call by design, ``fetched_at`` its time).

Explained differences, asserted below:

* the region-less run also publishes the 6 days before the first run (its first call's window
  reaches back ``CORRECTION_DAYS``);
* stg_daily_market_avg holds the 평균 / 평년 of the bodies: per region before, national (0000)
  after. A region's 평균 is still the rounded mean of its market rows (checked for the old rows);
  the national 평균 is the rounded mean of every market (checked for the new rows). The per-region
  평년 is no longer collected (no gold mart reads this table).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from spark_jobs import sources
from spark_jobs.jobs import JobContext, get_job
from spark_jobs.kamis import plan as kp
from spark_jobs.raw import collect as rc
from spark_jobs.raw.tables import PERIOD_RETAIL_PRODUCT as RAW
from spark_jobs.silver.tables import STG_DAILY_MARKET_AVG, STG_DAILY_MARKET_PRICE, STG_QUARANTINE
from spark_jobs.simulator.server import SimulatorServer
from tests.lake_digest import RUN_STAMPS, frame_digest

pytestmark = pytest.mark.spark

FIRST, LAST = date(2026, 6, 1), date(2026, 6, 3)  # Mon..Wed; 06-03 is a holiday (no produce survey)
DAYS = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
# 양파 (produce, several grades), 배추 (produce), 돼지 (livestock: daily, one row per city)
ITEMS = "245,211,4304"
LINEAGE = RUN_STAMPS | {"request_id"}
TABLES = (RAW, STG_DAILY_MARKET_PRICE, STG_DAILY_MARKET_AVG, STG_QUARANTINE)


def _drop(spark) -> None:
    for spec in TABLES:
        spark.sql(f"DROP TABLE IF EXISTS {spec.full_name}")


def _ctx(spark, profile, url: str, day: date) -> JobContext:
    opts = {"progress": False, "kamis.simulator_url": url, "kamis.requests_per_second": 0,
            "kamis.recheck_days": 0, "kamis.scope.items": ITEMS}  # fmt: skip
    return JobContext.of(spark, profile, day, day, False, opts)


def _daily_runs(spark, profile, url: str) -> list[rc.CollectSummary]:
    out = []
    for day in DAYS:
        ctx = _ctx(spark, profile, url, day)
        out.append(rc.collect(ctx, RAW.name))
        get_job("silver.stg_daily_market_price").fn(ctx)
    return out


def _tables(spark) -> dict:
    return {
        "market": spark.table(STG_DAILY_MARKET_PRICE.full_name).toPandas(),
        "avg": spark.table(STG_DAILY_MARKET_AVG.full_name).toPandas(),
        "quarantine": spark.table(STG_QUARANTINE.full_name).count(),
        "raw": spark.table(RAW.full_name).select("request_id", "params_json", "req_dt").toPandas(),
    }


@pytest.fixture(scope="module")
def lakes(spark, profile):
    key = RAW.name
    assert key == "period_retail_product_list"
    per_region = dataclasses.replace(
        sources.BY_KEY[key], plan=kp.period_retail_product_plan_per_region
    )
    with SimulatorServer(seed=11, today=LAST) as sim:
        _drop(spark)
        mp = pytest.MonkeyPatch()
        mp.setitem(sources.BY_KEY, key, per_region)
        try:
            old_runs = _daily_runs(spark, profile, sim.base_url)
        finally:
            mp.undo()
        old = _tables(spark)
        _drop(spark)
        new_runs = _daily_runs(spark, profile, sim.base_url)
        new = _tables(spark)
        # the last day run again: every region-less call is stored and settled, nothing is asked
        again = rc.collect(_ctx(spark, profile, sim.base_url, LAST), RAW.name)
        new["again"] = (again, spark.table(RAW.full_name).count())
        _drop(spark)
    return old, new, old_runs, new_runs


def _in_days(df):
    d = df["res_dt"].map(lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))
    return df[d.between(FIRST.isoformat(), LAST.isoformat())]


def test_calls_per_day(lakes):
    _, _, old_runs, new_runs = lakes
    # scope 245, 211, 4304: the retail combos of those items, × 24 regions before, once after
    combos = len({
        (r.params["p_itemcode"], r.params["p_kindcode"], r.params["p_productrankcode"])
        for r in kp.period_retail_product_plan(LAST, LAST)
        if r.params["p_itemcode"] in ITEMS.split(",")
    })  # fmt: skip
    assert combos > 3
    assert [s.requests for s in old_runs] == [combos * 24] * len(DAYS)
    assert [s.requests for s in new_runs] == [combos] * len(DAYS)
    # one raw row per call, each day's calls under its own req_dt; a rerun asks nothing
    again, raw_rows = lakes[1]["again"]
    assert again.requests == 0 and again.partitions_skipped == 1
    assert raw_rows == len(lakes[1]["raw"]) == combos * len(DAYS)
    assert lakes[1]["raw"]["request_id"].nunique() == combos * len(DAYS)


def test_market_rows_are_equal_over_the_days_both_plans_asked(lakes):
    old, new, _, _ = lakes
    old_m, new_m = _in_days(old["market"]), _in_days(new["market"])
    assert len(old_m) > 500  # several items × ~24 cities × their markets × 2 survey days
    assert len(new_m) == len(old_m)
    assert frame_digest(new_m, LINEAGE) == frame_digest(old_m, LINEAGE)
    print(f"\nstg_daily_market_price {FIRST}..{LAST}: old {len(old_m)} rows, new {len(new_m)} rows, "
          f"digest {frame_digest(new_m, LINEAGE)[:16]}; new total {len(new['market'])}")  # fmt: skip
    assert old["quarantine"] == new["quarantine"] == 0
    # the old plan asked only the three days; the new one's first window reaches back 6 more
    assert len(old["market"]) == len(old_m)
    extra = new["market"].loc[~new["market"].index.isin(new_m.index), "res_dt"]
    assert (
        extra.map(str).between(str(FIRST - timedelta(days=6)), str(FIRST - timedelta(days=1))).all()
    )
    # the raw calls differ: region-less, 7-day windows
    assert not new["raw"]["params_json"].str.contains("p_countrycode").any()
    assert old["raw"]["params_json"].str.contains("p_countrycode").all()


def _round_half_up(x: float) -> float:
    import math

    return float(math.floor(x + 0.5))


def test_average_rows_are_regional_before_and_national_after(lakes):
    old, new, _, _ = lakes
    old_a, new_a = _in_days(old["avg"]), _in_days(new["avg"])
    assert set(new_a["country_cd"]) == {"0000"}
    assert len(set(old_a["country_cd"])) >= 20 and "0000" not in set(old_a["country_cd"])
    # one national row per (day, combo) where the old plan had one per region
    key = ["res_dt", "item_cd", "kind_cd", "rank_cd"]
    assert set(map(tuple, new_a[key].values)) == set(map(tuple, old_a[key].values))
    produce = lambda df: df[df["category_cd"] != "500"]  # noqa: E731 (livestock cities have no market rows)
    markets = produce(_in_days(new["market"]))
    # national 평균 = rounded mean of every market that day (the simulator's and KAMIS' definition)
    national = markets.groupby(key)["price"].mean().map(_round_half_up)
    got = produce(new_a).set_index(key)["avg_price"].dropna()
    assert len(got) > 5 and (national.loc[got.index] == got).all()
    # a region's 평균 (old rows) is still the rounded mean of its market rows in stg_daily_market_price
    regional = markets.groupby([*key, "country_cd"])["price"].mean().map(_round_half_up)
    was = produce(old_a).set_index([*key, "country_cd"])["avg_price"].dropna()
    assert len(was) > 50 and (regional.loc[was.index] == was).all()
