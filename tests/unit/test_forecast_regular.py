"""The weekly grid of the forecast: the numpy ``regular`` gives exactly what the pandas steps gave.

``_pandas_regular`` is the implementation ``regular`` replaced (kept here as the reference): sort
by week, a week's last price, drop missing prices, cut after the last long gap, reindex on a 7-day
grid, interpolate linearly. Hand-made series check each step; random ones check bit equality.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from spark_jobs.gold import _forecast as fc

MONDAY = date(2025, 1, 6)


def _pandas_regular(weeks: pd.Series, prices: pd.Series) -> fc.Weekly:
    s = pd.Series(prices.to_numpy(dtype=float), index=pd.DatetimeIndex(weeks)).sort_index()
    s = s[~s.index.duplicated(keep="last")].dropna()
    if s.empty:
        return fc.Weekly(pd.DatetimeIndex([]), np.array([]), np.array([], dtype=bool))
    gaps = np.diff(s.index.to_numpy()).astype("timedelta64[D]").astype(int) // 7 - 1
    cut = np.nonzero(gaps > fc.MAX_GAP_WEEKS)[0]
    if len(cut):
        s = s.iloc[cut[-1] + 1 :]
    grid = pd.date_range(s.index[0], s.index[-1], freq="7D")
    full = s.reindex(grid)
    return fc.Weekly(
        grid, full.interpolate(method="linear").to_numpy(dtype=float), full.notna().to_numpy()
    )


def _weeks(*offsets: int) -> pd.Series:
    return pd.Series([MONDAY + timedelta(weeks=o) for o in offsets])


def _same(got: fc.Weekly, want: fc.Weekly) -> None:
    assert [d.date() for d in got.weeks] == [d.date() for d in want.weeks]
    assert got.y.tobytes() == want.y.tobytes()  # bit for bit
    assert got.observed.tolist() == want.observed.tolist()


def test_a_missing_week_is_interpolated_and_not_observed():
    got = fc.regular(_weeks(0, 1, 3), pd.Series([100.0, 110.0, 130.0]))
    assert got.y.tolist() == [100.0, 110.0, 120.0, 130.0]
    assert got.observed.tolist() == [True, True, False, True]
    assert got.weeks[-1].date() == MONDAY + timedelta(weeks=3)


def test_history_before_the_last_long_gap_is_cut():
    gap = fc.MAX_GAP_WEEKS + 2  # weeks 1..MAX_GAP_WEEKS+1 missing: a gap longer than allowed
    got = fc.regular(_weeks(0, 1 + gap, 2 + gap), pd.Series([1.0, 2.0, 3.0]))
    assert got.y.tolist() == [2.0, 3.0]
    ok = fc.regular(
        _weeks(0, 1 + fc.MAX_GAP_WEEKS, 2 + fc.MAX_GAP_WEEKS), pd.Series([1.0, 2.0, 3.0])
    )
    assert len(ok.y) == fc.MAX_GAP_WEEKS + 3  # a gap of exactly MAX_GAP_WEEKS is bridged


def test_unsorted_duplicate_and_missing_prices():
    weeks = _weeks(2, 0, 1, 1, 3)
    prices = pd.Series([30.0, 10.0, 15.0, 20.0, np.nan])  # week 1 twice: the last (20) wins
    got = fc.regular(weeks, prices)
    assert got.y.tolist() == [10.0, 20.0, 30.0]  # week 3 had no price: the series ends at 2
    _same(got, _pandas_regular(weeks, prices))
    empty = fc.regular(_weeks(0), pd.Series([np.nan]))
    assert len(empty.weeks) == 0 and len(empty.y) == 0


@pytest.mark.parametrize("seed", range(40))
def test_random_series_equal_the_pandas_steps_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 160))
    offsets = np.sort(rng.choice(np.arange(400), size=n, replace=False))
    keep = rng.random(n) > rng.uniform(0, 0.5)  # holes of every length
    weeks = _weeks(*[int(o) for o in offsets[keep]]) if keep.any() else _weeks(0)
    prices = pd.Series(rng.lognormal(7, 0.3, len(weeks)))
    prices[rng.random(len(weeks)) < 0.05] = np.nan
    _same(fc.regular(weeks, prices), _pandas_regular(weeks, prices))
    as_of = pd.Timestamp(MONDAY + timedelta(weeks=int(rng.integers(0, 400))))
    got = fc.prepare(pd.to_datetime(weeks), prices, as_of)
    cut = pd.DatetimeIndex(weeks) <= as_of
    want = _pandas_regular(weeks[cut], prices[cut])
    if got is None:
        assert (
            want.observed.sum() < fc.MIN_WEEKS
            or (as_of - want.weeks[-1]).days > 7 * fc.MAX_STALE_WEEKS
        )
    else:
        _same(got, want)


def test_dates_as_spark_hands_them_over():
    dates = _weeks(*range(30))  # datetime.date objects, as applyInPandas gives a DATE column
    prices = pd.Series(np.arange(30, dtype=float))
    got = fc.prepare(dates, prices, pd.Timestamp(MONDAY + timedelta(weeks=28)))
    assert got is not None and got.y.tolist() == list(np.arange(29, dtype=float))
    assert got.weeks[-1].date() == MONDAY + timedelta(weeks=28)
    stale = pd.Timestamp(MONDAY + timedelta(weeks=29 + fc.MAX_STALE_WEEKS + 1))
    assert fc.prepare(dates, prices, stale) is None
