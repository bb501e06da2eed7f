-- Freshness per source.
SELECT source_nm, table_nm, latest_dt, row_cnt, region_cnt, lag_days, as_of_dt, data_version, updated_at
FROM mart_update_status
ORDER BY source_nm, table_nm
