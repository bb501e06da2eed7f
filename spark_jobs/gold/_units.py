"""Survey units ('4kg', '500g', '10개', '1포기' …) as a quantity in a base unit, for per-unit prices."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import Column

# number, optional blanks, unit word; e.g. "500g", "1.5 kg", "10개"
_UNIT_RE = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([^0-9\s()]+)\s*$"
# the unit KAMIS appends to kind names: "봄(1포기)", "시금치(100g)"
_KIND_UNIT_RE = r"\(([0-9]+(?:\.[0-9]+)?\s*[^0-9\s()]+)\)\s*$"
# small units folded into a base unit: word → (base, factor)
_SCALED = {"g": ("kg", 0.001), "kg": ("kg", 1.0), "ml": ("L", 0.001), "l": ("L", 1.0)}


def unit_text(unit: str = "unit", kind_nm: str = "kind_nm") -> Column:
    """Return the unit string, falling back to the '(…)' suffix of the kind name when unit is null."""
    from pyspark.sql import functions as F

    from_kind = F.regexp_extract(F.col(kind_nm), _KIND_UNIT_RE, 1)
    return F.coalesce(F.nullif(F.trim(F.col(unit)), F.lit("")), F.nullif(from_kind, F.lit("")))


def base_unit(text: Column) -> Column:
    """Return the base unit of a unit string: g/kg → 'kg', ml/L → 'L', else the word ('개', '포기' …)."""
    from pyspark.sql import functions as F

    word = F.lower(F.regexp_extract(text, _UNIT_RE, 2))
    out = F.when(word == "", F.lit(None).cast("string"))
    for w, (base, _) in _SCALED.items():
        out = out.when(word == w, F.lit(base))
    return out.otherwise(word)


def base_qty(text: Column) -> Column:
    """Return how many base units a unit string holds ('500g' → 0.5, '4kg' → 4, '10개' → 10)."""
    from pyspark.sql import functions as F

    number = F.regexp_extract(text, _UNIT_RE, 1)
    word = F.lower(F.regexp_extract(text, _UNIT_RE, 2))
    qty = F.when(number != "", number.cast("double"))
    factor = F.lit(1.0)
    for w, (_, f) in _SCALED.items():
        factor = F.when(word == w, F.lit(f)).otherwise(factor)
    out = qty * factor
    return F.when(out > 0, out)
