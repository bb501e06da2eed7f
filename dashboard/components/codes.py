"""Region and item codes from outside the app: checked against the serving store before any query.

Codes reach the app two ways besides its own pickers: URL query parameters (``?region=1101``,
``?item=211``, e.g. a shared link; ``components/urlstate.py`` keeps the whole view there) and
remembered filter values (``st.session_state``). Both are checked here against the codes the
serving store knows (``dashboard/sql/known_codes.sql``): an unknown or malformed code is refused
with a Korean message and never bound into a query. The URL's other parameters (tab, kind, grade,
period, basket) are refused the same way when they are malformed or not among the app's choices.
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

from dashboard.renderers import formats

log = logging.getLogger(__name__)

# KAMIS codes are short digit strings (region 1101, item 211, livestock 4304); allow letters too.
CODE_PATTERN = re.compile(r"[0-9A-Za-z]{1,8}")
KIND_NAMES = {"region": "지역", "item": "품목"}
# The URL's other parameters (components/urlstate.py): their Korean names, the shape a value must
# have (preset baskets are named like ``family4_weekly``), and what the app shows instead.
OTHER_NAMES = {"tab": "탭", "kind": "품종", "rank": "등급", "period": "기간", "basket": "장바구니"}
OTHER_PATTERNS = {"basket": re.compile(r"[0-9A-Za-z_]{1,32}")}
FALLBACKS = {
    "tab": "첫 탭을 보여드려요 — 위의 탭에서 골라 주세요.",
    "period": "기본 기간(3개월)으로 보여드려요 — 기간 버튼에서 골라 주세요.",
}
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


def is_code(value: object, kind: str | None = None) -> bool:
    """Return True for a string shaped like a KAMIS code (1-8 ASCII letters or digits).

    ``kind`` picks another shape where a parameter has one (``basket``: up to 32 letters, digits, _).
    """
    pattern = OTHER_PATTERNS.get(kind or "", CODE_PATTERN)
    return isinstance(value, str) and pattern.fullmatch(value) is not None


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
    name = KIND_NAMES.get(kind) or OTHER_NAMES[kind]
    where = "주소(URL)에 있는" if source == "url" else "선택한"
    problem = (
        f"{where} {name} 코드 `{code}`를 찾을 수 없어요."
        if is_code(code, kind)
        else f"{where} {name} 코드가 올바르지 않아요."
    )
    fallback = FALLBACKS.get(
        kind,
        f"게시된 자료에 있는 {name}만 볼 수 있어요 — 목록에서 {formats.josa(name, '을', '를')} 골라 주세요.",
    )
    return f"{problem} {fallback}"


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


def url_code(kind: str, accepted: Iterable[str] | None = None) -> str | None:
    """Return the URL's value of parameter ``kind`` when it is acceptable; refuse it otherwise.

    Region and item codes must be known to the store; the other parameters must be well formed
    and, when ``accepted`` is given, one of those values. A repeated parameter is refused.
    """
    if kind not in st.query_params:
        return None
    values = st.query_params.get_all(kind)
    code = values[-1] if values else None
    ok = known_codes().accepts(kind, code) if kind in KIND_NAMES else is_code(code, kind)
    if ok and accepted is not None:
        ok = code in set(accepted)
    if len(values) == 1 and ok:
        return code
    refuse(kind, "url", code)
    return None


def refused_in_url() -> set[str]:
    """Return the URL parameters refused in this script run (they are dropped from the URL)."""
    shown: set[tuple[str, str]] = st.session_state.get(_ERRORS_KEY, set())
    return {kind for kind, source in shown if source == "url"}


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
