"""bench/report.py: the report of one bench run states each target's figure and whether it is met."""

from __future__ import annotations

from bench.report import render


def _run(day: str, wall: float, peak: float) -> dict:
    return {
        "day": day,
        "wall_s": wall,
        "layers_s": {"raw": 1.0, "silver": 2.0, "gold": wall - 3.0},
        "jobs_s": {"gold.a": wall - 3.0, "raw.b": 1.0},
        "memory": {"peak_rss_mb": peak, "java_mb": peak - 300.0, "python_mb": 300.0},
    }


def _doc() -> dict:
    stats = lambda xs: {"median": sorted(xs)[1], "min": min(xs), "max": max(xs)}  # noqa: E731
    tue = [_run("2026-12-01", w, p) for w, p in ((70.0, 1900.0), (50.0, 2100.0), (60.0, 2000.0))]
    return {
        "kind": "quick",
        "started": "2026-12-06T16:00:00",
        "machine": {"name": "t", "cpus": 2, "cpu": "x", "memory_gib": 24.0, "kernel": "6"},
        "versions": {"pyspark": "4.0.1"},
        "seconds": {"lake": 300.0},
        "results": {
            "lake": {
                "start": "2026-11-16",
                "end": "2026-11-29",
                "incremental": {
                    "publish": False,
                    "runs": tue,
                    "summary": {
                        "2026-12-01": {
                            "weekday": "Tue",
                            "repeats": 3,
                            "wall_s": stats([70.0, 50.0, 60.0]),
                            "peak_rss_mb": stats([1900.0, 2100.0, 2000.0]),
                            "layers_s": {"gold": 57.0, "raw": 1.0, "silver": 2.0},
                        }
                    },
                },
            },
            "queries": {
                "items": 6,
                "regions": 2,
                "repeats": 20,
                "queries": {
                    "duckdb 1y": {
                        "fast": {"p50_ms": 1.0, "p95_ms": 2.0, "rows": 3},
                        "slow": {"p50_ms": 40.0, "p95_ms": 61.5, "rows": 9},
                    }
                },
            },
        },
    }


def test_targets_show_the_medians_and_what_is_over() -> None:
    md = render(_doc())
    # median of 70, 50, 60 s is 60 s: met; median peak 2,000 MB ≤ 2,048: met
    assert "| daily run ≈ 1 min (Tue, history 2026-11-16..2026-11-29) | 60.0 s | met |" in md
    assert "| peak RSS ≤ 2 GiB (Tue) | 2,000 MB | met |" in md
    assert "| 2026-12-01 (Tue) | 3 | 60.0 s (50.0–70.0) | 1.0 / 2.0 / 57.0 s |" in md
    # the JVM / Python split is the median over the runs at their peaks: 1,700 / 300 MB
    assert "2,000 MB (1,900–2,100) | 1,700 / 300 MB |" in md
    assert (
        "| every query p95 ≤ 50 ms (duckdb 1y) | worst slow 61.5 ms; 1 of 2 over | not met |" in md
    )
    assert "| slow | 40.0 / 61.5 **over** |" in md and "| fast | 1.0 / 2.0 |" in md
    assert "`gold.a` 57.0, `raw.b` 1.0" in md


def test_trailing_forms_and_the_duckdb_reference_are_reported() -> None:
    doc = _doc()
    doc["results"]["trailing"] = {
        "series": 7500,
        "history_days": 364,
        "rows": 1987500,
        "window": ["2026-11-25", "2026-12-01"],
        "marts": {
            "mart_volatility": {
                "rows_published": 37500,
                "forms_equal": True,
                "seconds": {"pairs": [4.0, 3.0, 3.5], "window": [15.0, 14.0, 14.5]},
                "window_over_pairs": 4.1,
            }
        },
        "rebuild": {
            "mart": "mart_volatility",
            "rows": {"spark": 10, "duckdb": 10},
            "rows_differing": 0,
            "seconds": {"spark": [20.0, 18.0, 22.0], "duckdb": [2.0, 2.5, 1.5]},
            "spark_over_duckdb": 10.0,
        },
    }
    md = render(doc)
    # medians 14.5 s and 3.5 s, min–max from the repeats; 10× over 3× is 3.3× over
    assert (
        "| mart_volatility | 37,500 | yes | 14.50 s (14.00–15.00) | 3.50 s (3.00–4.00) | 4.1× |"
        in md
    )
    assert "Spark 20.00 s (18.00–22.00), DuckDB reference 2.00 s (1.50–2.50)" in md
    assert "Same output: yes (10 rows each, 0 differing)." in md
    assert (
        "| rebuild within 3× of a DuckDB reference (only `mart_volatility` has one) "
        "| Spark/DuckDB 10.0× at 7,500 series × 364 days | 3.3× over (one mart) |" in md
    )
