"""Region and item codes from outside the app: checked against the serving store before any query.

Codes reach the app two ways besides its own pickers: URL query parameters (``?region=1101``,
``?item=211``, e.g. a shared link) and remembered filter values (``st.session_state``). Both are
checked here against the codes the serving store knows (``dashboard/sql/known_codes.sql``):
an unknown or malformed code is refused with a Korean message and never bound into a query.
``fetch`` (``components/chart.py``) checks every ``country_cd`` / ``item_cd`` it is about to
send once more, so no path lets an unknown code through.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

log = logging.getLogger(__name__)

REGION_PARAM, ITEM_PARAM = "region", "item"
# KAMIS codes are short digit strings (region 1101, item 211, livestock 4304); allow letters too.
CODE_PATTERN = re.compile(r"[0-9A-Za-z]{1,8}")
KIND_NAMES = {"region": "지역", "item": "품목"}
# Query parameters holding codes, and which kind of code each one holds.
CODE_PARAMS = {"country_cd": "region", "item_cd": "item"}
_ERRORS_KEY = "_jbg_code_errors"


class UnknownCodeError(ValueError):
    """A region or item code the serving store does not know."""

    def __init__(self, kind: str, source: str) -> None:
        """Remember the kind of code (``region`` / ``item``) and where it came from."""
        super().__init__(f"unknown {kind} code from {source}")
        self.kind, self.source = kind, source


@dataclass(frozen=True)
class KnownCodes:
    """The region and item codes present in the serving store."""

    regions: frozenset[str]
    items: frozenset[str]

    def of(self, kind: str) -> frozenset[str]:
        """Return the codes of ``kind`` (``region`` or ``item``)."""
        return self.regions if kind == "region" else self.items

    def accepts(self, kind: str, code: object) -> bool:
        """Return True when ``code`` is a well-formed code of ``kind`` the store knows.

        With no codes of ``kind`` known (a store without the marts ``known_codes`` reads) only
        the format is checked; the pickers then still offer nothing but their own options.
        """
        return is_code(code) and (not self.of(kind) or code in self.of(kind))


def is_code(value: object) -> bool:
    """Return True for a string shaped like a KAMIS code (1-8 ASCII letters or digits)."""
    return isinstance(value, str) and CODE_PATTERN.fullmatch(value) is not None


def known_codes() -> KnownCodes:
    """Return the codes in the serving store (cached per publish with the other named queries)."""
    from dashboard.components.data import run_query
    from dashboard.db.base import QueryError

    try:
        df = run_query("known_codes")
    except QueryError as err:  # a store without some marts: only the pickers' own options pass
        log.warning("known codes unavailable: %s", err)
        return KnownCodes(frozenset(), frozenset())
    codes = {
        kind: frozenset(df.loc[df["kind"] == kind, "code"].dropna().astype(str))
        for kind in KIND_NAMES
    }
    return KnownCodes(codes["region"], codes["item"])


def message(kind: str, source: str, code: object) -> str:
    """Return the Korean refusal text; the code itself is shown only when it is code-shaped."""
    name = KIND_NAMES[kind]
    where = "주소(URL)에 있는" if source == "url" else "선택한"
    problem = (
        f"{where} {name} 코드 `{code}`를 찾을 수 없어요."
        if is_code(code)
        else f"{where} {name} 코드가 올바르지 않아요."
    )
    return f"{problem} 게시된 자료에 있는 {name}만 볼 수 있어요 — 목록에서 {name}을 골라 주세요."


def refuse(kind: str, source: str, code: object) -> None:
    """Show the refusal once per script run for a (kind, source) and log it without the value."""
    shown: set[tuple[str, str]] = st.session_state.setdefault(_ERRORS_KEY, set())
    if (kind, source) in shown:
        return
    shown.add((kind, source))
    log.warning("refused an unknown %s code from %s", kind, source)
    st.error(message(kind, source, code), icon=":material/block:")


def start_run() -> None:
    """Forget the refusals shown by the previous script run (call once at the top of the page)."""
    st.session_state[_ERRORS_KEY] = set()


def url_code(kind: str) -> str | None:
    """Return the URL's code of ``kind`` when the store knows it; refuse it (message) otherwise."""
    param = REGION_PARAM if kind == "region" else ITEM_PARAM
    if param not in st.query_params:
        return None
    values = st.query_params.get_all(param)
    code = values[-1] if values else None
    if len(values) == 1 and known_codes().accepts(kind, code):
        return code
    refuse(kind, "url", code)
    return None


def check_url() -> None:
    """Check both URL code parameters at once, so a bad one is refused on every tab."""
    url_code("region")
    url_code("item")


def _values(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list | tuple | set | frozenset) else (value,)


def check_params(params: Mapping[str, Any] | None) -> None:
    """Raise :class:`UnknownCodeError` when a code parameter holds a value the store does not know.

    Only ``country_cd`` and ``item_cd`` are checked (the codes that come from outside). With no
    known codes (a store without the marts ``known_codes`` reads) only the format is checked.
    """
    if not params:
        return
    known: KnownCodes | None = None
    for name, kind in CODE_PARAMS.items():
        if params.get(name) is None:
            continue
        for value in _values(params[name]):
            known = known or known_codes()
            if not known.accepts(kind, value):  # format and membership
                raise UnknownCodeError(kind, "query")
