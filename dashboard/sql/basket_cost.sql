-- One standard basket's cost per region and channel on the latest day; complete baskets ranked first.
SELECT res_dt, basket_cd, basket_nm, country_cd, country_nm, channel_cd, channel_nm, total_cost, item_cnt,
       priced_item_cnt, cheapest_rank, is_cheapest
FROM mart_basket_cost
WHERE basket_cd = :basket_cd
  AND res_dt = (SELECT max(res_dt) FROM mart_basket_cost WHERE basket_cd = :basket_cd)
ORDER BY CASE WHEN priced_item_cnt = item_cnt THEN 0 ELSE 1 END, cheapest_rank, country_cd, channel_cd
