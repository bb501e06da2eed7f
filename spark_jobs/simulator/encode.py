"""Serialise a response document as KAMIS does: compact UTF-8 JSON, or XML under <document>."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

NOT_FOUND_HTML = (
    '<!DOCTYPE html>\n<html lang="ko">\n<head><meta charset="UTF-8"><title>KAMIS</title></head>\n'
    '<body>\n<div class="error">\n<h1>페이지를 찾을 수 없습니다.</h1>\n'
    "<p>The page you requested was not found. (page not found)</p>\n"
    "<p>요청하신 페이지가 존재하지 않거나 변경되었습니다.</p>\n</div>\n</body>\n</html>\n"
)
ERROR_HTML = (
    '<!DOCTYPE html>\n<html lang="ko">\n<head><meta charset="UTF-8"><title>KAMIS</title></head>\n'
    "<body>\n<h1>서비스 점검 중입니다.</h1>\n<p>일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주십시오.</p>\n"
    "</body>\n</html>\n"
)


def price_text(value: int | None, missing: Any = "-") -> Any:
    """Format a price the KAMIS way: thousands commas, ``missing`` (default "-") for no price."""
    return missing if value is None else f"{value:,}"


def to_json(doc: dict[str, Any]) -> bytes:
    """Return compact UTF-8 JSON (Korean kept as characters, as the real server does)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _emit(tag: str, value: Any, out: list[str]) -> None:
    if value is None or value == [] or value == "":
        out.append(f"<{tag}/>")
    elif isinstance(value, dict):
        out.append(f"<{tag}>")
        for k, v in value.items():
            _emit(k, v, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list):
        flat = [v for v in value if v not in ([], None)]
        if not flat:
            out.append(f"<{tag}/>")
        for v in flat:
            _emit(tag, v[0] if isinstance(v, list) and len(v) == 1 else v, out)
    else:
        out.append(f"<{tag}>{escape(str(value))}</{tag}>")


def to_xml(doc: dict[str, Any]) -> bytes:
    """Return the document as XML: ``<document>`` root, one element per key, repeated ``item``s.

    An error ``data: ["001"]`` becomes ``<data><error_code>001</error_code></data>`` so XML
    clients find the code at ``.//error_code`` as they do on success.
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<document>"]
    for k, v in doc.items():
        if k == "data" and isinstance(v, list):
            v = {"error_code": v[0] if v else ""}
        _emit(k, v, out)
    out.append("</document>")
    return "\n".join(out).encode("utf-8")
