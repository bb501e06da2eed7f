-- known_codes on the DuckDB / PostgreSQL serving stores: the rows of ../known_codes.sql, which
-- reads the whole history of seven marts, computed once per publish from the marts just
-- published (spark_jobs/serving/derived.py) instead of per app start.
SELECT kind, code
FROM serving_known_codes
ORDER BY kind, code
