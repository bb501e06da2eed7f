"""Gold mart contracts (kamis_gold): grain, columns and formulas in one place.

The dashboard's dataset specs and SQL read these names; add columns freely, but renaming or
removing one means changing ``dashboard/sql`` and ``dashboard/datasets`` in the same change.
Regions: ``country_cd`` '0000' / ``country_nm`` '전국' is the national level.
Percentages (``_pct``) are in percent (12.5 means +12.5 %).
A price series compared over time is region × item/kind/rank × unit: after a survey-unit change
(1kg → 500g) history of the old unit is not used (marts built from a series say so in their docs).
"""

from __future__ import annotations

from spark_jobs.table_spec import TableSpec

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

_TOP3_DOCS = {
    "country_cd": "every region of stg_daily_category_price retail (product_cls_cd '01'), 0000 = national average included",
    "price": "retail price on res_dt (dpr1)",
    "prev_price": "price on prev_dt",
    "prev_dt": "the most recent earlier day with a price for the same item/kind/rank/region and unit (not the calendar day before; a unit change has no base), at most 14 days back",
    "change_pr": "price − prev_price",
    "change_pct": "(price - prev_price) / prev_price × 100, rounded to 1 decimal",
}

MART_PRICE_RISE_TOP3 = _mart(
    "mart_price_rise_top3",
    _TOP3,
    "per day and region, the 3 retail items whose price rose most (%) since the previous survey day",
    ("res_dt", "country_cd", "rank_no"),
    column_docs={
        **_TOP3_DOCS,
        "rank_no": "1..3 among rises (change_pr > 0), by change_pct descending, ties by item_cd, kind_cd, rank_cd",
    },
)
MART_PRICE_DROP_TOP3 = _mart(
    "mart_price_drop_top3",
    _TOP3,
    "per day and region, the 3 retail items whose price fell most (%) since the previous survey day",
    ("res_dt", "country_cd", "rank_no"),
    column_docs={
        **_TOP3_DOCS,
        "rank_no": "1..3 among falls (change_pr < 0), by change_pct ascending (biggest fall first), ties by item_cd, kind_cd, rank_cd",
    },
)
MART_PRICE_REGION_COUNT = _mart(
    "mart_price_region_count",
    f"res_dt DATE NOT NULL, {REGION}, up_cnt INT NOT NULL, down_cnt INT NOT NULL, flat_cnt INT NOT NULL, total_cnt INT NOT NULL",
    "per day and region, how many retail items rose / fell / stayed flat since the previous survey day",
    ("res_dt", "country_cd"),
    column_docs={
        "country_cd": "every region of stg_daily_category_price retail (product_cls_cd '01'), 0000 = national average included",
        "up_cnt": "item/kind/ranks with price > prev_price (prev = the previous survey day with a price, ≤ 14 days back)",
        "down_cnt": "item/kind/ranks with price < prev_price",
        "flat_cnt": "item/kind/ranks with price = prev_price exactly",
        "total_cnt": "up_cnt + down_cnt + flat_cnt (items priced on res_dt and on a previous survey day)",
    },
)
MART_UPDATE_STATUS = _mart(
    "mart_update_status",
    "source_nm STRING NOT NULL, table_nm STRING NOT NULL, latest_dt DATE, row_cnt BIGINT NOT NULL, region_cnt INT NOT NULL, lag_days INT, as_of_dt DATE NOT NULL, data_version STRING NOT NULL, updated_at TIMESTAMP NOT NULL, source_version STRING NOT NULL",
    "per source: latest date, rows, regions and lag in days (as_of_dt − latest_dt); data_version keys dashboard caches",
    ("source_nm",),
    date_column=None,
    column_docs={
        "source_nm": "KAMIS action for the five raw sources (dailyPriceByCategoryList …), the table name for silver tables",
        "latest_dt": "raw: latest req_dt of a successful call (outcome 'ok'); silver: latest res_dt (snapshot_dt for the region snapshot); for stg_daily_category_price and stg_daily_region_snapshot the latest date with a price",
        "row_cnt": "rows in the table (raw: API calls of any outcome; stg_daily_category_price and stg_daily_region_snapshot: priced rows only)",
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
    column_docs={
        "month": "month of res_dt; the row's item is in dim_season for that month (same item_cd, and kind_cd unless dim_season leaves it empty)",
        "season_nm": "봄 3-5, 여름 6-8, 가을 9-11, 겨울 12-2 (dim_season)",
        "country_cd": "regions only (0000 national average left out); coordinates from dim_region",
        "price": "retail price on res_dt (stg_daily_category_price, product_cls_cd '01')",
        "price_1y": "KAMIS dpr6 (one year before)",
        "yoy_pct": "(price − price_1y) / price_1y × 100, 1 decimal",
        "national_rank": "rank() of price ascending among regions priced that day (1 = cheapest, ties share)",
        "region_cnt": "regions with a price for the item/kind/rank that day",
    },
)
MART_RETAIL_PRICE_LATEST = _mart(
    "mart_retail_price_latest",
    f"res_dt DATE NOT NULL, {REGION}, channel_cd STRING NOT NULL, channel_nm STRING NOT NULL, {CATEGORY}, {ITEM}, price DOUBLE NOT NULL, market_cnt INT NOT NULL",
    "per day, region and channel (large_retail / traditional), the mean market price of each item (baskets and channel cards)",
    ("res_dt", "country_cd", "channel_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "country_cd": "market region; markets are stg_daily_market_price rows joined to dim_market (large_retail / traditional only)",
        "channel_cd": "dim_market.channel_cd: large_retail (X-유통) or traditional (named market)",
        "price": "mean of the day's market prices of that channel in the region",
        "market_cnt": "markets averaged",
    },
)
MART_RETAIL_CHANNEL_COMPARISON = _mart(
    "mart_retail_channel_comparison",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        large_retail_price DOUBLE, large_retail_cnt INT NOT NULL, traditional_price DOUBLE, traditional_cnt INT NOT NULL,
        diff_pr DOUBLE, diff_pct DOUBLE, cheaper_channel_cd STRING, cheaper_channel_nm STRING""",
    "large retail (X-유통) vs traditional markets per day, region (0000 = nationally, from within-region gaps) and item: mean prices, market counts, gap",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "country_cd": "market region; 0000 / 전국 = the regions that have both channels that day (no 0000 row when none has)",
        "large_retail_price": "region: mean of the day's large-retail (X-유통) market prices, null when none; 0000: Σ w·region price / Σ w over the regions with both channels, w = large_retail_cnt + traditional_cnt of the region",
        "large_retail_cnt": "large-retail markets averaged (0 when none; 0000: in the regions with both channels)",
        "traditional_price": "region: mean of the day's traditional-market prices, null when none; 0000: weighted like large_retail_price (same regions, same weights)",
        "traditional_cnt": "traditional markets averaged (0 when none; 0000: in the regions with both channels)",
        "diff_pr": "large_retail_price − traditional_price (0000: = the market-weighted mean of the regions' own gaps)",
        "diff_pct": "diff_pr / traditional_price × 100, 1 decimal",
        "cheaper_channel_cd": "the channel with the lower mean price; null on a tie or when one side is missing",
    },
)
MART_RETAIL_REGION_COMPARISON = _mart(
    "mart_retail_region_comparison",
    f"""res_dt DATE NOT NULL, {REGION}, latitude DOUBLE, longitude DOUBLE, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, market_cnt INT NOT NULL, national_avg_price DOUBLE NOT NULL, diff_pct DOUBLE NOT NULL, region_rank INT NOT NULL""",
    "per day and item, each region's mean market price against the national mean (region_rank 1 = cheapest)",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "country_cd": "market region; markets are stg_daily_market_price rows joined to dim_market (large_retail / traditional only)",
        "price": "mean of the day's market prices in the region (both channels)",
        "market_cnt": "markets averaged",
        "national_avg_price": "mean of the day's market prices nationwide (every market, both channels)",
        "diff_pct": "(price − national_avg_price) / national_avg_price × 100, 1 decimal",
        "region_rank": "rank() of price ascending among regions that day (1 = cheapest, ties share)",
    },
)
MART_ECO_PRICE_BY_STORE_TYPE = _mart(
    "mart_eco_price_by_store_type",
    f"""week_start_dt DATE NOT NULL, {CATEGORY}, {ITEM}, store_type_nm STRING NOT NULL,
        avg_price DOUBLE NOT NULL, min_price DOUBLE NOT NULL, max_price DOUBLE NOT NULL, market_cnt INT NOT NULL,
        cheapest_store_type_nm STRING, gap_pct DOUBLE""",
    "eco prices per week, item/kind/grade and store type (대형마트, 백화점, SSM, 생협, 전문점 …); gap_pct vs the cheapest store type",
    ("week_start_dt", "item_cd", "kind_cd", "rank_cd", "store_type_nm"),
    date_column="week_start_dt",
    column_docs={
        "week_start_dt": "Monday of the survey week (stg_weekly_eco_price)",
        "avg_price": "mean over stores of each store's mean price that week (stores of every city)",
        "min_price": "lowest store mean that week",
        "max_price": "highest store mean that week",
        "market_cnt": "stores (city × market) of that type with a price",
        "cheapest_store_type_nm": (
            "store type with the lowest within-city index for the item/kind/grade that week: in each city with ≥ 2 types, "
            "type city price (mean of its stores) / mean of the city's type prices, averaged over cities weighted by the "
            "type's stores there; types never compared inside a city come after, by avg_price; ties by name"
        ),
        "gap_pct": (
            "Σ w·(type city price / cheapest type city price − 1) / Σ w × 100 over the cities holding both types, "
            "w = stores of both there; 1 decimal; 0 for the cheapest, null when they share no city"
        ),
    },
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
    column_docs={
        "week_start_dt": "Monday of the week; conventional prices are the same Monday–Sunday",
        "country_cd": "eco row's region (resolved from country_nm via dim_region when the code is missing)",
        "eco_rank_cd": "eco grade (07/08) of the eco prices",
        "base_unit": "unit both prices are per: kg (g and kg units), L (ml and L), else the count word (개, 포기 …); only equal base units are compared",
        "eco_unit_price": "mean over the week's eco rows in the region of price / quantity in base units (e.g. 2,500 per 500g → 5,000 per kg), summed exactly and rounded to 0.01 won",
        "conventional_unit_price": "mean over the week's stg_daily_market_price rows in the region for the same item/kind of price / quantity, grade 04 (상품) only (no row when the week has no 상품 price), summed exactly and rounded to 0.01 won",
        "premium_pct": "(eco_unit_price / conventional_unit_price − 1) × 100, 1 decimal",
        "eco_obs_cnt": "eco rows averaged",
        "conventional_obs_cnt": "market rows averaged",
    },
)
MART_PRICE_NORMAL_BAND = _mart(
    "mart_price_normal_band",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE, normal_price DOUBLE, band_min DOUBLE, band_max DOUBLE, years_used INT NOT NULL,
        years_priced INT NOT NULL, obs_used INT NOT NULL, price_index DOUBLE, api_normal_price DOUBLE, normal_diff_pct DOUBLE""",
    "our own 평년 (mean of the same ±3-day period over the last 5 years without the highest and lowest year), band, price index",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "normal_price": (
            "평년: for each of the 5 years before res_dt, the yearly mean = mean price of the survey days "
            "(rows with a price) in res_dt−3..res_dt+3 shifted to that year (add_months, 29 Feb → 28 Feb), "
            "counted only when the period holds ≥ 3 prices; "
            "normal_price = (sum − highest − lowest) / (years_used − 2) of those yearly means; "
            "null when years_used < 3; 1 dp"
        ),
        "band_min": "lowest yearly mean of those years (null when normal_price is null); 1 dp",
        "band_max": "highest yearly mean of those years (null when normal_price is null); 1 dp",
        "years_used": "how many of the 5 earlier years had ≥ 3 prices in their ±3-day period (0..5); the band votes in mart_buy_signal only from 3 on",
        "years_priced": "how many of the 5 earlier years (prices in the row's unit only) had at least one price in their ±3-day period (0..5; years_priced − years_used were too thin to count)",
        "obs_used": "prices behind normal_price: Σ prices of the years counted in years_used",
        "price_index": "price / normal_price × 100, 1 dp (100 = 평년; null without a price or a 평년)",
        "api_normal_price": "KAMIS dpr7 (price_normal) of the same row",
        "normal_diff_pct": "(normal_price − api_normal_price) / api_normal_price × 100, 1 dp",
    },
)
MART_PRICE_TREND = _mart(
    "mart_price_trend",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, ma7 DOUBLE, ma28 DOUBLE, price_1m DOUBLE, mom_pct DOUBLE, price_1y DOUBLE, yoy_pct DOUBLE, normal_price DOUBLE""",
    "daily retail series per item/kind/rank/region: 7- and 28-calendar-day moving averages over survey days, MoM and YoY",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "ma7": "mean of price over the 7 calendar days ending res_dt (survey days with a price in the same unit only); null with fewer than 3 prices; 1 dp",
        "ma28": "same over the 28 calendar days ending res_dt; null with fewer than 12 prices",
        "price_1m": "KAMIS dpr5 of the row (one month before), not our own history",
        "mom_pct": "(price − price_1m) / price_1m × 100, 1 dp",
        "price_1y": "KAMIS dpr6 of the row (one year before)",
        "yoy_pct": "(price − price_1y) / price_1y × 100, 1 dp",
        "normal_price": "KAMIS 평년 (dpr7) of the row; our own 평년 is mart_price_normal_band.normal_price",
    },
)
MART_BUY_SIGNAL = _mart(
    "mart_buy_signal",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, percentile DOUBLE NOT NULL, price_index DOUBLE, trend_pct DOUBLE,
        signal_cd STRING NOT NULL, signal_nm STRING NOT NULL, reason_txt STRING NOT NULL,
        obs_365 INT NOT NULL""",
    "today's 싸요 / 보통 / 비싸요 per item and region, from its percentile in its own last-365-day history, its band and its trend",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    checks={
        "signal_known": "signal_cd IN ('cheap','normal','expensive')",
        "pct_range": "percentile BETWEEN 0 AND 100",
    },
    column_docs={
        "percentile": (
            "mid-rank of price among the prices of the 365 calendar days ending res_dt (today included): "
            "(lower + (equal − 1) / 2) / (obs_365 − 1) × 100, 1 dp; 0 = cheapest, 100 = dearest, 50 when obs_365 = 1"
        ),
        "obs_365": "prices behind percentile (same region, item/kind/rank and unit: a unit change starts afresh); with fewer than 20 the percentile does not vote",
        "price_index": "mart_price_normal_band.price_index (price / our 평년 × 100) of the same row, only when its years_used ≥ 3 (else null: the band does not vote)",
        "trend_pct": "(price − 28-day moving average) / 28-day moving average × 100, 1 dp (null with fewer than 12 prices in 28 days)",
        "signal_cd": (
            "votes: cheap = percentile ≤ 25 (with ≥ 20 prices) or price_index ≤ 90; expensive = percentile ≥ 75 "
            "(with ≥ 20 prices) or price_index ≥ 110; cheap / expensive when only that side votes, normal when "
            "neither or both do; trend_pct only appears in reason_txt (constants in gold/mart_buy_signal.py)"
        ),
        "signal_nm": "싸요 / 보통 / 비싸요",
        "reason_txt": (
            "one Korean line, e.g. '지난 1년 중 하위 12% 가격, 평년보다 18% 저렴, 최근 4주 평균보다 8% 낮음'; "
            "'지난 1년' only when the oldest price in the 365 days is ≥ 358 days back, else '지난 N일' (N = days from it to res_dt, "
            "today included), likewise '최근 4주' (≥ 21 days) or '최근 N일'; percentages below 1 keep one decimal ('0.4%')"
        ),
    },
)
MART_PRICE_ALERTS = _mart(
    "mart_price_alerts",
    f"""res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, baseline_price DOUBLE, z_score DOUBLE, alert_cd STRING NOT NULL, alert_nm STRING NOT NULL,
        severity INT NOT NULL, alert_txt STRING NOT NULL,
        baseline_cd STRING, baseline_obs INT NOT NULL, band_min DOUBLE, band_max DOUBLE""",
    "unusual moves: outside the normal band or |z| ≥ 2.5 against the seasonal baseline; newest first",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd", "alert_cd"),
    checks={
        "alert_known": "alert_cd IN ('above_band','below_band','spike','plunge')",
        "severity_range": "severity BETWEEN 1 AND 3",
    },
    column_docs={
        "alert_cd": "above_band: price > band_max; below_band: price < band_min; spike: z_score ≥ 2.5; plunge: z_score ≤ −2.5 (one row each)",
        "alert_nm": "평년 범위 초과 / 평년 범위 미만 / 급등 / 급락",
        "baseline_cd": (
            "seasonal: the prices of res_dt ± 15 days in each of the 5 earlier years, pooled (needs ≥ 10 prices); "
            "recent: otherwise the prices of the 56 days before res_dt (needs ≥ 10); null: no baseline. "
            "alert_txt names the recent baseline '최근 8주' only when its oldest price is ≥ 49 days back, else '최근 N일' (N = days back to it)"
        ),
        "baseline_price": "mean of the baseline prices, 1 dp",
        "baseline_obs": "prices in the baseline, same unit as the row (0 without one)",
        "z_score": "(price − baseline mean) / max(baseline sample stddev, 3 % of the baseline mean), 2 dp (the floor keeps a flat history from hiding a jump); null without a baseline",
        "severity": "band: 1 when outside by < 10 %, 2 by < 25 %, 3 beyond; z: 1 when |z| < 3.5, 2 when < 4.5, 3 beyond",
        "alert_txt": "one Korean sentence; the % outside the band is whole from 1 % on and keeps one decimal below ('0.4%')",
        "band_min": "mart_price_normal_band.band_min of the row",
        "band_max": "mart_price_normal_band.band_max of the row",
    },
)
MART_BASKET_COST = _mart(
    "mart_basket_cost",
    f"""res_dt DATE NOT NULL, basket_cd STRING NOT NULL, basket_nm STRING NOT NULL, {REGION},
        channel_cd STRING NOT NULL, channel_nm STRING NOT NULL, total_cost DOUBLE NOT NULL,
        item_cnt INT NOT NULL, priced_item_cnt INT NOT NULL, cheapest_rank INT NOT NULL, is_cheapest BOOLEAN NOT NULL,
        is_complete BOOLEAN NOT NULL, substituted_item_cnt INT NOT NULL, missing_txt STRING, substitute_txt STRING""",
    "cost of the standard baskets (reference/baskets.csv) per region and channel; complete baskets ranked, 1 = cheapest",
    ("res_dt", "basket_cd", "country_cd", "channel_cd"),
    column_docs={
        "total_cost": "Σ qty × price over the basket's lines priced that day; price = mean market price of the item/kind/rank in the region and channel (mart_retail_price_latest.price)",
        "item_cnt": "lines in the basket (reference/baskets.csv)",
        "priced_item_cnt": "lines with a price that day in this region and channel, own kind or an alternate (cells with 0 are left out)",
        "substituted_item_cnt": "priced lines whose own kind had no price, priced with the first alternate kind (baskets.csv alternates) that had one",
        "missing_txt": "the unpriced lines, 'item_nm kind_nm' from baskets.csv in file order, ', '-joined; null when complete",
        "substitute_txt": "the substituted lines as 'item_nm kind_nm→used kind_nm' (배추 가을→봄), file order, ', '-joined; null when none",
        "is_complete": "priced_item_cnt = item_cnt",
        "cheapest_rank": "rank() by total_cost ascending among complete baskets of the same day and basket (ties share); 0 = incomplete, not ranked",
        "is_cheapest": "cheapest_rank = 1",
    },
)
MART_VOLATILITY = _mart(
    "mart_volatility",
    f"res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM}, cv_4w_pct DOUBLE, cv_52w_pct DOUBLE, obs_4w INT NOT NULL, obs_52w INT NOT NULL",
    "per item and region as of res_dt: coefficient of variation (stddev / mean × 100) of daily prices over 4 and 52 weeks",
    ("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    column_docs={
        "cv_4w_pct": "stddev_samp / mean × 100 of the prices of the 28 calendar days ending res_dt, 1 dp; null below 2 prices",
        "cv_52w_pct": "same over the 364 calendar days ending res_dt",
        "obs_4w": "prices (survey days with a price in the same unit) behind cv_4w_pct",
        "obs_52w": "prices behind cv_52w_pct",
    },
)

