"""Real parameters for the dashboard's named queries, drawn from a published serving store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import product

from dashboard.db.duckdb_backend import DuckDBConnection
from dashboard.db.sqlbind import placeholders

REGIONS = ("1101", "2100", "0000")
ITEMS_SQL = """
SELECT DISTINCT item_cd, kind_cd, rank_cd FROM (
  SELECT item_cd, kind_cd, rank_cd FROM mart_price_trend WHERE country_cd = '1101'
  UNION ALL SELECT item_cd, kind_cd, rank_cd FROM mart_retail_price_latest
  UNION ALL SELECT item_cd, kind_cd, rank_cd FROM mart_retail_region_comparison
  UNION ALL SELECT item_cd, kind_cd, rank_cd FROM mart_eco_price_by_store_type
  UNION ALL SELECT item_cd, kind_cd, rank_cd FROM mart_season_region_product)
ORDER BY 1, 2, 3
"""


def candidates(duck: DuckDBConnection, start_dt: date) -> list[dict[str, object]]:
    """Return parameter sets from the data: regions × the marts' item keys × the baskets."""
    items = duck._query(ITEMS_SQL, None)
    baskets = duck._query("SELECT DISTINCT basket_cd FROM mart_basket_cost ORDER BY 1", None)
    return [
        {
            "country_cd": country,
            "item_cd": item.item_cd,
            "kind_cd": item.kind_cd,
            "rank_cd": item.rank_cd,
            "basket_cd": basket,
            "start_dt": start_dt,
        }
        for country, item, basket in product(
            REGIONS, items.itertuples(index=False), list(baskets["basket_cd"]) or ["weekly"]
        )
    ]


def choose_params(
    duck: DuckDBConnection, queries: Sequence[str], start_dt: date, tries: int = 40
) -> dict[str, dict[str, object]]:
    """Return, per named query, the first parameter set under which DuckDB returns rows.

    Candidates are tried in order (at most ``tries`` distinct sets per query); a query that
    returns nothing under all of them gets the first set.

    Args:
        duck: The DuckDB serving store the sets are tried on.
        queries: Named query names.
        start_dt: The value of ``:start_dt`` (the first day of the data).
    """
    sets = candidates(duck, start_dt)
    chosen: dict[str, dict[str, object]] = {}
    for name in queries:
        names = placeholders(duck.catalog.sql(name))
        seen: set[tuple[tuple[str, str], ...]] = set()
        first: dict[str, object] | None = None
        for cand in sets:
            params = {p: cand[p] for p in names}
            key = tuple(sorted((k, str(v)) for k, v in params.items()))
            if key in seen:
                continue
            seen.add(key)
            first = first if first is not None else params
            if len(duck.run(name, params)) > 0:
                first = params
                break
            if len(seen) >= tries:
                break
        chosen[name] = first or {}
    return chosen
