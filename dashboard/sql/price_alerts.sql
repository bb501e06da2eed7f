-- Unusual price moves in the region, newest first, most severe first within a day.
SELECT res_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm,
       rank_cd, rank_nm, unit, price, baseline_price, z_score, alert_cd, alert_nm, severity, alert_txt
FROM mart_price_alerts
WHERE country_cd = :country_cd
ORDER BY res_dt DESC, severity DESC, item_cd, kind_cd, rank_cd
