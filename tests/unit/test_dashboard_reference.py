"""The dashboard's reference files: read by dashboard/reference.py and nowhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.components.basket import _content_text
from dashboard.reference import basket_lines, region_geojson

pytestmark = pytest.mark.unit

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_basket_lines_are_the_csv_rows_per_basket_in_file_order() -> None:
    lines = basket_lines()
    # spark_jobs/reference/baskets.csv: 9 lines of family4_weekly, then 8 of kimjang
    assert list(lines) == ["family4_weekly", "kimjang"]
    assert [len(rows) for rows in lines.values()] == [9, 8]
    rice = lines["family4_weekly"][0]
    assert (rice["item_cd"], rice["kind_cd"], rice["qty"], rice["item_nm"]) == (
        "111",
        "01",
        "0.25",
        "쌀",
    )
    # 파 twice in the kimjang basket: 쪽파 then 대파, told apart by their kind
    assert [_content_text(r) for r in lines["kimjang"][2:4]] == ["파(쪽파) ×1", "파(대파) ×1"]


def test_region_shapes_name_every_kamis_city_once() -> None:
    names = [f["properties"]["CITY_AB_NM"] for f in region_geojson()["features"]]
    assert len(names) == 32 and len(set(names)) == 32
    assert {"서울", "부산", "전라남도"} <= set(names)


def test_only_the_reference_module_knows_where_reference_files_live() -> None:
    readers = sorted(
        str(path.relative_to(DASHBOARD))
        for path in DASHBOARD.rglob("*.py")
        if "REFERENCE_DIR" in path.read_text(encoding="utf-8")
    )
    assert readers == ["reference.py"]
