-- Regions that have data on the latest day (for the region pickers); '0000' 전국 sorts first.
-- Only the newest date of each mart is read, so the cost does not grow with history.
SELECT country_cd, max(country_nm) AS country_nm
FROM (
    SELECT country_cd, country_nm FROM mart_price_region_count
    WHERE res_dt = (SELECT max(res_dt) FROM mart_price_region_count)
    UNION ALL
    SELECT country_cd, country_nm FROM mart_buy_signal
    WHERE res_dt = (SELECT max(res_dt) FROM mart_buy_signal)
) r
GROUP BY country_cd
ORDER BY country_cd
