"""The simplified region shapes: Douglas–Peucker by hand, rings kept whole, the committed file."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from dashboard.geo_simplify import (
    importance,
    simplified_text,
    simplify_geometry,
    simplify_ring,
    vertex_count,
)
from dashboard.reference import (
    RETAIL_REGIONS_GEOJSON,
    RETAIL_REGIONS_SIMPLIFIED,
    region_geojson,
    split_islands,
)

pytestmark = pytest.mark.unit


def test_a_collinear_point_is_dropped_and_a_corner_is_kept() -> None:
    # (1, 0) lies on the edge (0, 0)–(2, 0); every other point is a corner of the 2 × 2 square
    ring = [[0, 0], [1, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert simplify_ring(ring, tolerance=0.1) == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    # a bump of 0.05 on that edge stays under tolerance 0.1 and goes; at 0.01 it stays
    bumped = [[0, 0], [1, 0.05], [2, 0], [2, 2], [0, 2], [0, 0]]
    assert [1, 0.05] not in simplify_ring(bumped, tolerance=0.1)
    assert simplify_ring(bumped, tolerance=0.01) == bumped


def test_weights_are_distances_from_the_chord_capped_by_the_parent() -> None:
    # closed ring: (2, 2) is farthest from the start (√8); then each half splits at its corner
    ring = [[0, 0], [1, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    w = importance(ring)
    assert w[0] == w[-1] == float("inf")
    assert w[3] == pytest.approx(8**0.5)
    assert w[2] == pytest.approx(2**0.5) and w[4] == pytest.approx(2**0.5)  # √2 from the diagonal
    assert w[1] == 0.0  # on the chord (0, 0)–(2, 0)


def test_a_ring_never_drops_below_four_points_and_keeps_its_winding() -> None:
    # a thin counter-clockwise island: at tolerance 10 Douglas–Peucker alone would keep 3 points
    island = [[0, 0], [0.5, 0.01], [1, 0], [1, 0.02], [0.5, 0.03], [0, 0.02], [0, 0]]
    out = simplify_ring(island, tolerance=10)
    assert len(out) == 4 and out[0] == out[-1]
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(out))
    assert area > 0  # still counter-clockwise, like the input


def test_coordinates_are_rounded_to_four_decimals_and_a_flattened_ring_is_kept_as_is() -> None:
    square = [[0.123456, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.123456, 0.0]]
    assert simplify_ring(square)[0] == [0.1235, 0.0]
    speck = [[0.0, 0.0], [0.00001, 0.0], [0.00001, 0.00001], [0.0, 0.00001], [0.0, 0.0]]
    assert simplify_ring(speck) == speck  # rounding would make it a point: a hole must stay a hole


def test_polygons_keep_their_rings_and_other_geometries_pass() -> None:
    square = [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]
    hole = [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1], [0.5, 0.5]]
    poly = simplify_geometry({"type": "Polygon", "coordinates": [square, hole]})
    assert poly == {"type": "Polygon", "coordinates": [square, hole]}
    point = {"type": "Point", "coordinates": [1, 2]}
    assert simplify_geometry(point) is point


def test_the_committed_file_is_what_the_script_makes_of_the_source() -> None:
    assert RETAIL_REGIONS_SIMPLIFIED.read_text(encoding="utf-8") == simplified_text(), (
        "run `python -m dashboard.geo_simplify` after changing the source shapes"
    )


def test_every_region_survives_with_its_properties_islands_and_holes() -> None:
    source = json.loads(RETAIL_REGIONS_GEOJSON.read_text(encoding="utf-8"))
    maps = region_geojson()
    assert [f["properties"] for f in maps["features"]] == [
        f["properties"] for f in source["features"]
    ]
    assert len({f["properties"]["CITY_AB_NM"] for f in maps["features"]}) == 32

    def shape(geometry: dict) -> list[int]:  # rings per polygon after the islands are split out
        g = split_islands(geometry)
        return [len(p) for p in g["coordinates"]] if g["type"] == "MultiPolygon" else [1]

    assert [shape(f["geometry"]) for f in maps["features"]] == [
        shape(f["geometry"]) for f in source["features"]
    ]
    gyeonggi = next(f for f in maps["features"] if f["properties"]["CITY_AB_NM"] == "경기도")
    assert [len(p) for p in gyeonggi["geometry"]["coordinates"]] == [2]  # its hole stays a hole


def test_the_maps_carry_a_fraction_of_the_source() -> None:
    source = json.loads(RETAIL_REGIONS_GEOJSON.read_text(encoding="utf-8"))
    # measured 2026-12-06: 12,044 → 3,239 vertices, 1,157,808 → 68,118 bytes
    assert vertex_count(region_geojson()) < vertex_count(source) / 3
    assert RETAIL_REGIONS_SIMPLIFIED.stat().st_size < 100_000
