-- Reliability probe: one statement reads two marts and the publish id, so a mixed state shows.
SELECT u.source_nm, u.data_version, u.row_cnt,
       (SELECT count(*) FROM mart_price_region_count) AS region_rows,
       (SELECT max(publish_id) FROM serving_meta) AS publish_id
FROM mart_update_status u
ORDER BY u.source_nm
