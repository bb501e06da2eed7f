"""Remove the echoed cert key and id from KAMIS bodies and parameters.

KAMIS echoes every request parameter in ``condition``, credentials included (``p_cert_key`` /
``p_cert_id``, or ``p_key`` / ``p_id``). The removal is textual so the rest of the body stays
byte-for-byte as received: one JSON member (with one adjoining comma) or one XML element is cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from spark_jobs.kamis.requests import AUTH_PARAMS

_KEYS = "|".join(sorted(AUTH_PARAMS, key=len, reverse=True))
# A JSON value: string, [] / [..] without nested brackets, number, null/true/false.
_JSON_VALUE = r'(?:"(?:[^"\\]|\\.)*"|\[[^\[\]]*\]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|null|true|false)'
_JSON_MEMBER = rf'"(?:{_KEYS})"\s*:\s*{_JSON_VALUE}'
# Preferred: the member with the comma before it (keeps the preceding layout intact).
_JSON_WITH_LEADING_COMMA = re.compile(rf",\s*{_JSON_MEMBER}")
# Otherwise (first member of an object): the member and the comma/whitespace after it.
_JSON_WITH_TRAILING_COMMA = re.compile(rf"{_JSON_MEMBER}\s*,\s*")
_JSON_ALONE = re.compile(_JSON_MEMBER)
# XML: <p_cert_key>…</p_cert_key>, <p_cert_key/>, <p_cert_key attr="…"/>, with the indentation before it.
_XML_ELEMENT = re.compile(
    rf"[ \t]*<(?P<tag>{_KEYS})(?:\s[^<>]*)?(?:/>|>(?:(?!</(?P=tag)>).)*</(?P=tag)\s*>)[ \t]*(?:\r?\n)?",
    re.DOTALL,
)
_MASK = "***"


def redact_body(body: str, secrets: Iterable[str] = ()) -> str:
    """Return ``body`` without echoed credentials; any literal ``secrets`` left are masked.

    Args:
        body: A KAMIS response body (JSON or XML) or any text.
        secrets: Credential values to mask wherever they still occur (defence in depth).

    Returns:
        The body with every ``p_cert_key``/``p_cert_id``/``p_key``/``p_id`` member/element removed.
    """
    text = body
    if '"p_' in text:
        text = _JSON_WITH_LEADING_COMMA.sub("", text)
        text = _JSON_WITH_TRAILING_COMMA.sub("", text)
        text = _JSON_ALONE.sub("", text)
    if "<p_" in text:
        text = _XML_ELEMENT.sub("", text)
    for s in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        text = text.replace(s, _MASK)
    return text


def redact_params(params: Mapping[str, object]) -> dict[str, object]:
    """Return ``params`` without credential parameters."""
    return {k: v for k, v in params.items() if k not in AUTH_PARAMS}


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask credential values in free text such as a URL or an exception message.

    Query-string credentials (``p_cert_key=…``) are replaced whatever their value.
    """
    out = re.sub(rf"\b({_KEYS})=[^&\s'\"]*", r"\1=" + _MASK, text)
    for s in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        out = out.replace(s, _MASK)
    return out
