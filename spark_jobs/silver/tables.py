"""Silver table contracts (kamis_silver)."""

from __future__ import annotations

from spark_jobs.kamis.codes import RETAIL, WHOLESALE
from spark_jobs.table_spec import TableSpec

ITEM_COLS = "item_cd STRING NOT NULL, item_nm STRING, kind_cd STRING NOT NULL, kind_nm STRING, rank_cd STRING NOT NULL, rank_nm STRING, unit STRING"
LINEAGE_COLS = "request_id STRING NOT NULL, fetched_at TIMESTAMP NOT NULL"
POSITIVE = "{c} IS NULL OR {c} > 0"


def _positive(*cols: str) -> dict[str, str]:
    return {f"{c}_positive": POSITIVE.format(c=c) for c in cols}


STG_DAILY_CATEGORY_PRICE = TableSpec(
    layer="silver",
    name="stg_daily_category_price",
    schema=f"""
        product_cls_cd STRING NOT NULL, category_cd STRING NOT NULL,
        country_cd STRING NOT NULL, country_nm STRING NOT NULL,
        {ITEM_COLS},
        price DOUBLE,
        price_1d DOUBLE, dt_1d DATE, price_1w DOUBLE, dt_1w DATE, price_2w DOUBLE, dt_2w DATE,
        price_1m DOUBLE, dt_1m DATE, price_1y DOUBLE, dt_1y DATE, price_normal DOUBLE,
        convert_kg_yn STRING,
        {LINEAGE_COLS},
        res_dt DATE NOT NULL
    """,
    description="dailyPriceByCategoryList: day × class × region × item/kind/rank with its reference prices",
    grain=("res_dt", "product_cls_cd", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    partition_by=("res_dt",),
    not_null=(
        "res_dt",
        "product_cls_cd",
        "category_cd",
        "country_cd",
        "item_cd",
        "kind_cd",
        "rank_cd",
    ),
    checks={
        **_positive(
            "price", "price_1d", "price_1w", "price_2w", "price_1m", "price_1y", "price_normal"
        ),
        "product_cls_known": f"product_cls_cd IN ('{RETAIL}', '{WHOLESALE}')",
        "category_known": "category_cd IN ('100','200','300','400','500','600')",
        "dates_before_res_dt": "(dt_1d IS NULL OR dt_1d < res_dt) AND (dt_1y IS NULL OR dt_1y < res_dt)",
    },
    date_column="res_dt",
    column_docs={
        "country_cd": "KAMIS region code; '0000' (전국) for the national average (no p_country_code)",
        "price": "dpr1, the price on res_dt in the survey unit (won); null when KAMIS shows '-'",
        "price_1d": "dpr2: calendar day before (null after weekends/holidays)",
        "price_1w": "dpr3: one week before",
        "price_2w": "dpr4: two weeks before",
        "price_1m": "dpr5: one month before",
        "price_1y": "dpr6: one year before",
        "price_normal": "dpr7: KAMIS 평년 (mean of the same day over 5 years without max and min)",
    },
)

STG_DAILY_REGION_SNAPSHOT = TableSpec(
    layer="silver",
    name="stg_daily_region_snapshot",
    schema=f"""
        snapshot_dt DATE NOT NULL, country_cd STRING NOT NULL, country_nm STRING,
        product_cls_cd STRING NOT NULL, category_cd STRING, category_nm STRING,
        productno STRING NOT NULL, product_nm STRING, item_nm STRING, unit STRING,
        price DOUBLE, price_1d DOUBLE, price_1m DOUBLE, price_1y DOUBLE,
        direction_cd STRING, change_pct DOUBLE,
        {LINEAGE_COLS},
        collected_dt DATE NOT NULL
    """,
    description="dailyCountyList: the latest survey day's top-grade prices per region, as collected",
    grain=("collected_dt", "country_cd", "product_cls_cd", "productno"),
    partition_by=("collected_dt",),
    not_null=("snapshot_dt", "collected_dt", "country_cd", "product_cls_cd", "productno"),
    checks={
        **_positive("price", "price_1d", "price_1m", "price_1y"),
        "direction_known": "direction_cd IS NULL OR direction_cd IN ('0','1','2')",
    },
    date_column="collected_dt",
)

STG_DAILY_MARKET_PRICE = TableSpec(
    layer="silver",
    name="stg_daily_market_price",
    schema=f"""
        country_cd STRING NOT NULL, country_nm STRING NOT NULL, market_nm STRING NOT NULL,
        category_cd STRING,
        {ITEM_COLS},
        price DOUBLE NOT NULL,
        {LINEAGE_COLS},
        res_dt DATE NOT NULL
    """,
    description="periodRetailProductList market rows: day × region × market × item/kind/rank (priced rows only)",
    grain=("res_dt", "country_cd", "market_nm", "item_cd", "kind_cd", "rank_cd"),
    partition_by=("res_dt",),
    not_null=(
        "res_dt",
        "country_cd",
        "country_nm",
        "market_nm",
        "item_cd",
        "kind_cd",
        "rank_cd",
        "price",
    ),
    checks={"price_positive": "price > 0"},
    date_column="res_dt",
)

STG_DAILY_MARKET_AVG = TableSpec(
    layer="silver",
    name="stg_daily_market_avg",
    schema=f"""
        country_cd STRING NOT NULL,
        category_cd STRING,
        {ITEM_COLS},
        avg_price DOUBLE, normal_price DOUBLE,
        {LINEAGE_COLS},
        res_dt DATE NOT NULL
    """,
    description=(
        "periodRetailProductList 평균 / 평년 rows, kept apart from market rows: day × averaged region"
        " × item/kind/rank (the plan asks every city at once: 0000 전국)"
    ),
    grain=("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    partition_by=("res_dt",),
    not_null=("res_dt", "country_cd", "item_cd", "kind_cd", "rank_cd"),
    checks=_positive("avg_price", "normal_price"),
    date_column="res_dt",
    column_docs={
        "avg_price": "평균: rounded mean of that day's market prices (of every city for 0000)",
        "normal_price": "평년 row",
    },
)

STG_WEEKLY_ECO_PRICE = TableSpec(
    layer="silver",
    name="stg_weekly_eco_price",
    schema=f"""
        week_start_dt DATE NOT NULL,
        country_cd STRING, country_nm STRING NOT NULL, market_nm STRING NOT NULL,
        store_type_nm STRING NOT NULL, store_brand_cd STRING,
        category_cd STRING,
        {ITEM_COLS},
        price DOUBLE NOT NULL,
        {LINEAGE_COLS},
        res_dt DATE NOT NULL
    """,
    description="EcoPriceList / periodEcoPriceList: survey day × city × eco store × item/kind/grade",
    grain=("res_dt", "country_nm", "market_nm", "item_cd", "kind_cd", "rank_cd"),
    partition_by=("res_dt",),
    not_null=(
        "res_dt",
        "week_start_dt",
        "country_nm",
        "market_nm",
        "store_type_nm",
        "item_cd",
        "kind_cd",
        "rank_cd",
        "price",
    ),
    checks={"price_positive": "price > 0", "week_start_monday": "dayofweek(week_start_dt) = 2"},
    date_column="res_dt",
    column_docs={
        "store_type_nm": "marketname after the dash: 'A-대형마트' → 대형마트",
        "store_brand_cd": "the letter before the dash",
    },
)

DIM_ITEM = TableSpec(
    layer="silver",
    name="dim_item",
    schema="""
        category_cd STRING NOT NULL, category_nm STRING NOT NULL,
        item_cd STRING NOT NULL, item_nm STRING NOT NULL,
        kind_cd STRING NOT NULL, kind_nm STRING NOT NULL,
        rank_cd STRING NOT NULL, rank_nm STRING,
        retail_unit STRING, retail_unitsize STRING, wholesale_unit STRING, wholesale_unitsize STRING,
        eco_unit STRING, eco_unitsize STRING,
        is_retail BOOLEAN NOT NULL, is_wholesale BOOLEAN NOT NULL, is_eco BOOLEAN NOT NULL,
        is_livestock BOOLEAN NOT NULL
    """,
    description="item / kind / rank code table (productInfo + livestock codes), one row per (item, kind, rank)",
    grain=("item_cd", "kind_cd", "rank_cd"),
    not_null=("category_cd", "item_cd", "kind_cd", "rank_cd"),
)

DIM_REGION = TableSpec(
    layer="silver",
    name="dim_region",
    schema="""
        country_cd STRING NOT NULL, country_nm STRING NOT NULL,
        is_retail BOOLEAN NOT NULL, is_wholesale BOOLEAN NOT NULL,
        latitude DOUBLE, longitude DOUBLE
    """,
    description="24 retail and 5 wholesale regions (plus 0000 전국) with coordinates",
    grain=("country_cd",),
    not_null=("country_cd", "country_nm"),
    checks={
        "lat_range": "latitude IS NULL OR latitude BETWEEN 33 AND 39",
        "lon_range": "longitude IS NULL OR longitude BETWEEN 124 AND 132",
    },
)

DIM_MARKET = TableSpec(
    layer="silver",
    name="dim_market",
    schema="""
        country_cd STRING, country_nm STRING NOT NULL, market_nm STRING NOT NULL,
        channel_cd STRING NOT NULL, channel_nm STRING NOT NULL, store_type_nm STRING
    """,
    description="market → channel: large_retail (X-유통, 대형마트) / traditional (named market) / eco store types",
    grain=("country_nm", "market_nm"),
    not_null=("country_nm", "market_nm", "channel_cd", "channel_nm"),
    checks={"channel_known": "channel_cd IN ('large_retail', 'traditional', 'eco_store')"},
)

DIM_SEASON = TableSpec(
    layer="silver",
    name="dim_season",
    schema="""
        item_cd STRING, item_nm STRING NOT NULL, kind_cd STRING, kind_nm STRING,
        category_nm STRING, month INT NOT NULL, season_nm STRING NOT NULL
    """,
    description="in-season calendar: item/kind × month (seasonal_info.csv), codes resolved against dim_item",
    grain=("item_nm", "kind_nm", "month"),
    not_null=("item_nm", "month", "season_nm"),
    checks={
        "month_range": "month BETWEEN 1 AND 12",
        "season_known": "season_nm IN ('봄','여름','가을','겨울')",
    },
)

STG_QUARANTINE = TableSpec(
    layer="silver",
    name="stg_quarantine",
    schema="""
        target_table STRING NOT NULL, action STRING, request_id STRING,
        reason STRING NOT NULL, detail STRING, payload STRING,
        detected_at TIMESTAMP NOT NULL,
        req_dt DATE NOT NULL
    """,
    description="rows or bodies that failed parsing or a check: source, reason, and a reference to the raw row",
    grain=(),
    partition_by=("req_dt",),
    not_null=("target_table", "reason", "detected_at", "req_dt"),
    date_column="req_dt",
    column_docs={
        "request_id": "kamis_raw.<action table>.request_id of the body",
        "payload": "the offending row (JSON) or the body's first 2,000 bytes",
    },
)

TABLES: tuple[TableSpec, ...] = (
    STG_DAILY_CATEGORY_PRICE,
    STG_DAILY_REGION_SNAPSHOT,
    STG_DAILY_MARKET_PRICE,
    STG_DAILY_MARKET_AVG,
    STG_WEEKLY_ECO_PRICE,
    DIM_ITEM,
    DIM_REGION,
    DIM_MARKET,
    DIM_SEASON,
    STG_QUARANTINE,
)
