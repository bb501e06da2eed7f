"""Gold mart contracts (kamis_gold): grain, columns and formulas in one place.

The dashboard's dataset specs and SQL read these names; add columns freely, but renaming or
removing one means changing ``dashboard/sql`` and ``dashboard/datasets`` in the same change.
Regions: ``country_cd`` '0000' / ``country_nm`` '전국' is the national level.
Percentages (``_pct``) are in percent (12.5 means +12.5 %).
"""

from __future__ import annotations

from spark_jobs.registry import TableSpec

ITEM = "item_cd STRING NOT NULL, item_nm STRING, kind_cd STRING NOT NULL, kind_nm STRING, rank_cd STRING NOT NULL, rank_nm STRING, unit STRING"
CATEGORY = "category_cd STRING, category_nm STRING"
REGION = "country_cd STRING NOT NULL, country_nm STRING"
ITEM_KEY = ("item_cd", "kind_cd", "rank_cd")


def _mart(
    name: str,
    schema: str,
    description: str,
    grain: tuple[str, ...],
    date_column: str | None = "res_dt",
    **kw: object,
) -> TableSpec:
    return TableSpec(
        layer="gold",
        name=name,
        schema=schema,
        description=description,
        grain=grain,
        date_column=date_column,
        **kw,
    )  # type: ignore[arg-type]


_TOP3 = f"""
    res_dt DATE NOT NULL, {REGION}, rank_no INT NOT NULL, {CATEGORY}, {ITEM},
    price DOUBLE NOT NULL, prev_price DOUBLE NOT NULL, prev_dt DATE NOT NULL,
    change_pr DOUBLE NOT NULL, change_pct DOUBLE NOT NULL
"""

