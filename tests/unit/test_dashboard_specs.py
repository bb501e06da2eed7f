"""The spec loader: every shipped spec is valid, and a bad spec fails with a message naming the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dashboard.db.sqlbind import placeholders
from dashboard.renderers import RENDERERS, formats
from dashboard.specs.loader import DASHBOARD_DIR, load_catalog
from dashboard.specs.model import SpecError
from dashboard.specs.validate import VIZ_RULES
from spark_jobs.gold.tables import TABLES

pytestmark = pytest.mark.unit


def test_every_shipped_spec_is_valid_and_every_viz_type_is_used() -> None:
    cat = load_catalog()
    assert len(cat.charts) >= 20
    assert {c.viz_type for c in cat.charts.values()} == set(VIZ_RULES)
    marts = {t.name for t in TABLES}
    assert all(ds.table in marts for ds in cat.datasets.values())
    for chart in cat.charts.values():
        assert chart.title and chart.dataset in cat.datasets and chart.query in cat.queries


def test_every_viz_type_has_exactly_one_renderer() -> None:
    assert set(RENDERERS) == set(VIZ_RULES)


def test_the_catalog_holds_every_named_query_as_the_backends_read_it() -> None:
    cat = load_catalog()
    names = sorted(p.stem for p in (DASHBOARD_DIR / "sql").glob("*.sql"))
    assert sorted(cat.queries) == names
    sql = (DASHBOARD_DIR / "sql" / "price_drop_top3.sql").read_text(encoding="utf-8")
    assert cat.queries["price_drop_top3"] == sql.strip().rstrip(";").strip()
    assert cat.chart("today_drop_top3").params == ("country_cd",)


def test_placeholders_ignore_casts_comments_and_strings() -> None:
    sql = "-- it's :not_me\nSELECT x::DATE, ':nor_me' FROM t WHERE a = :a AND b = CAST(:b AS DATE)"
    assert placeholders(sql) == ("a", "b")


def test_filters_are_checked_against_the_query_the_backends_bind(spec_root: Path) -> None:
    # a placeholder only in a comment is not a parameter (binding would not ask for it)
    sql = spec_root / "sql" / "price_drop_top3.sql"
    sql.write_text(
        "-- :region_cd is not used\n" + sql.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert load_catalog(spec_root).chart("today_drop_top3").params == ("country_cd",)


def test_an_unparsable_query_fails_with_its_file_name(spec_root: Path) -> None:
    (spec_root / "sql" / "price_drop_top3.sql").write_text(
        "SELECT FROM WHERE :country_cd (", encoding="utf-8"
    )
    with pytest.raises(SpecError, match=r"today_drop_top3\.yaml: sql/price_drop_top3\.sql"):
        load_catalog(spec_root)


@pytest.fixture
def spec_root(tmp_path: Path) -> Path:
    """A copy of the shipped specs that a test can break."""
    for sub in ("sql", "datasets", "charts"):
        shutil.copytree(DASHBOARD_DIR / sub, tmp_path / sub)
    return tmp_path


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "charts/today_drop_top3.yaml",
            lambda d: d.update(viz_type="pie3d"),
            "unknown viz_type 'pie3d'",
        ),
        (
            "charts/today_drop_top3.yaml",
            lambda d: d.update(dataset="nope"),
            "unknown dataset 'nope'",
        ),
        (
            "charts/today_drop_top3.yaml",
            lambda d: d.pop("dataset"),
            "missing required field 'dataset'",
        ),
        (
            "charts/today_drop_top3.yaml",
            lambda d: d.update(query="nope"),
            "no query file dashboard/sql/nope.sql",
        ),
        (
            "charts/today_drop_top3.yaml",
            lambda d: d.update(metrics=["nope"]),
            "metric 'nope' is not a metric",
        ),
        (
            "charts/today_drop_top3.yaml",
            lambda d: d.update(filters=[]),
            "filters bind [] but sql/price_drop_top3.sql uses ['country_cd']",
        ),
        (
            "charts/today_drop_top3.yaml",
            lambda d: d["options"].update(title="{nope_nm}"),
            "option title placeholder 'nope_nm'",
        ),
        (
            "charts/today_drop_top3.yaml",
            lambda d: d.update(row_limit=0),
            "row_limit must be a positive integer",
        ),
        (
            "charts/trend_line.yaml",
            lambda d: d["options"].update(x="nope_dt"),
            "option x 'nope_dt' is not a column",
        ),
        ("charts/trend_line.yaml", lambda d: d.update(time_grain="hour"), "time_grain 'hour'"),
        ("charts/season_map.yaml", lambda d: d.pop("viewport"), "map charts need viewport"),
        ("charts/season_map.yaml", lambda d: d["options"].pop("tooltip"), "needs option 'tooltip'"),
        (
            "charts/today_alerts.yaml",
            lambda d: d["options"].update(columns=["item_nm", "nope"]),
            "option columns entry 'nope'",
        ),
        (
            "charts/today_alerts.yaml",
            lambda d: d["filters"][0].update(widget="dial"),
            "filter widget 'dial' unknown",
        ),
        (
            "datasets/price_trend.yaml",
            lambda d: d["columns"].update(nope={"label": "없음"}),
            "column 'nope' is not a column of mart_price_trend",
        ),
        (
            "datasets/price_trend.yaml",
            lambda d: d.update(table="mart_nope"),
            "table 'mart_nope' is not a gold mart",
        ),
        (
            "datasets/price_trend.yaml",
            lambda d: d["columns"]["price"].update(format="money"),
            "unknown format 'money'",
        ),
        (
            "datasets/price_trend.yaml",
            lambda d: d["metrics"].update(x={"label": "x", "column": "nope"}),
            "column 'nope' is not a dataset column",
        ),
        (
            "datasets/buy_signal.yaml",
            lambda d: d["metrics"].update(x={"label": "x", "sql": "price + 1"}),
            "must be an aggregate",
        ),
        (
            "datasets/buy_signal.yaml",
            lambda d: d["metrics"].update(x={"label": "x", "sql": "SUM(nope)"}),
            "unknown column 'nope'",
        ),
        (
            "datasets/buy_signal.yaml",
            lambda d: d["metrics"].update(x={"label": "x"}),
            "exactly one of 'column' or 'sql'",
        ),
    ],
)
def test_a_bad_spec_fails_clearly(spec_root: Path, file: str, change, message: str) -> None:
    _edit(spec_root / file, change)
    with pytest.raises(SpecError) as err:
        load_catalog(spec_root)
    assert message in str(err.value)
    assert Path(file).name in str(err.value)


def test_invalid_yaml_is_reported_with_the_file_name(spec_root: Path) -> None:
    (spec_root / "charts" / "broken.yaml").write_text("viz_type: [line\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"broken\.yaml: not valid YAML"):
        load_catalog(spec_root)


def test_a_new_chart_is_just_a_yaml_file(spec_root: Path) -> None:
    (spec_root / "charts" / "extra_alert_table.yaml").write_text(
        "viz_type: table\ntitle: 알림 표\ndataset: price_alerts\nquery: price_alerts\n"
        "filters: [{param: country_cd, widget: region, column: country_cd}]\n"
        "options: {columns: [item_nm, alert_nm]}\n",
        encoding="utf-8",
    )
    chart = load_catalog(spec_root).chart("extra_alert_table")
    assert chart.viz_type == "table" and chart.params == ("country_cd",)


@pytest.mark.parametrize(
    ("value", "fmt", "unit", "expected"),
    [
        (3450, "price", "1포기", "3,450원/1포기"),
        (28900.4, "price", None, "28,900원"),
        (-17.857, "pct", None, "-17.9%"),
        (11.2, "pct", None, "+11.2%"),
        (0.01, "pct", None, "0.0%"),
        (1234567, "int", None, "1,234,567"),
        (2, "rank", None, "2위"),
        (None, "price", "1kg", "–"),
        (float("nan"), "pct", None, "–"),
    ],
)
def test_formats(value, fmt: str, unit, expected: str) -> None:
    assert formats.value(value, fmt, unit) == expected


def test_josa_and_templates() -> None:
    assert formats.josa("전통시장", "이", "가") == "전통시장이"
    assert formats.josa("대형마트", "이", "가") == "대형마트가"
    row = {"item_nm": "배추", "price": 3450.0, "unit": "1포기", "channel": "대형마트", "pct": -5.04}
    assert (
        formats.fill("{item_nm} {price:price} {pct:pct} {channel|이/가}", row)
        == "배추 3,450원/1포기 -5.0% 대형마트가"
    )
    assert formats.template_columns("{a} {b:price} {c|이/가}") == ["a", "b", "c"]
