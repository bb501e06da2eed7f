"""An optional narrowing of the request plan: some regions, categories or items only.

The daily pipeline requests everything; a scope serves quick demos, tests and partial backfills.
It is set in the profile (``kamis.scope.regions`` …) or per run (``--opt kamis.scope.items=211,231``).
National requests (no region parameter) are always kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spark_jobs.kamis.requests import KamisRequest

REGION_PARAMS = ("p_country_code", "p_countycode", "p_countrycode")
CATEGORY_PARAMS = ("p_item_category_code", "p_itemcategorycode")
ITEM_PARAMS = ("p_itemcode",)


def _codes(value: Any) -> frozenset[str] | None:
    if value is None or value == "" or value == []:
        return None
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return frozenset(str(v).strip() for v in items if str(v).strip())


@dataclass(frozen=True)
class Scope:
    """Which regions, categories and items to request (None = all)."""

    regions: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    items: frozenset[str] | None = None

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> Scope:
        """Build a scope from ``{"regions": "1101,2100", "items": [...], ...}``."""
        settings = settings or {}
        return cls(
            _codes(settings.get("regions")),
            _codes(settings.get("categories")),
            _codes(settings.get("items")),
        )

    @property
    def is_all(self) -> bool:
        """Return True when nothing is narrowed."""
        return self.regions is None and self.categories is None and self.items is None

    def accepts(self, req: KamisRequest) -> bool:
        """Return True when ``req`` falls inside the scope."""
        p = req.params
        checks = (
            (self.regions, REGION_PARAMS),
            (self.categories, CATEGORY_PARAMS),
            (self.items, ITEM_PARAMS),
        )
        for allowed, names in checks:
            if allowed is None:
                continue
            value = next((p[n] for n in names if p.get(n)), None)
            if value is not None and value not in allowed:
                return False
        return True

    def filter(self, requests: Iterable[KamisRequest]) -> list[KamisRequest]:
        """Return the requests inside the scope."""
        return list(requests) if self.is_all else [r for r in requests if self.accepts(r)]
