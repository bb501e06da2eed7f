-- One item's usable forecast in one region (mart_price_forecast, newest as-of day): the expected
-- weekly price 1, 2 and 4 weeks ahead with its 80 % interval and backtest error. Forecasts that
-- did not beat the baselines (usable = false) are never returned.
SELECT as_of_dt, country_cd, country_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm, unit,
       horizon_weeks, last_week_start_dt, last_price, target_week_start_dt, forecast_price,
       lo_80_price, hi_80_price, change_pct, backtest_mape_pct, backtest_coverage_pct, model_nm
FROM mart_price_forecast
WHERE item_cd = :item_cd AND kind_cd = :kind_cd AND rank_cd = :rank_cd AND country_cd = :country_cd
  AND usable
  AND as_of_dt = (SELECT max(as_of_dt) FROM mart_price_forecast)
ORDER BY horizon_weeks
