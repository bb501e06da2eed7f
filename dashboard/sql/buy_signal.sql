-- Today's 싸요 / 보통 / 비싸요 per item in the region, cheapest signals first.
SELECT res_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm,
       rank_cd, rank_nm, unit, price, percentile, price_index, trend_pct, signal_cd, signal_nm, reason_txt
FROM mart_buy_signal
WHERE country_cd = :country_cd
  AND res_dt = (SELECT max(res_dt) FROM mart_buy_signal WHERE country_cd = :country_cd)
ORDER BY CASE signal_cd WHEN 'cheap' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, percentile, item_cd, kind_cd, rank_cd
