"""`jangbogi kamis parse` exit codes 0 / 3 / 4 via subprocess on sample files and tiny bodies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "kamis_samples"
JANGBOGI = Path(sys.executable).with_name("jangbogi")


def parse(action: str, file: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(JANGBOGI), "kamis", "parse", "--action", action, str(file)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_rows_as_json_lines_exit_0():
    out = parse(
        "dailyPriceByCategoryList",
        SAMPLES
        / "dailyPriceByCategoryList__cat200_vegetables_retail_national_2026-06-04__igb.json",
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 51 and rows[0]["item_nm"] == "배추" and rows[0]["price"] == 3547.0
    assert "배추" in out.stdout  # ensure_ascii=False


def test_period_and_eco_exit_0():
    onion = parse(
        "periodProductList",
        SAMPLES
        / "periodProductList__onion245_kind00_rank04_seoul_28day_2026-05-08_to_06-04__igb.json",
    )
    eco = parse(
        "EcoPriceList",
        SAMPLES / "EcoPriceList__defaults_rice_kind02_rank07_2024-10-22__acebucks_raw_curl.json",
    )
    assert (onion.returncode, len(onion.stdout.splitlines())) == (0, 198)
    assert (eco.returncode, len(eco.stdout.splitlines())) == (0, 23)


def test_wrapper_file_with_error_200_exit_3():
    out = parse(
        "dailyPriceByCategoryList",
        SAMPLES
        / "dailyPriceByCategoryList__error200_no_certkey_no_regday__2024-10-31__acebucks.json",
    )
    assert out.returncode == 3 and out.stdout == ""
    assert out.stderr.strip() == "kamis error 200: Wrong Parameters"


def test_error_001_exit_3():
    out = parse(
        "periodProductList", SAMPLES / "periodProductList__error001_fixture__spoqa_kamispy.json"
    )
    assert out.returncode == 3 and out.stderr.strip() == "kamis error 001: no data"


def test_error_900_xml_exit_3(tmp_path):
    f = tmp_path / "err.xml"
    f.write_text("<document><condition/><data><item>900</item></data></document>", encoding="utf-8")
    out = parse("EcoPriceList", f)
    assert out.returncode == 3 and out.stderr.strip() == "kamis error 900: Unauthenticated request"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<!DOCTYPE html><html><body>페이지를 찾을 수 없습니다</body></html>", "HTML page"),
        ('{"data": {"error_code": "000", "item": [{"a"', "invalid JSON"),
        ("a,b,c\n1,2,3\n", "neither JSON nor XML"),
    ],
)
def test_not_kamis_exit_4(tmp_path, content, reason):
    f = tmp_path / "body.txt"
    f.write_text(content, encoding="utf-8")
    out = parse("dailyPriceByCategoryList", f)
    assert out.returncode == 4 and out.stdout == ""
    assert reason in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_dcx_csv_dump_is_not_a_body_exit_4():
    out = parse(
        "dailyPriceByCategoryList",
        SAMPLES
        / "dailyPriceByCategoryList__cat100_retail_seoul_2023-04-17__DCX_pandas_dump.utf8.csv",
    )
    assert out.returncode == 4


def test_in_process_run_unknown_action_and_missing_file(tmp_path):
    import io

    from spark_jobs.kamis.parse_cli import run

    err = io.StringIO()
    assert (
        run("nope", tmp_path / "x.json", io.StringIO(), err) == 2
        and "unknown action" in err.getvalue()
    )
    err = io.StringIO()
    assert (
        run("productInfo", tmp_path / "missing.json", io.StringIO(), err) == 2
        and "cannot read" in err.getvalue()
    )
