-- One item's backtest in one region (mart_forecast_backtest, newest as-of day): the model's MAPE and
-- 80 % interval coverage per horizon beside the last-value and last-year baselines.
SELECT as_of_dt, country_cd, country_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm,
       horizon_weeks, model_nm, origin_cnt, model_mape_pct, coverage_pct, naive_mape_pct,
       seasonal_mape_pct, seasonal_origin_cnt, usable
FROM mart_forecast_backtest
WHERE item_cd = :item_cd AND kind_cd = :kind_cd AND rank_cd = :rank_cd AND country_cd = :country_cd
  AND as_of_dt = (SELECT max(as_of_dt) FROM mart_forecast_backtest)
ORDER BY horizon_weeks
