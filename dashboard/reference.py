"""Reference files the dashboard reads, from one place: preset baskets and the region shapes.

They are the product's reference files (``spark_jobs/reference``, shared with the jobs that build
the marts from them). Components and renderers ask this module for their contents, never for a
path; each file is read once per process.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from itertools import pairwise
from typing import Any

from spark_jobs.paths import REFERENCE_DIR

BASKETS_CSV = REFERENCE_DIR / "baskets.csv"
RETAIL_REGIONS_GEOJSON = REFERENCE_DIR / "geo" / "retail_regions.json"
# what the maps draw: the shapes above simplified by `python -m dashboard.geo_simplify`
RETAIL_REGIONS_SIMPLIFIED = REFERENCE_DIR / "geo" / "retail_regions_simplified.json"


@lru_cache(maxsize=1)
def basket_lines() -> dict[str, list[dict[str, str]]]:
    """Return ``baskets.csv`` rows per ``basket_cd``, in file order (empty when the file is absent)."""
    if not BASKETS_CSV.is_file():
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    with BASKETS_CSV.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("basket_cd"):
                out.setdefault(row["basket_cd"], []).append(row)
    return out


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def split_islands(geometry: dict[str, Any]) -> dict[str, Any]:
    """Return a Polygon whose extra rings are islands as a MultiPolygon (holes stay holes).

    The source file stores islands (전라남도 has 36 rings) as further rings of one Polygon, which
    GeoJSON reads as holes, so deck.gl would cut them out. Rings wound like the largest ring are
    separate polygons; rings wound the other way are holes of the largest ring.
    """
    if geometry.get("type") != "Polygon" or len(geometry["coordinates"]) < 2:
        return geometry
    rings = geometry["coordinates"]
    areas = [_signed_area(r) for r in rings]
    main = max(range(len(rings)), key=lambda i: abs(areas[i]))
    outers = [i for i in range(len(rings)) if (areas[i] > 0) == (areas[main] > 0)]
    holes = [rings[i] for i in range(len(rings)) if i not in outers]
    polygons = [[rings[i], *(holes if i == main else [])] for i in outers]
    return {"type": "MultiPolygon", "coordinates": polygons}


@lru_cache(maxsize=1)
def region_geojson() -> dict[str, Any]:
    """Return the retail-region GeoJSON (32 features; ``CITY_AB_NM`` is the KAMIS city name).

    The shapes are the simplified ones (``dashboard.geo_simplify``: ~10× fewer vertices, the
    same at the maps' zoom). Islands are split out of their province's polygon on load
    (:func:`split_islands`). The object is shared: callers never change it.
    """
    data = json.loads(RETAIL_REGIONS_SIMPLIFIED.read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["geometry"] = split_islands(feature["geometry"])
    return data
