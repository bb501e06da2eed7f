"""The normalised row contract per KAMIS action family: the keys ``parsing.parse_body`` rows carry.

The silver parse step turns these into columns (prices as doubles, everything else as strings);
the source registry names the family each source's bodies parse into.
"""

from __future__ import annotations

# Normalised-row columns per action family (the parser's row contract); the rest are strings.
CATEGORY_FIELDS = (
    "product_cls_cd", "category_cd", "country_cd", "country_nm", "item_cd", "item_nm",
    "kind_cd", "kind_nm", "rank_cd", "rank_nm", "unit", "res_dt", "price",
    "price_1d", "dt_1d", "price_1w", "dt_1w", "price_2w", "dt_2w", "price_1m", "dt_1m",
    "price_1y", "dt_1y", "price_normal", "convert_kg_yn",
)  # fmt: skip
PERIOD_FIELDS = (
    "row_type", "country_cd", "country_nm", "market_nm", "category_cd", "item_cd", "item_nm",
    "kind_cd", "kind_nm", "rank_cd", "rank_nm", "unit", "res_dt", "price",
)  # fmt: skip
ECO_FIELDS = (
    "row_type", "country_cd", "country_nm", "market_nm", "store_type_nm", "store_brand_cd",
    "category_cd", "item_cd", "item_nm", "kind_cd", "kind_nm", "rank_cd", "rank_nm", "unit",
    "res_dt", "price",
)  # fmt: skip
COUNTY_FIELDS = (
    "snapshot_dt", "country_cd", "country_nm", "product_cls_cd", "category_cd", "category_nm",
    "productno", "product_nm", "item_nm", "unit", "price", "price_1d", "price_1m", "price_1y",
    "direction_cd", "change_pct",
)  # fmt: skip
PRODUCT_INFO_FIELDS = (
    "category_cd", "category_nm", "item_cd", "item_nm", "kind_cd", "kind_nm",
    "wholesale_unit", "wholesale_unitsize", "retail_unit", "retail_unitsize", "eco_unit",
    "eco_unitsize", "whole_rank_cds", "retail_rank_cds", "eco_rank_cds",
)  # fmt: skip
DOUBLE_FIELDS = frozenset(
    {
        "price",
        "price_1d",
        "price_1w",
        "price_2w",
        "price_1m",
        "price_1y",
        "price_normal",
        "change_pct",
    }
)
