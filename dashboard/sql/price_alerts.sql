-- Unusual price moves in the region, newest first, most severe first within a day. The tab shows
-- the newest 20 (charts/today_alerts.yaml); 100 keep a margin without shipping years of alerts
-- (11,726 rows for one region at 5 years). alert_cd ends the ORDER BY so that every engine keeps
-- the same 100.
SELECT res_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm,
       rank_cd, rank_nm, unit, price, baseline_price, z_score, alert_cd, alert_nm, severity, alert_txt
FROM mart_price_alerts
WHERE country_cd = :country_cd
ORDER BY res_dt DESC, severity DESC, item_cd, kind_cd, rank_cd, alert_cd
LIMIT 100
