"""Write the hostile-body corpus tests/fixtures/bad_kamis/ and its manifest (run once; output is committed).

Every body answers one dailyPriceByCategoryList call (retail, category 200, 2026-06-04, national)
unless its manifest entry says otherwise. ``quarantine`` lists the stg_quarantine reasons the
silver step must give the body (one per quarantined row or body); ``outcome`` is the parser's.
The 50 MB body is generated at test time by :func:`big_body` and never committed.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "bad_kamis"
ACTION = "dailyPriceByCategoryList"
PARAMS = {
    "p_product_cls_code": "01",
    "p_item_category_code": "200",
    "p_regday": "2026-06-04",
    "p_convert_kg_yn": "N",
    "p_returntype": "json",
}
COND = {
    "p_product_cls_code": "01",
    "p_country_code": [],
    "p_regday": "2026-06-04",
    "p_convert_kg_yn": "N",
    "p_category_code": "200",
    "p_returntype": "json",
}
ROW = {
    "item_name": "배추", "item_code": "211", "kind_name": "봄(1포기)", "kind_code": "01",
    "rank": "상품", "rank_code": "04", "unit": "1포기",
    "day1": "당일 (06/04)", "dpr1": "3,547", "day2": "1일전 (06/03)", "dpr2": "-",
    "day3": "1주일전 (05/28)", "dpr3": "3,631", "day4": "2주일전 (05/21)", "dpr4": "3,600",
    "day5": "1개월전", "dpr5": "3,500", "day6": "1년전", "dpr6": "3,000", "day7": "일평년", "dpr7": "3,566",
}  # fmt: skip


def envelope(items, code: str = "000", cond: dict | None = None) -> str:
    data = {"error_code": code, "item": items}
    return json.dumps({"condition": [cond or COND], "data": data}, ensure_ascii=False)


def row(**over) -> dict:
    return {**ROW, **over}


def big_body(size: int = 50 * 1024 * 1024) -> bytes:
    """A ``size``-byte KAMIS-looking body cut off mid-row (a truncated large download)."""
    one = json.dumps(row(item_code="999"), ensure_ascii=False).encode()
    head = b'{"condition":[{}],"data":{"error_code":"000","item":['
    n = (size - len(head)) // (len(one) + 1) + 1
    return (head + b",".join([one] * n))[:size]


HTML_404 = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>페이지를 찾을 수 없습니다</title></head>
<body><h1>404 Not Found</h1><p>요청하신 페이지를 찾을 수 없습니다.</p></body></html>
"""
HTML_500 = """<html><head><title>500 Internal Server Error</title></head>
<body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>
"""
XML_900 = """<?xml version="1.0" encoding="UTF-8"?>
<document><condition><p_regday>2026-06-04</p_regday></condition><data><error_code>900</error_code></data></document>
"""
XML_SERVICE_ERROR = """<?xml version="1.0" encoding="UTF-8"?>
<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>SERVICE_TIMEOUT_ERROR</returnAuthMsg></cmmMsgHeader></OpenAPI_ServiceResponse>
"""
XML_ITEMS_NO_CODE = """<?xml version="1.0" encoding="UTF-8"?>
<document><data><error_code>000</error_code><item><item_name>배추</item_name><dpr1>3,547</dpr1></item></data></document>
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<document><data><error_code>000</error_code><item><item_name>&lol9;</item_name></item></data></document>
"""

