from __future__ import annotations

from datetime import date

import pytest

from spark_jobs import sources
from spark_jobs.kamis.scope import Scope

pytestmark = pytest.mark.unit
DAY = date(2026, 6, 4)


def test_default_scope_keeps_the_whole_plan():
    reqs = sources.plan_chunk(sources.DAILY_PRICE_BY_CATEGORY, DAY, DAY)
    assert Scope.from_settings(None).filter(reqs) == reqs
    assert len(reqs) == 186


def test_region_and_category_scope_on_the_category_plan():
    reqs = sources.plan_chunk(sources.DAILY_PRICE_BY_CATEGORY, DAY, DAY)
    scope = Scope.from_settings({"regions": "1101,2100", "categories": ["200"]})
    kept = scope.filter(reqs)
    # retail: national + 서울 + 부산; wholesale: national + 서울 + 부산 (both are wholesale regions)
    assert len(kept) == 6
    assert {r.params.get("p_country_code") for r in kept} == {None, "1101", "2100"}
    assert {r.params["p_item_category_code"] for r in kept} == {"200"}


def test_item_scope_on_the_period_plan():
    reqs = sources.plan_chunk(sources.PERIOD_RETAIL_PRODUCT, DAY, DAY)
    scope = Scope.from_settings({"regions": "1101", "items": "211,231"})
    kept = scope.filter(reqs)
    # the period calls carry no region (every city in one body), so a region scope keeps them all
    assert kept and {r.params["p_itemcode"] for r in kept} == {"211", "231"}
    assert not any("p_countrycode" in r.params for r in kept)
    assert kept == [r for r in reqs if r.params["p_itemcode"] in ("211", "231")]
