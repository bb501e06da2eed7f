"""reference/substitute_groups.json: every code is a real KAMIS retail item/kind, groups are sane."""

from __future__ import annotations

import csv
import json

import pytest

from spark_jobs.gold.mart_substitutes import GROUPS_JSON, read_groups
from spark_jobs.paths import REFERENCE_DIR

pytestmark = pytest.mark.unit

SEEN = REFERENCE_DIR / "codes" / "item_kind_rank_seen_in_real_dailyPriceByCategoryList_retail.csv"


def _seen() -> list[dict[str, str]]:
    with SEEN.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_every_code_is_a_real_retail_item_and_kind() -> None:
    rows = _seen()
    items = {r["item_code"]: r["item_name"] for r in rows}
    kinds = {(r["item_code"], r["kind_code"]) for r in rows}
    doc = json.loads(GROUPS_JSON.read_text(encoding="utf-8"))
    for group in doc["groups"]:
        for m in group["members"]:
            assert m["item_cd"] in items, (group["group_cd"], m)
            assert items[m["item_cd"]] == m["item_nm"], (group["group_cd"], m)
            if m["kind_cd"] is not None:
                assert (m["item_cd"], m["kind_cd"]) in kinds, (group["group_cd"], m)


def test_groups_have_two_members_or_more_and_unique_codes() -> None:
    members = read_groups()
    by_group: dict[str, list[tuple]] = {}
    for m in members:
        by_group.setdefault(m["group_cd"], []).append((m["item_cd"], m["kind_cd"]))
    assert len(by_group) >= 5
    for group, codes in by_group.items():
        assert len(codes) >= 2, group
        assert len(set(codes)) == len(codes), group
    # 배추 ↔ 양배추 / 얼갈이, 돼지고기 부위끼리, 사과 ↔ 배 (the examples)
    assert {("211", None), ("212", None), ("215", None)} <= set(by_group["kimchi_cabbage"])
    assert {("4304", "25"), ("4304", "27"), ("4304", "68")} <= set(by_group["pork_cuts"])
    assert {("411", None), ("412", None)} <= set(by_group["table_fruit"])