NK, RE = "not_kamis", "row_error"
# name, quirk, body (str or bytes), parser outcome, text in the parser's reason, quarantine reasons, extras
CASES: list[tuple] = [
    ("empty.json", "empty body (HTTP 200, no bytes)", "", NK, "empty body", [NK]),
    ("whitespace.json", "body of blanks and newlines only", " \r\n\t \n", NK, "empty body", [NK]),
    ("html_404.html", "HTML 'page not found' instead of JSON (API.md §1)", HTML_404, NK, "HTML page", [NK]),
    ("html_500.html", "nginx 500 page with HTTP 200", HTML_500, NK, "HTML page", [NK]),
    ("xml_service_error.xml", "XML error document where JSON was asked", XML_SERVICE_ERROR, NK, "no data / error_code member", [NK]),
    ("xml_900.xml", "XML where JSON was asked, answering 900", XML_900, "unauthenticated", "kamis error 900", ["unauthenticated"]),
    ("xml_items_without_codes.xml", "XML where JSON was asked, rows without codes", XML_ITEMS_NO_CODE, "ok", "", [RE]),
    ("xml_malformed.xml", "XML cut off mid-element", '<?xml version="1.0"?><document><data><error_code>000</error', NK, "invalid XML", [NK]),
    ("xml_billion_laughs.xml", "XML entity expansion bomb", BILLION_LAUGHS, NK, "invalid XML", [NK]),
    ("truncated.json", "JSON cut off mid-row", envelope([row()])[:150], NK, "invalid JSON", [NK]),
    ("trailing_garbage.json", "valid JSON followed by an HTML fragment", envelope([row()]) + "<br/>", NK, "invalid JSON", [NK]),
    ("top_level_array.json", "JSON array at the top level", "[1, 2, 3]", NK, "top level is not an object", [NK]),
    ("top_level_string.json", "a bare JSON string", '"error"', NK, "neither JSON nor XML", [NK]),
    ("top_level_null.json", "a bare JSON null", "null", NK, "neither JSON nor XML", [NK]),
    ("deep_nesting_bomb.json", "JSON bomb: 100,000 nested arrays", "[" * 100_000 + "]" * 100_000, NK, "nested too deep", [NK]),
    ("deep_nesting_xml.xml", "XML bomb: 50,000 nested elements", "<a>" * 50_000 + "</a>" * 50_000, NK, "nested too deep", [NK]),
    ("invalid_utf8.json", "invalid UTF-8 bytes inside a row", envelope([row(item_name="__BAD__")]).encode().replace(b"__BAD__", b"\xff\xfe\xc3("), NK, "not valid UTF-8", [NK]),
    ("binary_gzip.bin", "gzip bytes served without Content-Encoding", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae\x05\x00C\xbf\xa6\xa3\x02\x00\x00\x00", NK, "", [NK]),
    ("unknown_result_code.json", "error_code 999 (no such KAMIS code)", envelope([row()], code="999"), NK, "unknown KAMIS result code 999", [NK]),
    ("error_200.json", "data ['200']: wrong parameters", json.dumps({"condition": [COND], "data": ["200"]}), "bad_request", "kamis error 200", ["bad_request"]),
    ("data_list_garbage.json", "data is a list of words", json.dumps({"condition": [COND], "data": ["no", "rows"]}), NK, "data is a list without a result code", [NK]),
    ("data_number.json", "data is a number", json.dumps({"condition": [COND], "data": 12}), NK, "without a result code", [NK]),
    ("rows_not_objects.json", "wrong types: rows are a string and a number", envelope(["배추", 211]), "ok", "", [RE, RE]),
    ("code_wrong_type.json", "wrong types: item_code an object, kind_code a list", envelope([row(item_code={"v": "211"}), row(kind_code=["01", "02"])]), "ok", "", [RE, RE]),
    ("price_letters.json", "price with letters", envelope([row(dpr1="3,5O7")]), "ok", "", [RE]),
    ("price_spaces_commas.json", "prices with inner spaces and misplaced commas", envelope([row(dpr1="3 547"), row(kind_code="02", dpr1="35,47"), row(kind_code="03", dpr1="3,,547")]), "ok", "", [RE, RE, RE]),
    ("price_nan_inf.json", "prices NaN, Infinity and 1e400", envelope([row(dpr1="NaN"), row(kind_code="02", dpr1="Infinity"), row(kind_code="03", dpr1="1e400")]), "ok", "", [RE, RE, RE]),
    ("price_huge.json", "a huge price: 99 trillion won", envelope([row(dpr1="99,999,999,999,999")]), "ok", "", [RE]),
    ("price_negative.json", "negative prices", envelope([row(dpr1="-3,547"), row(kind_code="02", dpr3="-1")]), "ok", "", ["non_positive_price", "non_positive_price"]),
    ("unknown_item.json", "an item code KAMIS does not have", envelope([row(item_code="999")]), "ok", "", ["unknown_item"]),
    ("unknown_region.json", "echoed region code 9999 (no such region)", envelope([row()], cond={**COND, "p_country_code": "9999"}), "ok", "", ["unknown_region"]),
    ("duplicated_rows.json", "the same row three times (unknown item)", envelope([row(item_code="998")] * 3), "ok", "", ["unknown_item"] * 3),
    ("future_date.json", "day1 label a day after the day asked for", envelope([row(day1="당일 (06/05)")]), "ok", "", [RE]),
    ("impossible_date.json", "day1 label 02/30, day3 label 13/45", envelope([row(day1="당일 (02/30)"), row(kind_code="02", day3="1주일전 (13/45)")]), "ok", "", [RE, RE]),
    ("missing_codes.json", "rows without item/kind/rank codes", envelope([{k: v for k, v in ROW.items() if not k.endswith("code")}]), "ok", "", [RE]),
]  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, quirk, body, outcome, reason, quarantine in CASES:
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        (OUT / name).write_bytes(data)
        manifest.append({
            "file": name, "quirk": quirk, "action": ACTION, "outcome": outcome,
            "reason_contains": reason, "quarantine": quarantine,
        })  # fmt: skip
    (OUT / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