_FORECAST_HOW = (
    "weekly series: mean retail price (stg_daily_category_price, product_cls_cd '01') of the survey days of each "
    "Monday–Sunday week up to as_of_dt, per region × item/kind/rank × unit; weeks without a price inside the history "
    "are interpolated, a gap of more than 4 weeks starts the history afresh"
)
MART_FORECAST_BACKTEST = _mart(
    "mart_forecast_backtest",
    f"""as_of_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM}, horizon_weeks INT NOT NULL,
        model_nm STRING NOT NULL, weeks_used INT NOT NULL, origin_cnt INT NOT NULL,
        model_mape_pct DOUBLE NOT NULL, coverage_pct DOUBLE NOT NULL, naive_mape_pct DOUBLE NOT NULL,
        seasonal_mape_pct DOUBLE, seasonal_origin_cnt INT NOT NULL, model_seasonal_mape_pct DOUBLE,
        usable BOOLEAN NOT NULL, error_q80_pct DOUBLE, calibrated_coverage_pct DOUBLE""",
    "rolling-origin backtest of the weekly price forecast over the last 52 weeks per series and horizon, beside the last value and last year's same week; usable = the model beats both",
    ("as_of_dt", "country_cd", "item_cd", "kind_cd", "rank_cd", "horizon_weeks"),
    date_column="as_of_dt",
    checks={
        "horizon_known": "horizon_weeks IN (1, 2, 4)",
        "coverage_range": "coverage_pct BETWEEN 0 AND 100",
    },
    column_docs={
        "as_of_dt": "the run's last day (window end): rows exist only for that day; scored on the first run of each "
        "Monday–Sunday week (and on a full refresh), carried unchanged to that week's later days; "
        + _FORECAST_HOW,
        "horizon_weeks": "1, 2 or 4 weeks after the origin week",
        "model_nm": "model on the full history (gold/_forecast.py): 'MSTL(52)+AutoETS' from 108 weeks on, else 'AutoETS' (statsforecast 2.1, no season)",
        "weeks_used": "weeks of the series (interpolated ones included) the forecast fits on",
        "origin_cnt": "origins scored: every 2nd week of the last 52 weeks (with ≥ 26 weeks before it, the model refitted on the history up to it) whose target week had a real price",
        "model_mape_pct": "mean |actual − forecast| / actual × 100 over the scored origins, 2 dp",
        "coverage_pct": "share of scored targets inside the model's own 80 % interval × 100, 2 dp (80 is right)",
        "error_q80_pct": "80th percentile ('higher') of |actual − forecast| / forecast × 100 over the scored origins, 2 dp: mart_price_forecast widens its interval to at least ± this",
        "calibrated_coverage_pct": "out-of-sample coverage of the widened interval × 100, 2 dp: at each origin widened by the quantile of the earlier origins whose target was known then (≥ 6 of them); null when no origin had 6",
        "naive_mape_pct": "MAPE of the last value (the origin week's price) on the same origins, 2 dp",
        "seasonal_mape_pct": "MAPE of last year's same week × (mean of the last 4 weeks / the same 4 weeks a year earlier), on the origins with 55 weeks of history before them; null when none",
        "seasonal_origin_cnt": "origins where the seasonal baseline exists",
        "model_seasonal_mape_pct": "the model's MAPE on those same origins (the fair comparison)",
        "usable": "origin_cnt ≥ 6, model_mape_pct < 0.95 × naive_mape_pct and, when seasonal_origin_cnt ≥ 6, model_seasonal_mape_pct < 0.95 × seasonal_mape_pct",
    },
)
MART_PRICE_FORECAST = _mart(
    "mart_price_forecast",
    f"""as_of_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM}, horizon_weeks INT NOT NULL,
        last_week_start_dt DATE NOT NULL, last_price DOUBLE NOT NULL, target_week_start_dt DATE NOT NULL,
        forecast_price DOUBLE NOT NULL, lo_80_price DOUBLE NOT NULL, hi_80_price DOUBLE NOT NULL,
        change_pct DOUBLE NOT NULL, model_nm STRING NOT NULL, weeks_used INT NOT NULL,
        usable BOOLEAN NOT NULL, backtest_mape_pct DOUBLE, backtest_coverage_pct DOUBLE""",
    "expected weekly retail price 1, 2 and 4 weeks ahead with an 80 % interval per item and region (statsforecast per series); usable = it beat both baselines in mart_forecast_backtest",
    ("as_of_dt", "country_cd", "item_cd", "kind_cd", "rank_cd", "horizon_weeks"),
    date_column="as_of_dt",
    checks={
        "horizon_known": "horizon_weeks IN (1, 2, 4)",
        "interval_order": "lo_80_price <= forecast_price AND forecast_price <= hi_80_price",
    },
    column_docs={
        "as_of_dt": "the run's last day (window end): rows exist only for that day; series with ≥ 26 weeks and a price in the as-of week or the 2 before; "
        + _FORECAST_HOW,
        "last_week_start_dt": "Monday of the last week with a price (the week of as_of_dt may be partial)",
        "last_price": "mean price of that week, 1 dp",
        "target_week_start_dt": "last_week_start_dt + 7 × horizon_weeks days",
        "forecast_price": "the model's mean forecast of the target week's mean price, 1 dp",
        "lo_80_price": "lower end of the 80 % prediction interval, floored at 0, 1 dp: the model's, lowered to forecast_price × (1 − mart_forecast_backtest.error_q80_pct / 100) when that is lower",
        "hi_80_price": "upper end of the 80 % prediction interval, 1 dp: the model's, raised to forecast_price × (1 + error_q80_pct / 100) when that is higher",
        "change_pct": "(forecast_price − last_price) / last_price × 100, 1 dp",
        "model_nm": "see mart_forecast_backtest.model_nm",
        "usable": "mart_forecast_backtest.usable of the same series, as_of_dt and horizon (false without a backtest row); the dashboard shows only usable forecasts",
        "backtest_mape_pct": "mart_forecast_backtest.model_mape_pct of the same series and horizon",
        "backtest_coverage_pct": "coverage of the interval as shown: mart_forecast_backtest.calibrated_coverage_pct of the same series and horizon (its coverage_pct when that is null)",
    },
)
MART_BUY_TIMING = _mart(
    "mart_buy_timing",
    f"""as_of_dt DATE NOT NULL, res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM},
        price DOUBLE NOT NULL, signal_cd STRING NOT NULL, signal_nm STRING NOT NULL,
        timing_cd STRING NOT NULL, timing_nm STRING NOT NULL, horizon_weeks INT,
        expected_price DOUBLE, expected_change_pct DOUBLE, lo_change_pct DOUBLE, hi_change_pct DOUBLE,
        backtest_mape_pct DOUBLE, reason_txt STRING NOT NULL""",
    "today's 지금 사세요 / 기다려 보세요 / 보통 per item and region, from the buy signal and the usable forecast (expected change and its 80 % interval)",
    ("as_of_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    date_column="as_of_dt",
    checks={"timing_known": "timing_cd IN ('buy_now','wait','normal')"},
    column_docs={
        "as_of_dt": "the run's last day (window end): rows exist only for that day",
        "res_dt": "the series' latest mart_buy_signal day within the 7 days ending as_of_dt (produce is not surveyed on weekends)",
        "price": "mart_buy_signal.price on res_dt (today's price)",
        "signal_cd": "mart_buy_signal.signal_cd on res_dt",
        "timing_cd": (
            "wait: not cheap, and a usable forecast (1, 2 or 4 weeks) expects a fall of ≥ 5 % with the 80 % interval's upper end ≤ today's price; "
            "buy_now: no such fall, and either the signal is cheap or a usable forecast expects a rise of ≥ 5 % with the interval's lower end ≥ today's price; "
            "normal: otherwise (also every series without a usable forecast that is not cheap) — gold/mart_buy_timing.py"
        ),
        "timing_nm": "지금 사세요 / 기다려 보세요 / 보통",
        "horizon_weeks": "the forecast horizon the decision cites (largest expected fall for wait, largest rise for buy_now); null when none",
        "expected_price": "mart_price_forecast.forecast_price of that horizon",
        "expected_change_pct": "(expected_price − price) / price × 100, 1 dp",
        "lo_change_pct": "(lo_80_price − price) / price × 100, 1 dp",
        "hi_change_pct": "(hi_80_price − price) / price × 100, 1 dp",
        "backtest_mape_pct": "the cited horizon's backtest MAPE (mart_forecast_backtest.model_mape_pct), 1 dp",
        "reason_txt": "one Korean line, e.g. '2주 뒤 약 8% 내릴 것으로 보여요, 지난 1년 예측 오차 5%'; without a cited forecast the buy signal's own reason, prefixed by its 싸요 / 보통 / 비싸요",
    },
)
MART_SUBSTITUTES = _mart(
    "mart_substitutes",
    f"""as_of_dt DATE NOT NULL, res_dt DATE NOT NULL, {REGION}, {CATEGORY}, {ITEM}, price DOUBLE NOT NULL,
        group_cd STRING NOT NULL, group_nm STRING NOT NULL, base_unit STRING NOT NULL, unit_price DOUBLE NOT NULL,
        rank_no INT NOT NULL, sub_item_cd STRING NOT NULL, sub_item_nm STRING, sub_kind_cd STRING NOT NULL,
        sub_kind_nm STRING, sub_rank_cd STRING NOT NULL, sub_rank_nm STRING, sub_unit STRING,
        sub_price DOUBLE NOT NULL, sub_unit_price DOUBLE NOT NULL, sub_signal_cd STRING NOT NULL,
        sub_signal_nm STRING NOT NULL, saving_pct DOUBLE NOT NULL""",
    "for each item that is 비싸요 today in a region, up to 3 cheaper in-season items of the same use group (reference/substitute_groups.json) that are 싸요 or 보통 there, per common unit",
    ("as_of_dt", "country_cd", "item_cd", "kind_cd", "rank_cd", "rank_no"),
    date_column="as_of_dt",
    checks={
        "rank_range": "rank_no BETWEEN 1 AND 3",
        "cheaper": "sub_unit_price < unit_price",
        "sub_signal_ok": "sub_signal_cd IN ('cheap','normal')",
    },
    column_docs={
        "as_of_dt": "the run's last day (window end): rows exist only for that day",
        "res_dt": "the expensive series' latest mart_buy_signal day within the 7 days ending as_of_dt",
        "price": "its price that day (signal_cd expensive)",
        "group_cd": "use group of spark_jobs/reference/substitute_groups.json holding both items",
        "base_unit": "kg (g/kg units), L, or the count word (개, 포기 …): both prices are per one base unit; only equal base units are compared",
        "unit_price": "price / quantity of the unit in base units (e.g. 2,000 per 500g → 4,000 per kg), 1 dp",
        "rank_no": "1..3 by sub_unit_price ascending (ties by code)",
        "sub_item_cd": "substitute: another item of the group (or another kind of the same item where the group lists both kinds, e.g. 돼지고기 부위), priced in the same region within the same 7 days, 싸요 or 보통, in season in as_of_dt's month (dim_season; an item the calendar never lists is not seasonal and always counts as in season), and cheaper per base unit",
        "sub_price": "its price on its latest signal day",
        "sub_unit_price": "its price per base unit, 1 dp",
        "sub_signal_cd": "its signal_cd (cheap / normal)",
        "saving_pct": "(unit_price − sub_unit_price) / unit_price × 100, 1 dp",
    },
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
    MART_FORECAST_BACKTEST,
    MART_PRICE_FORECAST,
    MART_BUY_TIMING,
    MART_SUBSTITUTES,
)
