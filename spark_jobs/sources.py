"""The source registry: one record per KAMIS source, the single truth about it.

A record says how the source is asked (its KAMIS actions and the planner that fans one chunk of a
run out into calls), where its answers land (the raw table ``kamis_raw.<key>`` and the raw job
``raw.<key>``), which parser row family its bodies parse into, which silver tables it feeds and
which of them ``mart_update_status`` watches, how fresh it must be, and its Korean name on the
dashboard. The planner, the raw tables and jobs, the collector, the silver jobs,
``mart_update_status``, the freshness check, the dashboard, the Airflow manifest and the docs all
read it here.

Adding a source: one record below, one parser (``kamis/parsing.py``), one silver module, their
tests (``docs/CONTRIBUTING.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from spark_jobs.kamis import codes, rows
from spark_jobs.kamis import plan as kp
from spark_jobs.kamis import requests as kr
from spark_jobs.kamis.requests import KamisRequest

ChunkPlanner = Callable[[date, date, str], list[KamisRequest]]

# Region of a raw call: whichever spelling of the region parameter the action uses; none = 전국.
RAW_REGION_EXPR = (
    "coalesce(get_json_object(params_json, '$.p_country_code'), get_json_object(params_json, '$.p_countrycode'),"
    f" get_json_object(params_json, '$.p_countycode'), '{codes.NATIONAL_CD}')"
)
# Silver rows that carry a price for their day (stg_daily_market_price / stg_weekly_eco_price
# hold priced rows only; the category table and the region snapshot keep "-" rows as null).
PRICED = "price IS NOT NULL"


@dataclass(frozen=True)
class Watch:
    """A silver table ``mart_update_status`` reports for its source, and how to read its freshness.

    Attributes:
        table: Silver table name.
        date_expr: SQL giving the row's data date.
        region_expr: SQL giving the row's region (None: no regions).
        count_filter: SQL selecting the rows that count (``row_cnt``, ``latest_dt``).
    """

    table: str
    date_expr: str
    region_expr: str | None
    count_filter: str = "true"


@dataclass(frozen=True)
class KamisSource:
    """One KAMIS source.

    Attributes:
        key: Raw table and raw job name (``kamis_raw.<key>``, ``raw.<key>``).
        actions: KAMIS action spellings it sends (request builders in ``kamis/requests.py``);
            the first names the source on the dashboard and in ``mart_update_status``.
        label_ko: Korean name shown on the dashboard (its silver tables get "<label> 표").
        table_description: One line on a raw row.
        job_description: One line on the raw job.
        order: Position of the raw job in the pipeline.
        plan: The calls of one chunk ``(start, end, returntype)`` of a run.
        per_run: True: one chunk per run at the window end (snapshot sources); False: calendar
            months.
        note: How the daily request count comes about (``requests_per_day``).
        fields: The parser's row family its bodies parse into (``kamis/rows.py``).
        silver: Silver tables built from it.
        watch: Those of them ``mart_update_status`` reports, with how to read them.
        has_regions: Whether its calls carry a region (``mart_update_status.region_cnt``).
        max_lag_days: Days its data may lag before the ops freshness check fails (None: the
            check's default, ``--max-lag-days``).
        stale_after_days: Days its data may lag before the dashboard warns shoppers.
    """

    key: str
    actions: tuple[str, ...]
    label_ko: str
    table_description: str
    job_description: str
    order: int
    plan: ChunkPlanner
    per_run: bool
    note: Callable[[], str]
    fields: tuple[str, ...]
    silver: tuple[str, ...]
    watch: tuple[Watch, ...] = ()
    has_regions: bool = True
    max_lag_days: int | None = None
    stale_after_days: int = 3

    @property
    def name(self) -> str:
        """Return the source's name in ``mart_update_status`` and on the dashboard (its first action)."""
        return self.actions[0]

    def chunks(self, start: date, end: date) -> list[tuple[date, date]]:
        """Return the chunks a run over ``start..end`` processes: months, or one for per-run sources."""
        if self.per_run:
            return [(end, end)]
        return list(kp.month_chunks(start, end))

    def plan_chunk(self, start: date, end: date, returntype: str = "json") -> list[KamisRequest]:
        """Return the calls this source makes for one chunk ``start..end`` of a run."""
        return self.plan(start, end, returntype)


def _each_day(start: date, end: date, returntype: str) -> list[KamisRequest]:
    return [
        r
        for i in range((end - start).days + 1)
        for r in kp.daily_price_by_category_plan(start + timedelta(days=i), returntype)
    ]


DAILY_PRICE_BY_CATEGORY = KamisSource(
    key="daily_price_by_category_list",
    actions=(kr.DAILY_PRICE_BY_CATEGORY,),
    label_ko="부류별 일일 가격",
    table_description="dailyPriceByCategoryList calls: class × category × region for one day",
    job_description="dailyPriceByCategoryList: class × category × region per day",
    order=10,
    plan=_each_day,
    per_run=False,
    note=lambda: "2 classes × 6 categories × (national + 24 retail / 5 wholesale regions)",
    fields=rows.CATEGORY_FIELDS,
    silver=("stg_daily_category_price",),
    watch=(Watch("stg_daily_category_price", "res_dt", "country_cd", PRICED),),
)
DAILY_COUNTY = KamisSource(
    key="daily_county_list",
    actions=(kr.DAILY_COUNTY,),
    label_ko="지역별 최신 가격",
    table_description="dailyCountyList calls: latest snapshot per region",
    job_description="dailyCountyList: latest snapshot of every region (req_dt = window end)",
    order=20,
    plan=lambda start, end, rt: kp.daily_county_plan(end, rt),
    per_run=True,
    note=lambda: "one per distinct region (snapshot)",
    fields=rows.COUNTY_FIELDS,
    silver=("stg_daily_region_snapshot",),
    watch=(Watch("stg_daily_region_snapshot", "snapshot_dt", "country_cd", PRICED),),
)
PERIOD_RETAIL_PRODUCT = KamisSource(
    key="period_retail_product_list",
    actions=(kr.PERIOD_RETAIL_PRODUCT,),
    label_ko="시장별 소매 가격",
    table_description=(
        "periodRetailProductList calls: one per retail item/kind/rank, region omitted (every city"
        " and market in one body), over a date window"
    ),
    job_description=(
        "periodRetailProductList: one region-less call per retail item/kind/rank per month"
        f" (a daily run asks the last {kp.CORRECTION_DAYS} days)"
    ),
    order=30,
    plan=kp.period_retail_product_plan,
    per_run=False,
    note=lambda: (
        f"{len(codes.produce_retail_combos())} produce + {len(codes.livestock_retail_combos())} livestock "
        f"combos, region omitted (all {len(codes.retail_regions())} regions in one body), "
        f"window of the last {kp.CORRECTION_DAYS} days"
    ),
    fields=rows.PERIOD_FIELDS,
    silver=("stg_daily_market_price", "stg_daily_market_avg"),
    watch=(Watch("stg_daily_market_price", "res_dt", "country_cd"),),
)
ECO_PRICE = KamisSource(
    key="eco_price_list",
    actions=(kr.ECO_PRICE, kr.PERIOD_ECO_PRICE),
    label_ko="친환경 가격",
    table_description="EcoPriceList / periodEcoPriceList calls: eco item/kind/grade",
    job_description="EcoPriceList / periodEcoPriceList: every eco item/kind/grade",
    order=40,
    plan=kp.eco_price_plan,
    per_run=False,
    note=lambda: f"{len(codes.eco_combos())} eco combos (EcoPriceList)",
    fields=rows.ECO_FIELDS,
    silver=("stg_weekly_eco_price",),
    watch=(Watch("stg_weekly_eco_price", "res_dt", "country_nm"),),
    # Surveyed once a week and published some days later.
    max_lag_days=10,
    stale_after_days=10,
)
PRODUCT_INFO = KamisSource(
    key="product_info",
    actions=(kr.PRODUCT_INFO,),
    label_ko="품목 정보",
    table_description="productInfo calls: the item/kind/grade code table",
    job_description="productInfo: the item/kind/grade code table, once per run",
    order=50,
    plan=lambda start, end, rt: kp.product_info_plan(end, rt),
    per_run=True,
    note=lambda: "code table, once per run",
    fields=rows.PRODUCT_INFO_FIELDS,
    silver=("dim_item",),
    has_regions=False,
    stale_after_days=7,
)

SOURCES: tuple[KamisSource, ...] = (
    DAILY_PRICE_BY_CATEGORY,
    DAILY_COUNTY,
    PERIOD_RETAIL_PRODUCT,
    ECO_PRICE,
    PRODUCT_INFO,
)
BY_KEY: dict[str, KamisSource] = {s.key: s for s in SOURCES}
BY_ACTION: dict[str, KamisSource] = {a: s for s in SOURCES for a in s.actions}


def source(key: str | KamisSource) -> KamisSource:
    """Return the record of ``key`` (a record passes through); KeyError names the known ones."""
    if isinstance(key, KamisSource):
        return key
    if key not in BY_KEY:
        raise KeyError(f"unknown source {key!r}; known: {', '.join(BY_KEY)}")
    return BY_KEY[key]


def plan_chunk(
    key: str | KamisSource, start: date, end: date, returntype: str = "json"
) -> list[KamisRequest]:
    """Return the calls source ``key`` makes for one chunk ``start..end`` of a run."""
    return source(key).plan_chunk(start, end, returntype)


def chunks_for(key: str | KamisSource, start: date, end: date) -> list[tuple[date, date]]:
    """Return the chunks a run of source ``key`` over ``start..end`` processes."""
    return source(key).chunks(start, end)


@dataclass(frozen=True)
class PlanCount:
    """How many calls a source makes for one day's run."""

    source: str
    requests: int
    note: str


def requests_per_day() -> list[PlanCount]:
    """Count the calls of a one-day run, per source (the daily plan)."""
    day = date(2026, 6, 4)
    return [PlanCount(s.key, len(s.plan_chunk(day, day)), s.note()) for s in SOURCES]


def labels() -> dict[str, tuple[str, int]]:
    """Return ``mart_update_status.source_nm`` → (Korean name, days before a stale warning).

    Sources are named by their first action, the silver tables watched for them by table name
    ("<label> 표", same threshold).
    """
    out: dict[str, tuple[str, int]] = {}
    for s in SOURCES:
        out[s.name] = (s.label_ko, s.stale_after_days)
        for w in s.watch:
            out[w.table] = (f"{s.label_ko} 표", s.stale_after_days)
    return out


def max_lag_days() -> dict[str, int]:
    """Return ``source_nm`` → allowed lag of the ops freshness check, where it is not the default."""
    return {
        name: s.max_lag_days
        for s in SOURCES
        if s.max_lag_days is not None
        for name in (s.name, *(w.table for w in s.watch))
    }
