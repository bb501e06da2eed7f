-- Every region and item code the serving store knows: the app refuses any other code it is given
-- (URL query parameters, remembered filter values) before it reaches a query.
-- Cached per publish by the app, like every named query.
SELECT 'region' AS kind, country_cd AS code FROM mart_price_region_count
UNION SELECT 'region', country_cd FROM mart_price_trend
UNION SELECT 'region', country_cd FROM mart_buy_signal
UNION SELECT 'region', country_cd FROM mart_season_region_product
UNION SELECT 'region', country_cd FROM mart_retail_price_latest
UNION SELECT 'region', country_cd FROM mart_retail_region_comparison
UNION SELECT 'region', country_cd FROM mart_eco_premium
UNION SELECT 'item', item_cd FROM mart_price_trend
UNION SELECT 'item', item_cd FROM mart_season_region_product
UNION SELECT 'item', item_cd FROM mart_retail_price_latest
UNION SELECT 'item', item_cd FROM mart_retail_region_comparison
UNION SELECT 'item', item_cd FROM mart_eco_price_by_store_type
UNION SELECT 'item', item_cd FROM mart_eco_premium