MART_PRICE_RISE_TOP3 = _mart(
    "mart_price_rise_top3",
    _TOP3,
    "per day and region, the 3 retail items whose price rose most (%) since the previous survey day",
    ("res_dt", "country_cd", "rank_no"),
    column_docs={
        "prev_dt": "the most recent earlier day with a price for the same item/kind/rank/region (not the calendar day before)",
        "change_pct": "(price - prev_price) / prev_price × 100, rounded to 1 decimal",
        "rank_no": "1..3, by change_pct descending, ties by item_cd",
    },
)
MART_PRICE_DROP_TOP3 = _mart(
    "mart_price_drop_top3",
    _TOP3,
    "per day and region, the 3 retail items whose price fell most (%) since the previous survey day",
    ("res_dt", "country_cd", "rank_no"),
)
MART_PRICE_REGION_COUNT = _mart(
    "mart_price_region_count",
    f"res_dt DATE NOT NULL, {REGION}, up_cnt INT NOT NULL, down_cnt INT NOT NULL, flat_cnt INT NOT NULL, total_cnt INT NOT NULL",
    "per day and region, how many retail items rose / fell / stayed flat since the previous survey day",
    ("res_dt", "country_cd"),
)
MART_UPDATE_STATUS = _mart(
    "mart_update_status",
    "source_nm STRING NOT NULL, table_nm STRING NOT NULL, latest_dt DATE, row_cnt BIGINT NOT NULL, region_cnt INT NOT NULL, lag_days INT, as_of_dt DATE NOT NULL, data_version STRING NOT NULL, updated_at TIMESTAMP NOT NULL, source_version STRING NOT NULL",
    "per source: latest date, rows, regions and lag in days (as_of_dt − latest_dt); data_version keys dashboard caches",
    ("source_nm",),
    date_column=None,
    column_docs={
        "source_nm": "KAMIS action for the five raw sources (dailyPriceByCategoryList …), the table name for silver tables",
        "latest_dt": "raw: latest req_dt of a successful call (outcome 'ok'); silver: latest res_dt (snapshot_dt for the region snapshot)",
        "row_cnt": "rows in the table (raw: API calls of any outcome)",
        "region_cnt": "distinct regions (raw: region parameter of the call, none = 0000; eco: country_nm); 0 for productInfo",
        "lag_days": "as_of_dt − latest_dt in days (null when the source has no data)",
        "as_of_dt": "the run date the lag is measured against",
        "source_version": "first 16 hex of sha256('source_nm|latest_dt|row_cnt')",
        "data_version": "first 16 hex of sha256 of every source's 'source_nm|latest_dt|row_cnt' sorted and joined by ';' (same on every row; changes when any source changes)",
    },
)
MART_SEASON_REGION_PRODUCT = _mart(
    "mart_season_region_product",
    f"""res_dt DATE NOT NULL, month INT NOT NULL, season_nm STRING NOT NULL, {REGION},
        latitude DOUBLE, longitude DOUBLE, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, price_1y DOUBLE, yoy_pct DOUBLE, national_rank INT NOT NULL, region_cnt INT NOT NULL""",
    "in-season items (dim_season for res_dt's month) per region with price, YoY % and national rank (1 = cheapest region)",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
)
MART_RETAIL_PRICE_LATEST = _mart(
    "mart_retail_price_latest",
    f"res_dt DATE NOT NULL, {REGION}, channel_cd STRING NOT NULL, channel_nm STRING NOT NULL, {CATEGORY}, {ITEM}, price DOUBLE NOT NULL, market_cnt INT NOT NULL",
    "per day, region and channel (large_retail / traditional), the mean market price of each item (baskets and channel cards)",
    ("res_dt", "country_cd", "channel_cd", "item_cd", "kind_cd", "rank_cd"),
)
MART_RETAIL_CHANNEL_COMPARISON = _mart(
    "mart_retail_channel_comparison",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        large_retail_price DOUBLE, large_retail_cnt INT NOT NULL, traditional_price DOUBLE, traditional_cnt INT NOT NULL,
        diff_pr DOUBLE, diff_pct DOUBLE, cheaper_channel_cd STRING, cheaper_channel_nm STRING""",
    "large retail (X-유통) vs traditional markets per day, region (0000 = all markets) and item: mean prices, market counts, gap",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "diff_pr": "large_retail_price − traditional_price",
        "diff_pct": "diff_pr / traditional_price × 100",
    },
)
MART_RETAIL_REGION_COMPARISON = _mart(
    "mart_retail_region_comparison",
    f"""res_dt DATE NOT NULL, {REGION}, latitude DOUBLE, longitude DOUBLE, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, market_cnt INT NOT NULL, national_avg_price DOUBLE NOT NULL, diff_pct DOUBLE NOT NULL, region_rank INT NOT NULL""",
    "per day and item, each region's mean market price against the national mean (region_rank 1 = cheapest)",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
)
MART_ECO_PRICE_BY_STORE_TYPE = _mart(
    "mart_eco_price_by_store_type",
    f"""week_start_dt DATE NOT NULL, {CATEGORY}, {ITEM}, store_type_nm STRING NOT NULL,
        avg_price DOUBLE NOT NULL, min_price DOUBLE NOT NULL, max_price DOUBLE NOT NULL, market_cnt INT NOT NULL,
        cheapest_store_type_nm STRING, gap_pct DOUBLE""",
    "eco prices per week, item/kind/grade and store type (대형마트, 백화점, SSM, 생협, 전문점 …); gap_pct vs the cheapest store type",
    ("week_start_dt", "item_cd", "kind_cd", "rank_cd", "store_type_nm"),
    date_column="week_start_dt",
)
MART_ECO_PREMIUM = _mart(
    "mart_eco_premium",
    f"""week_start_dt DATE NOT NULL, {REGION}, {CATEGORY}, item_cd STRING NOT NULL, item_nm STRING, kind_cd STRING NOT NULL, kind_nm STRING,
        eco_rank_cd STRING NOT NULL, eco_rank_nm STRING, base_unit STRING NOT NULL,
        eco_unit_price DOUBLE NOT NULL, conventional_unit_price DOUBLE NOT NULL, premium_pct DOUBLE NOT NULL,
        eco_obs_cnt INT NOT NULL, conventional_obs_cnt INT NOT NULL""",
    "eco vs conventional price of the same item/kind per region and week, both per base unit (1kg, 1개 …); premium_pct = eco/conv − 1",
    ("week_start_dt", "country_cd", "item_cd", "kind_cd", "eco_rank_cd"),
    date_column="week_start_dt",
)
MART_PRICE_NORMAL_BAND = _mart(
    "mart_price_normal_band",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE, normal_price DOUBLE, band_min DOUBLE, band_max DOUBLE, years_used INT NOT NULL,
        price_index DOUBLE, api_normal_price DOUBLE, normal_diff_pct DOUBLE""",
    "our own 평년 (mean of the same ±3-day period over the last 5 years without the highest and lowest year), band, price index",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "normal_price": "mean of the yearly means of the same period in the previous 5 years, highest and lowest year dropped (needs ≥ 3 years)",
        "band_min": "lowest yearly mean of those years",
        "band_max": "highest yearly mean of those years",
        "price_index": "price / normal_price × 100",
        "api_normal_price": "KAMIS dpr7 for the same row",
        "normal_diff_pct": "(normal_price − api_normal_price) / api_normal_price × 100",
    },
)
MART_PRICE_TREND = _mart(
    "mart_price_trend",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, ma7 DOUBLE, ma28 DOUBLE, price_1m DOUBLE, mom_pct DOUBLE, price_1y DOUBLE, yoy_pct DOUBLE, normal_price DOUBLE""",
    "daily retail series per item/kind/rank/region: 7- and 28-survey-day moving averages, MoM and YoY",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "ma7": "mean of price over the 7 calendar days ending res_dt (survey days only)",
        "ma28": "same over 28 days",
    },
)
MART_BUY_SIGNAL = _mart(
    "mart_buy_signal",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, percentile DOUBLE NOT NULL, price_index DOUBLE, trend_pct DOUBLE,
        signal_cd STRING NOT NULL, signal_nm STRING NOT NULL, reason_txt STRING NOT NULL""",
    "today's 싸요 / 보통 / 비싸요 per item and region, from its percentile in its own last-365-day history, its band and its trend",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    checks={
        "signal_known": "signal_cd IN ('cheap','normal','expensive')",
        "pct_range": "percentile BETWEEN 0 AND 100",
    },
)
MART_PRICE_ALERTS = _mart(
    "mart_price_alerts",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, baseline_price DOUBLE, z_score DOUBLE, alert_cd STRING NOT NULL, alert_nm STRING NOT NULL,
        severity INT NOT NULL, alert_txt STRING NOT NULL""",
    "unusual moves: outside the normal band or |z| ≥ 2.5 against the seasonal baseline; newest first",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd", "alert_cd"),
)
MART_BASKET_COST = _mart(
    "mart_basket_cost",
    f"""res_dt DATE NOT NULL, basket_cd STRING NOT NULL, basket_nm STRING NOT NULL, {REGION},
        channel_cd STRING NOT NULL, channel_nm STRING NOT NULL, total_cost DOUBLE NOT NULL,
        item_cnt INT NOT NULL, priced_item_cnt INT NOT NULL, cheapest_rank INT NOT NULL, is_cheapest BOOLEAN NOT NULL""",
    "cost of the standard baskets (reference/baskets.csv) per region and channel; complete baskets ranked, 1 = cheapest",
    ("res_dt", "basket_cd", "country_cd", "channel_cd"),
)
MART_VOLATILITY = _mart(
    "mart_volatility",
    f"res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM}, cv_4w_pct DOUBLE, cv_52w_pct DOUBLE, obs_4w INT NOT NULL, obs_52w INT NOT NULL",
    "per item and region as of res_dt: coefficient of variation (stddev / mean × 100) of daily prices over 4 and 52 weeks",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
)

TABLES: tuple[TableSpec, ...] = (
    MART_PRICE_RISE_TOP3,
    MART_PRICE_DROP_TOP3,
    MART_PRICE_REGION_COUNT,
    MART_UPDATE_STATUS,
    MART_SEASON_REGION_PRODUCT,
    MART_RETAIL_PRICE_LATEST,
    MART_RETAIL_CHANNEL_COMPARISON,
    MART_RETAIL_REGION_COMPARISON,
    MART_ECO_PRICE_BY_STORE_TYPE,
    MART_ECO_PREMIUM,
    MART_PRICE_NORMAL_BAND,
    MART_PRICE_TREND,
    MART_BUY_SIGNAL,
    MART_PRICE_ALERTS,
    MART_BASKET_COST,
    MART_VOLATILITY,
)
