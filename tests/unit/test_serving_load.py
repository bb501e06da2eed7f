"""Realistic synthetic row counts per mart, and the CSV stream that feeds PostgreSQL's COPY."""

from __future__ import annotations

import io
from datetime import date

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from spark_jobs.gold import tables as gold
from spark_jobs.serving.postgres_store import CsvStream
from testkit.synthetic import (
    arrow_schema,
    make_items,
    make_regions,
    season_matrix,
    season_shares,
    survey_days,
    synth_mart,
)

pytestmark = pytest.mark.unit

DAYS = survey_days(date(2026, 11, 2), date(2026, 11, 13))  # 10 weekdays, weeks of 11-02 and 11-09
REGIONS = make_regions(5)  # 0000 전국 + 4 regions
ITEMS = make_items(24)


def _rows(spec) -> pa.Table:
    return synth_mart(spec, DAYS, REGIONS, ITEMS)


@pytest.mark.parametrize(
    ("spec", "rows"),
    [
        (gold.MART_PRICE_RISE_TOP3, 10 * 5 * 3),  # days × regions × rank 1..3
        (gold.MART_PRICE_REGION_COUNT, 10 * 5),  # one row per region-day
        (gold.MART_UPDATE_STATUS, 4),  # one row per source
        (gold.MART_BASKET_COST, 10 * 4 * 5 * 2),  # days × baskets × regions × channels
        (gold.MART_PRICE_TREND, 10 * 5 * 24),  # days × regions × items
        (gold.MART_RETAIL_PRICE_LATEST, 10 * 4 * 2 * 24),  # market regions (no 0000) × channels
        (gold.MART_RETAIL_CHANNEL_COMPARISON, 10 * 5 * 24),  # 0000 = all markets
        # eco items: round(24 × 114 / 346 = 7.91) = 8; two Mondays
        (gold.MART_ECO_PREMIUM, 2 * 5 * 8),
        (gold.MART_ECO_PRICE_BY_STORE_TYPE, 2 * 8 * 5),  # weeks × eco items × 5 store types
        # November: 48 of 346 retail combos in season; round(24 × 0.1387 = 3.33) = 3 items, no 0000
        (gold.MART_SEASON_REGION_PRODUCT, 10 * 4 * 3),
    ],
    ids=lambda x: getattr(x, "name", str(x)),
)
def test_row_counts_follow_grain_and_coverage(spec, rows):
    table = _rows(spec)
    assert table.num_rows == rows
    assert table.group_by(list(spec.grain)).aggregate([]).num_rows == rows


def test_season_mart_holds_in_season_items_of_regions_only():
    table = _rows(gold.MART_SEASON_REGION_PRODUCT).to_pydict()
    in_season = season_matrix(len(ITEMS))[10]  # November
    allowed = {ITEMS[i].item_cd + ITEMS[i].rank_cd for i in range(len(ITEMS)) if in_season[i]}
    assert "0000" not in table["country_cd"]
    assert set(table["month"]) == {11}
    assert {a + b for a, b in zip(table["item_cd"], table["rank_cd"], strict=True)} == allowed


def test_season_shares_come_from_the_calendar():
    shares = season_shares()
    assert len(shares) == 12
    assert min(shares) == shares[3]  # April has the fewest in-season items
    assert max(shares) == shares[7]  # August the most
    assert all(0 < s < 0.5 for s in shares)


def test_alerts_are_rare():
    table = _rows(gold.MART_PRICE_ALERTS)
    cells = 10 * 5 * 24
    assert 0 < table.num_rows < cells * 0.15


def test_eco_premium_grain_unique_with_both_ranks_of_an_item():
    # with 300 items, item i and i + 6 share item_cd/kind_cd (ranks 04 and 05): eco grades 07 / 08
    week = survey_days(date(2026, 11, 9), date(2026, 11, 13))
    table = synth_mart(gold.MART_ECO_PREMIUM, week, make_regions(3), make_items(300))
    assert set(table["eco_rank_cd"].to_pylist()) == {"07", "08"}
    assert table.group_by(list(gold.MART_ECO_PREMIUM.grain)).aggregate([]).num_rows == (
        table.num_rows
    )


def _awkward() -> pa.Table:
    schema = arrow_schema(gold.MART_UPDATE_STATUS)
    base = synth_mart(gold.MART_UPDATE_STATUS, DAYS, REGIONS, ITEMS).slice(0, 1).to_pylist()[0]
    names = ['배추, "국산"', "", None, "a\tb\nc", "\\N"]
    rows = [
        {**base, "source_nm": f"s{i}", "table_nm": n if n is not None else "t"}
        for i, n in enumerate(names)
    ]
    rows.append({**base, "source_nm": "nulls", "latest_dt": None, "lag_days": None})
    return pa.Table.from_pylist(rows, schema=schema)


def test_csv_stream_is_arrow_csv_of_every_batch():
    table = _awkward()
    want = io.BytesIO()
    for batch in table.to_batches(max_chunksize=2):
        pacsv.write_csv(batch, want, pacsv.WriteOptions(include_header=False))
    stream = CsvStream(table, batch_rows=2)
    got = b""
    while chunk := stream.read(7):
        got += chunk
    stream.close()
    assert got == want.getvalue()
    assert stream.rows == table.num_rows == 6
    assert b'"\xeb\xb0\xb0\xec\xb6\x94, ""\xea\xb5\xad\xec\x82\xb0"""' in got  # "배추, ""국산"""
    assert b'"s1","",' in got  # '' quoted
    assert b'"nulls","table_0",,' in got  # NULL (latest_dt) bare


def test_csv_stream_raises_what_the_source_raised():
    schema = arrow_schema(gold.MART_UPDATE_STATUS)
    good = _awkward().to_batches()[0]

    def batches():
        yield good
        raise ValueError("lake read failed")

    stream = CsvStream(pa.RecordBatchReader.from_batches(schema, batches()))
    assert stream.read(-1)  # the first batch
    with pytest.raises(ValueError, match="lake read failed"):
        stream.read(-1)
    stream.close()


def test_csv_stream_close_stops_a_producer_that_is_ahead():
    table = _awkward()
    stream = CsvStream(table, batch_rows=1, depth=1)  # producer blocks on a full queue
    assert stream.read(1)
    stream.close()  # returns although 5 batches were never read
    assert stream.closed
