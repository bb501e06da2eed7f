"""The region shapes the maps draw, simplified once: Douglas–Peucker per ring, rounded coordinates.

The source GeoJSON (``retail_regions.json``) has about 13,000 vertices; the maps open at zoom 6.2,
where a pixel is 360° / (256 · 2^6.2) ≈ 0.019° of longitude, so a vertex within
``TOLERANCE_DEG`` (≈ 0.1 px there, ≈ 0.4 px at zoom 8) of the simplified outline changes
nothing one can see. Coordinates keep ``DIGITS`` decimals (≈ 10 m). Every ring survives with at
least 4 points (3 corners and the closing one) and its winding, so ``split_islands`` still tells
islands from holes. Regenerate the committed file after changing the source::

    python -m dashboard.geo_simplify

A unit test checks that the committed file is what this module makes of the source.
"""

from __future__ import annotations

import json
import math
from itertools import pairwise
from typing import Any

from dashboard.reference import RETAIL_REGIONS_GEOJSON, RETAIL_REGIONS_SIMPLIFIED

TOLERANCE_DEG = 0.002
DIGITS = 4
MIN_RING_POINTS = 4

Point = list[float]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    """Return the distance from ``p`` to the segment ``a``–``b`` (to ``a`` when they coincide)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = (
        0.0
        if length2 == 0
        else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    )
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def importance(points: list[Point]) -> list[float]:
    """Return each point's Douglas–Peucker weight: kept at tolerance ``tol`` iff weight > ``tol``.

    The ends weigh infinity. A point's weight is its distance from the chord it splits, capped
    by the weight of the point that opened that chord, so thresholding gives Douglas–Peucker.
    """
    n = len(points)
    weights = [math.inf] * n
    stack = [(0, n - 1, math.inf)]
    while stack:
        first, last, cap = stack.pop()
        if last - first < 2:
            continue
        far, far_d = first + 1, -1.0
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > far_d:
                far, far_d = i, d
        weights[far] = min(far_d, cap)
        stack.append((first, far, weights[far]))
        stack.append((far, last, weights[far]))
    return weights


def _signed_area(ring: list[Point]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def _rounded(points: list[Point], digits: int) -> list[Point]:
    """Round coordinates and drop a point equal to the one before it (the ring stays closed)."""
    out: list[Point] = []
    for x, y in points:
        p = [round(x, digits), round(y, digits)]
        if not out or p != out[-1]:
            out.append(p)
    return out


def simplify_ring(
    ring: list[Point], tolerance: float = TOLERANCE_DEG, digits: int = DIGITS
) -> list[Point]:
    """Return a closed ring simplified to ``tolerance`` and rounded, with ≥ 4 points, same winding.

    When the simplified ring would be shorter or wound the other way (a sliver island), the
    next weightiest points are put back until it is not; a ring that rounding flattens even with
    every point kept (전라북도 has a hole of ~10 m²) is returned as it is.
    """
    sign = math.copysign(1.0, _signed_area(ring))

    def usable(out: list[Point]) -> bool:
        area = _signed_area(out)
        return len(out) >= MIN_RING_POINTS and area != 0 and math.copysign(1.0, area) == sign

    if len(ring) > MIN_RING_POINTS:
        weights = importance(ring)
        inner = sorted(range(1, len(ring) - 1), key=lambda i: -weights[i])
        keep = max(sum(weights[i] > tolerance for i in inner), MIN_RING_POINTS - 2)
        for k in range(keep, len(inner)):
            out = _rounded([ring[i] for i in sorted([0, len(ring) - 1, *inner[:k]])], digits)
            if usable(out):
                return out
    out = _rounded(ring, digits)
    return out if usable(out) else ring


def simplify_geometry(
    geometry: dict[str, Any], tolerance: float = TOLERANCE_DEG, digits: int = DIGITS
) -> dict[str, Any]:
    """Return a Polygon / MultiPolygon with every ring simplified (other types unchanged)."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        coords = [simplify_ring(r, tolerance, digits) for r in coords]
    elif kind == "MultiPolygon":
        coords = [[simplify_ring(r, tolerance, digits) for r in poly] for poly in coords]
    else:
        return geometry
    return {"type": kind, "coordinates": coords}


def simplify_collection(
    data: dict[str, Any], tolerance: float = TOLERANCE_DEG, digits: int = DIGITS
) -> dict[str, Any]:
    """Return the FeatureCollection with simplified geometries and the same features and properties."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": dict(f["properties"]),
                "geometry": simplify_geometry(f["geometry"], tolerance, digits),
            }
            for f in data["features"]
        ],
    }


def to_text(data: dict[str, Any]) -> str:
    """Return compact GeoJSON text with one feature per line (readable diffs, small file)."""
    features = ",\n".join(
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in data["features"]
    )
    return f'{{"type":"FeatureCollection","features":[\n{features}\n]}}\n'


def vertex_count(data: dict[str, Any]) -> int:
    """Return the number of coordinate pairs over every ring of every feature."""

    def rings(g: dict[str, Any]) -> list[list[Point]]:
        if g["type"] == "Polygon":
            return g["coordinates"]
        return [r for poly in g["coordinates"] for r in poly]

    return sum(len(r) for f in data["features"] for r in rings(f["geometry"]))


def simplified_text() -> str:
    """Return what ``python -m dashboard.geo_simplify`` writes, from the source file."""
    source = json.loads(RETAIL_REGIONS_GEOJSON.read_text(encoding="utf-8"))
    return to_text(simplify_collection(source))


def main() -> None:
    """Write the simplified region shapes next to the source and say how much smaller they are."""
    source = json.loads(RETAIL_REGIONS_GEOJSON.read_text(encoding="utf-8"))
    text = simplified_text()
    RETAIL_REGIONS_SIMPLIFIED.write_text(text, encoding="utf-8")
    print(
        f"{RETAIL_REGIONS_SIMPLIFIED.name}: {vertex_count(source):,} → "
        f"{vertex_count(json.loads(text)):,} vertices, "
        f"{RETAIL_REGIONS_GEOJSON.stat().st_size:,} → {len(text.encode()):,} bytes "
        f"(tolerance {TOLERANCE_DEG}°, {DIGITS} decimals)"
    )


if __name__ == "__main__":
    main()
