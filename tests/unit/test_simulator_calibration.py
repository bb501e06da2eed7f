"""The simulator's channel and region effects have the shape of real KAMIS market rows.

Real figures are measured with ``spark_jobs.simulator.calibration`` on the calibration extract
(ACEBUCKS2 periodRetailProductList, 2024, 5 items in every city) and the Seoul onion body among
the KAMIS samples; docs/SIMULATOR.md lists them and the tolerances used here.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from spark_jobs.kamis.survey_calendar import is_survey_day
from spark_jobs.simulator import calibration as cal
from spark_jobs.simulator.catalog import get_catalog
from spark_jobs.simulator.model import PriceModel

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "kamis_samples"
ONION = (
    SAMPLES / "periodProductList__onion245_kind00_rank04_seoul_28day_2026-05-08_to_06-04__igb.json"
)
DEMO_SEED, TEST_SEED = 20261130, 11
# every other Wednesday of 2025 that is a produce survey day
DAYS = [
    d for d in (date(2025, 1, 8) + timedelta(14 * k) for k in range(26)) if is_survey_day(d, False)
]


def _onion() -> list[cal.MarketPrice]:
    return cal.period_body_market_prices(json.loads(ONION.read_text("utf-8")), "245", "1101")


@pytest.fixture(scope="module")
def real() -> cal.Shape:
    return cal.shape(cal.real_market_prices() + _onion())


@pytest.fixture(scope="module", params=[DEMO_SEED, TEST_SEED])
def simulated(request) -> tuple[cal.Shape, list[cal.MarketPrice]]:
    rows = cal.simulated_market_prices(PriceModel(request.param), DAYS)
    return cal.shape(rows), rows


def test_onion_gap_by_hand() -> None:
    # 2026-05-08, Seoul onion: large 3320+984+984+1270+1990+1580+1850 = 11978 / 7 = 1711.14;
    # traditional (경동 2400 + 복조리 1890) / 2 = 2145 → (1711.14 − 2145) / 2145 = −20.2 %
    day = [r for r in _onion() if r.day == date(2026, 5, 8)]
    assert cal.channel_gaps(day) == {"245": pytest.approx(-20.23, abs=0.01)}


def test_real_figures_are_the_documented_ones(real: cal.Shape) -> None:
    assert {k: round(v, 1) for k, v in real.gaps.items()} == {
        "225": 23.8,  # 토마토: traditional cheaper
        "245": -19.4,  # 양파 (Seoul only): large retail cheaper
        "257": 10.5,  # 멜론
        "418": -9.2,  # 바나나
        "420": -1.1,  # 파인애플
        "424": 16.4,  # 레몬
    }
    assert real.traditional_cheaper_share == 0.5
    assert round(real.gap_mean, 1) == 3.5
    assert round(real.gap_sd, 1) == 14.9
    assert round(real.region_sd_median, 3) == 0.103
    assert round(real.market_sd_median, 3) == 0.122


def test_channel_gap_has_both_signs_and_the_real_share(real, simulated) -> None:
    sim, _ = simulated
    assert len(sim.gaps) > 60  # every produce item with both channels
    assert min(sim.gaps.values()) < -5 and max(sim.gaps.values()) > 5
    assert abs(sim.traditional_cheaper_share - real.traditional_cheaper_share) <= 0.2
    assert abs(sim.gap_mean - real.gap_mean) <= 5.0


def test_channel_gap_spread_is_like_the_samples_not_a_constant(real, simulated) -> None:
    sim, _ = simulated
    assert 0.65 * real.gap_sd <= sim.gap_sd <= 1.35 * real.gap_sd
    # the old model: every item +10 % ± 1.1 (traditional always cheaper)
    assert sim.gap_sd > 5.0


def test_region_and_market_spread_like_the_samples(real, simulated) -> None:
    sim, _ = simulated
    assert 0.75 * real.region_sd_median <= sim.region_sd_median <= 1.25 * real.region_sd_median
    assert 0.75 * real.market_sd_median <= sim.market_sd_median <= 1.25 * real.market_sd_median


def test_no_category_is_won_by_one_channel_on_every_item(simulated) -> None:
    """The 유통업체별 tab's count per category on one day: both channels win some items."""
    _, rows = simulated
    category = {s.item_code: s.category for s in get_catalog().series}
    day = DAYS[10]
    gaps = cal.channel_gaps(r for r in rows if r.day == day)
    by_cat: dict[str, list[float]] = {}
    for item, g in gaps.items():
        by_cat.setdefault(category[item], []).append(g)
    big = {c: v for c, v in by_cat.items() if len(v) >= 8}
    assert len(big) >= 3, {c: len(v) for c, v in by_cat.items()}
    for c, v in big.items():
        trad = sum(g > 0 for g in v)
        assert 0 < trad < len(v), (c, trad, len(v))


def test_effects_are_seeded() -> None:
    a = cal.channel_gaps(cal.simulated_market_prices(PriceModel(TEST_SEED), DAYS[:4]))
    b = cal.channel_gaps(cal.simulated_market_prices(PriceModel(TEST_SEED), DAYS[:4]))
    c = cal.channel_gaps(cal.simulated_market_prices(PriceModel(TEST_SEED + 1), DAYS[:4]))
    assert a == b
    assert a.keys() == c.keys() and a != c
