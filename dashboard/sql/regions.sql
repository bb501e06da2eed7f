-- Regions that have today's data (for the region pickers); '0000' 전국 sorts first.
SELECT country_cd, max(country_nm) AS country_nm
FROM (
    SELECT country_cd, country_nm FROM mart_price_region_count
    UNION ALL
    SELECT country_cd, country_nm FROM mart_buy_signal
) r
GROUP BY country_cd
ORDER BY country_cd
