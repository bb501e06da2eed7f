-- The standard baskets priced on the latest day.
SELECT basket_cd, max(basket_nm) AS basket_nm, max(item_cnt) AS item_cnt, max(res_dt) AS res_dt
FROM mart_basket_cost
WHERE res_dt = (SELECT max(res_dt) FROM mart_basket_cost)
GROUP BY basket_cd
ORDER BY basket_cd
