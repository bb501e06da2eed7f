"""Render KAMIS responses (envelopes, field names, string formats) from the price model.

``Renderer.render(path, params)`` is a pure function of the request, the model's seed, the
simulator's ``today``, the shape variant and whether ``today``'s survey is published yet (the
injected clock against the publication hour); the HTTP server only transports its bytes.

Publication: KAMIS publishes a day's survey in the afternoon KST. Before
``publication_hour_kst`` on ``today`` the simulator answers like KAMIS does then: a category
call for today is 000 with every dpr1 "-", a period window ending today has today's 평균 and
market prices "-" (평년 kept), dailyCountyList reports the previous survey day as the latest,
and eco calls see the previous weekly survey.

Shape variants: ``"2026"`` (period condition echo is ``{"item": {…}}``, empty aggregate fields
are ``null``), ``"2020"`` (echo is a list of dicts, empty aggregate fields are ``[]``, livestock
일평년 is ``"-"``), ``"xml-derived"`` (as 2026, and a one-row ``data.item`` is an object).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from spark_jobs.kamis.survey_calendar import (
    is_eco_survey_day,
    is_produce_survey_day,
    latest_survey_day,
    minus_months,
    minus_years,
    previous_survey_day,
)
from spark_jobs.simulator.catalog import CATEGORY_NAMES, ECO, RETAIL, WHOLESALE, Series
from spark_jobs.simulator.encode import NOT_FOUND_HTML, price_text, to_json, to_xml
from spark_jobs.simulator.model import PriceModel, days_between, round_half_up

PATH = "/service/price/xml.do"
PUBLICATION_HOUR_KST = 14  # KAMIS publishes the day's survey in the afternoon (API.md §3.1, EOL)
SHAPES = ("2026", "2020", "xml-derived")
MAX_WINDOW_DAYS = 366
CATEGORIES = tuple(CATEGORY_NAMES)
PERIOD_ACTIONS = {
    "periodRetailProductList": (RETAIL, "p_countrycode"),
    "periodWholesaleProductList": (WHOLESALE, "p_countrycode"),
    "periodProductList": (None, "p_countycode"),
}


@dataclass(frozen=True)
class Reply:
    """An HTTP reply: status, content type and body bytes."""

    status: int
    content_type: str
    body: bytes


class KamisError(Exception):
    """A KAMIS result code other than 000 ('001', '200', '900')."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _get(params: Mapping[str, str], name: str) -> str | None:
    v = params.get(name)
    return v if v not in (None, "") else None


def _echo(v: str | None) -> Any:
    return v if v is not None else []


def parse_day(text: str | None) -> date | None:
    """Parse ``YYYY-MM-DD`` or ``YYYYMMDD``; raise KamisError('200') when malformed."""
    if text is None:
        return None
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise KamisError("200")


def kst_now() -> datetime:
    """Return the current time in Korea (the default clock)."""
    from spark_jobs.dates import KST

    return datetime.now(KST)


class Renderer:
    """Turns requests into KAMIS bodies for one model, ``today`` and shape variant.

    Args:
        model: The price model.
        today: The simulator's today (later days answer 001).
        shape: Shape variant (see the module docstring).
        publication_hour_kst: Hour (KST, 0-24) from which ``today``'s prices are published.
        clock: Returns the current time (aware, or naive meaning KST); tests inject a fixed one.
    """

    def __init__(self, model: PriceModel, today: date, shape: str = "2026",
                 publication_hour_kst: int = PUBLICATION_HOUR_KST,
                 clock: Callable[[], datetime] = kst_now) -> None:  # fmt: skip
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
        if not 0 <= publication_hour_kst <= 24:
            raise ValueError(f"publication_hour_kst must be in 0..24, not {publication_hour_kst}")
        self.model = model
        self.catalog = model.catalog
        self.today = today
        self.shape = shape
        self.publication_hour_kst = publication_hour_kst
        self.clock = clock
        self.empty: Any = [] if shape == "2020" else None
        self._actions: dict[str, Callable[[Mapping[str, str]], dict[str, Any]]] = {
            "dailyPriceByCategoryList": self.category,
            "EcoPriceList": self.eco,
            "periodEcoPriceList": self.period_eco,
            "dailyCountyList": self.county,
            "productInfo": self.product_info,
            **{a: (lambda p, a=a: self.period(a, p)) for a in PERIOD_ACTIONS},
        }

    # -- entry point -------------------------------------------------------------------------
    def render(self, path: str, params: Mapping[str, str]) -> Reply:
        """Return the reply for a GET of ``path`` with query ``params`` (first values)."""
        action = params.get("action", "")
        if path != PATH or action not in self._actions:
            return Reply(404, "text/html;charset=UTF-8", NOT_FOUND_HTML.encode("utf-8"))
        doc = self.document(action, params)
        if (params.get("p_returntype") or "xml").lower() == "json":
            return Reply(200, "text/plain;charset=UTF-8", to_json(doc))
        return Reply(200, "text/xml;charset=UTF-8", to_xml(doc))

    def document(self, action: str, params: Mapping[str, str]) -> dict[str, Any]:
        """Return the response document (before serialisation) for a known action."""
        return self._actions[action](params)

    # -- helpers -----------------------------------------------------------------------------
    def today_published(self) -> bool:
        """Return True once ``today``'s survey is published: the clock has reached its hour (KST)."""
        from spark_jobs.dates import KST

        now = self.clock()
        now = now.replace(tzinfo=KST) if now.tzinfo is None else now.astimezone(KST)
        due = datetime.combine(self.today, time(0), KST) + timedelta(
            hours=self.publication_hour_kst
        )
        return now >= due

    def unpublished(self, d: date) -> bool:
        """Return True when ``d``'s prices are not published yet (only ``today``, before its hour)."""
        return d == self.today and not self.today_published()

    def latest_published(self, livestock: bool = False, eco: bool = False) -> date:
        """Return the latest survey day whose prices are published."""
        day = latest_survey_day(self.today, livestock, eco)
        if self.unpublished(day):
            day = latest_survey_day(day - timedelta(days=1), livestock, eco)
        return day

    @staticmethod
    def _authorised(params: Mapping[str, str]) -> bool:
        return _get(params, "p_cert_key") is not None and _get(params, "p_cert_id") is not None

    def _items(self, rows: list[dict[str, Any]]) -> Any:
        if self.shape == "xml-derived" and len(rows) == 1:
            return rows[0]
        return rows

    def _data_doc(self, condition: Any, fn: Callable[[], list[dict[str, Any]]]) -> dict[str, Any]:
        try:
            rows = fn()
        except KamisError as e:
            return {"condition": condition, "data": [e.code]}
        return {"condition": condition, "data": {"error_code": "000", "item": self._items(rows)}}

    def _region(self, code: str | None, cls: str) -> str | None:
        if code is not None and code not in self.catalog.regions_for(cls):
            raise KamisError("200")
        return code

    @staticmethod
    def _category(code: str) -> str:
        if code not in CATEGORIES:
            raise KamisError("200")
        return code

    def _region_name(self, code: str) -> str:
        return self.catalog.retail_regions[code]

    # -- dailyPriceByCategoryList ------------------------------------------------------------
    def category(self, params: Mapping[str, str]) -> dict[str, Any]:
        """일별 부류별 도.소매가격정보: one row per (item, kind, rank) with 7 day columns."""
        cls = _get(params, "p_product_cls_code") or WHOLESALE
        cat = _get(params, "p_item_category_code") or "100"
        region = _get(params, "p_country_code")
        regday = _get(params, "p_regday")
        conv = "Y" if _get(params, "p_convert_kg_yn") == "Y" else "N"
        condition = [
            {
                "p_product_cls_code": cls,
                "p_country_code": _echo(region),
                "p_regday": _echo(regday),
                "p_convert_kg_yn": conv,
                "p_category_code": cat,
                "p_cert_key": _echo(_get(params, "p_cert_key")),
                "p_cert_id": _echo(_get(params, "p_cert_id")),
                "p_returntype": params.get("p_returntype") or "xml",
            }
        ]

        def rows() -> list[dict[str, Any]]:
            if cls not in (RETAIL, WHOLESALE) or regday is None:
                raise KamisError("200")
            self._category(cat)
            reg = self._region(region, cls)
            d = parse_day(regday)
            assert d is not None
            if not self._authorised(params):
                raise KamisError("900")
            if d > self.today or (cat != "500" and not is_produce_survey_day(d)):
                raise KamisError("001")
            series = self.catalog.by_cls_cat.get((cls, cat), [])
            if not series:
                raise KamisError("001")
            rows = [self._category_row(s, reg, d, conv == "Y") for s in series]
            if self.unpublished(d):  # 000 with every price of the day "-", like KAMIS then
                for row in rows:
                    row["dpr1"] = "-"
            return rows

        return self._data_doc(condition, rows)

    def _category_row(self, s: Series, region: str | None, d: date, per_kg: bool) -> dict[str, Any]:
        m = self.model
        days = [
            d,
            d - timedelta(1),
            d - timedelta(7),
            d - timedelta(14),
            minus_months(d, 1),
            minus_years(d, 1),
        ]
        if s.zero_price:
            values = ["0"] * 6
        else:
            values = [price_text(m.average(s, region, x, per_kg, True)) for x in days]
        normal = m.normal(s, region, d, per_kg)
        if s.livestock and self.shape == "2020":
            normal = None
        labels = [
            f"당일 ({d:%m/%d})", f"1일전 ({days[1]:%m/%d})", f"1주일전 ({days[2]:%m/%d})",
            f"2주일전 ({days[3]:%m/%d})", "1개월전", "1년전",
        ]  # fmt: skip
        row: dict[str, Any] = {
            "item_name": s.item_name, "item_code": s.item_code, "kind_name": s.kind_name,
            "kind_code": s.kind_code, "rank": s.rank_name, "rank_code": s.rank_code, "unit": s.unit,
        }  # fmt: skip
        for i, (label, value) in enumerate(zip(labels, values, strict=True), start=1):
            row[f"day{i}"] = label
            row[f"dpr{i}"] = value
        row["day7"] = "일평년"
        row["dpr7"] = price_text(normal)
        return row

    # -- period*ProductList ------------------------------------------------------------------
    def _window(self, params: Mapping[str, str], eco: bool = False) -> tuple[date, date, date]:
        """Return (start, end as echoed, last day served): end is clamped to today."""
        end = parse_day(_get(params, "p_endday")) or self.today
        start = parse_day(_get(params, "p_startday")) or minus_months(end, 1)
        if start > end:
            raise KamisError("200")
        if (end - start).days >= MAX_WINDOW_DAYS:
            raise KamisError("200")
        return start, min(end, self.today), min(end, self.today)

    def _item_params(
        self, params: Mapping[str, str], eco: bool = False
    ) -> tuple[str, str, str, str]:
        return (
            _get(params, "p_itemcategorycode") or "100",
            _get(params, "p_itemcode") or "111",
            _get(params, "p_kindcode") or ("02" if eco else "01"),
            _get(params, "p_productrankcode") or ("07" if eco else "04"),
        )

    def _period_condition(self, fields: dict[str, Any]) -> Any:
        return {"item": fields} if self.shape != "2020" else [fields]

    def period(self, action: str, params: Mapping[str, str]) -> dict[str, Any]:
        """신) 일별 품목별 소매/도매 가격자료 and 일별 품목별 도.소매가격정보 (grouped rows)."""
        fixed_cls, region_param = PERIOD_ACTIONS[action]
        cls = fixed_cls or (_get(params, "p_productclscode") or WHOLESALE)
        cat, item, kind, rank = self._item_params(params)
        region = _get(params, region_param)
        conv = "Y" if _get(params, "p_convert_kg_yn") == "Y" else "N"
        try:
            start, end_echo, last = self._window(params)
            start_s, end_s = start.isoformat(), end_echo.isoformat()
        except KamisError:
            start = end_echo = last = None  # type: ignore[assignment]
            start_s, end_s = _get(params, "p_startday"), _get(params, "p_endday")
        condition = self._period_condition(
            {
                "p_startday": _echo(start_s), "p_endday": _echo(end_s),
                "p_itemcategorycode": cat, "p_itemcode": item, "p_kindcode": kind,
                "p_productrankcode": rank, "p_countycode": _echo(region), "p_convert_kg_yn": conv,
                "p_key": _echo(_get(params, "p_cert_key")), "p_id": _echo(_get(params, "p_cert_id")),
                "p_returntype": params.get("p_returntype") or "xml",
            }
        )  # fmt: skip

        def rows() -> list[dict[str, Any]]:
            if cls not in (RETAIL, WHOLESALE) or start is None:
                raise KamisError("200")
            self._category(cat)
            reg = self._region(region, cls)
            if not self._authorised(params):
                raise KamisError("900")
            s = self.catalog.by_key.get((cls, item, kind, rank))
            if s is None or s.category != cat or start > self.today or s.zero_price:
                raise KamisError("001")
            return self._period_rows(s, reg, days_between(start, last), conv == "Y")

        return self._data_doc(condition, rows)

    def _period_rows(self, s: Series, region: str | None, window: list[date], per_kg: bool
                     ) -> list[dict[str, Any]]:  # fmt: skip
        m, e = self.model, self.empty
        dated = [(d, a) for d in window if (a := m.average(s, region, d, per_kg, True)) is not None]
        if not dated:
            raise KamisError("001")
        days = [d for d, _ in dated]
        hidden = {d for d in days if self.unpublished(d)}  # today before publication: "-"
        dated = [(d, None if d in hidden else a) for d, a in dated]

        def agg(name: str, d: date, value: int | None) -> dict[str, Any]:
            return {
                "itemname": e, "kindname": e, "countyname": name, "marketname": e,
                "yyyy": f"{d.year}", "regday": f"{d:%m/%d}", "price": price_text(value),
            }  # fmt: skip

        out = [agg("평균", d, a) for d, a in dated]
        out += [agg("평년", d, m.normal(s, region, d, per_kg)) for d in days]
        for market, prices in m.market_rows(s, region, days, per_kg):
            prices = [None if d in hidden else p for d, p in zip(days, prices, strict=True)]
            for d, p in zip(days, prices, strict=True):
                out.append(
                    {
                        "itemname": s.item_name, "kindname": s.kind_name,
                        "countyname": market.region_name,
                        "marketname": market.name if market.name is not None else e,
                        "yyyy": f"{d.year}", "regday": f"{d:%m/%d}", "price": price_text(p),
                    }
                )  # fmt: skip
        return out

    # -- EcoPriceList / periodEcoPriceList ---------------------------------------------------
    def _eco_condition(self, params: Mapping[str, str], dates: dict[str, Any], ids: tuple) -> Any:
        cat, item, kind, rank = ids
        return [
            {
                **dates, "p_itemcategorycode": cat, "p_itemcode": item, "p_kindcode": kind,
                "p_productrankcode": rank, "p_countycode": _echo(_get(params, "p_countrycode")),
                "p_convert_kg_yn": "Y" if _get(params, "p_convert_kg_yn") == "Y" else "N",
                "p_key": _echo(_get(params, "p_cert_key")), "p_id": _echo(_get(params, "p_cert_id")),
                "p_returntype": params.get("p_returntype") or "xml",
            }
        ]  # fmt: skip

    def _eco_series(self, params: Mapping[str, str], ids: tuple) -> tuple[Series, str | None]:
        cat, item, kind, rank = ids
        self._category(cat)
        region = self._region(_get(params, "p_countrycode"), RETAIL)
        if not self._authorised(params):
            raise KamisError("900")
        s = self.catalog.by_key.get((ECO, item, kind, rank))
        if s is None or s.category != cat:
            raise KamisError("001")
        return s, region

    def _eco_day_rows(self, s: Series, region: str | None, d: date, per_kg: bool
                      ) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:  # fmt: skip
        rows = []
        for market in self.catalog.markets_for(s, region):
            p = self.model.market_price(s, market, d, per_kg)
            if p is not None:
                rows.append(
                    {"seqnum": "2", "countyname": market.region_name, "marketname": market.name,
                     "unit": s.unit, "regday": d.isoformat(), "price": price_text(p)}
                )  # fmt: skip
        if not rows:
            return None
        avg = self.model.average(s, region, d, per_kg, False)
        head = {"seqnum": "1", "countyname": "평균", "marketname": None, "unit": s.unit,
                "regday": d.isoformat(), "price": price_text(avg)}  # fmt: skip
        return head, rows

    def eco(self, params: Mapping[str, str]) -> dict[str, Any]:
        """친환경농산물 품목별가격정보: the latest weekly eco survey on or before p_regday."""
        ids = self._item_params(params, eco=True)
        given = _get(params, "p_regday")
        try:
            day = parse_day(given)
        except KamisError:
            day = None
        if given is None:
            regday_echo: Any = self.latest_published(eco=True).isoformat()
        else:
            regday_echo = given
        condition = self._eco_condition(params, {"p_regday": regday_echo}, ids)

        def rows() -> list[dict[str, Any]]:
            d = parse_day(given) if given is not None else self.today
            s, region = self._eco_series(params, ids)
            assert d is not None
            if d > self.today:
                raise KamisError("001")
            survey = latest_survey_day(d, eco=True)
            if self.unpublished(survey):
                survey = latest_survey_day(survey - timedelta(days=1), eco=True)
            got = self._eco_day_rows(s, region, survey, _get(params, "p_convert_kg_yn") == "Y")
            if got is None:
                raise KamisError("001")
            return [got[0], *got[1]]

        del day
        return self._data_doc(condition, rows)

    def period_eco(self, params: Mapping[str, str]) -> dict[str, Any]:
        """친환경 기간별 가격: 평균 rows (seqnum 1) per survey day, then channel rows (seqnum 2)."""
        ids = self._item_params(params, eco=True)
        try:
            start, end_echo, last = self._window(params)
            dates: dict[str, Any] = {
                "p_startday": start.isoformat(),
                "p_endday": end_echo.isoformat(),
            }
        except KamisError:
            start = last = None  # type: ignore[assignment]
            dates = {
                "p_startday": _echo(_get(params, "p_startday")),
                "p_endday": _echo(_get(params, "p_endday")),
            }
        condition = self._eco_condition(params, dates, ids)

        def rows() -> list[dict[str, Any]]:
            if start is None:
                raise KamisError("200")
            s, region = self._eco_series(params, ids)
            if start > self.today:
                raise KamisError("001")
            per_kg = _get(params, "p_convert_kg_yn") == "Y"
            heads, body = [], []
            for d in days_between(start, last):
                if self.unpublished(d) or not is_eco_survey_day(d):
                    continue
                if got := self._eco_day_rows(s, region, d, per_kg):
                    heads.append(got[0])
                    body.extend(got[1])
            if not heads:
                raise KamisError("001")
            body.sort(
                key=lambda r: (
                    self.catalog.region_by_name[r["countyname"]],
                    r["marketname"],
                    r["regday"],
                )
            )
            return heads + body

        return self._data_doc(condition, rows)

    # -- dailyCountyList ---------------------------------------------------------------------
    def county(self, params: Mapping[str, str]) -> dict[str, Any]:
        """최근일자 지역별 도.소매가격정보(상품 기준): top grade only, latest survey day."""
        code = _get(params, "p_countycode") or "1101"
        condition = [
            {
                "p_countycode": code,
                "p_cert_key": _echo(_get(params, "p_cert_key")),
                "p_cert_id": _echo(_get(params, "p_cert_id")),
                "p_returntype": params.get("p_returntype") or "xml",
            }
        ]
        if code not in self.catalog.retail_regions:
            return {"condition": condition, "error_code": "200", "price": []}
        if not self._authorised(params):
            return {"condition": condition, "error_code": "900", "price": []}
        rows = self.county_rows(code)
        if not rows:
            return {"condition": condition, "error_code": "001", "price": []}
        return {"condition": condition, "error_code": "000", "price": rows}

    def top_grade_series(self, cls: str) -> list[Series]:
        """Return the top grade of every produce (item, kind) of a class (상품 기준)."""
        best: dict[tuple[str, str], Series] = {}
        for s in self.catalog.series:
            if s.cls != cls or s.livestock:
                continue
            cur = best.get((s.item_code, s.kind_code))
            if (
                cur is None
                or (s.rank_code == "04")
                or (cur.rank_code != "04" and s.rank_code < cur.rank_code)
            ):
                best[(s.item_code, s.kind_code)] = s
        return sorted(best.values(), key=lambda s: (s.category, s.item_code, s.kind_code))

    def county_rows(self, code: str) -> list[dict[str, Any]]:
        """Return dailyCountyList rows for a region: the latest survey day on or before today."""
        m = self.model
        latest = self.latest_published()
        prev = previous_survey_day(latest)
        out = []
        classes = [RETAIL] + ([WHOLESALE] if code in self.catalog.wholesale_regions else [])
        for cls in classes:
            for s in self.top_grade_series(cls):
                p1 = m.average(s, code, latest, False, True)
                if p1 is None:
                    continue
                p2 = m.average(s, code, prev, False, True)
                p3 = m.average(s, code, minus_months(latest, 1), False, True)
                p4 = m.average(s, code, minus_years(latest, 1), False, True)
                direction, value = "2", "0.0"
                if p2:
                    change = (p1 - p2) / p2 * 100
                    direction = "1" if p1 > p2 else ("0" if p1 < p2 else "2")
                    value = f"{round_half_up(abs(change) * 10) / 10:.1f}"
                name = f"{s.item_name}/{s.kind_name}"
                out.append(
                    {
                        "county_code": code, "county_name": self._region_name(code),
                        "product_cls_code": cls, "product_cls_name": "소매" if cls == RETAIL else "도매",
                        "category_code": s.category, "category_name": CATEGORY_NAMES[s.category],
                        "productno": str(1000 + s.idx), "lastest_day": latest.isoformat(),
                        "productName": name, "item_name": name, "unit": s.unit,
                        "day1": "당일", "dpr1": price_text(p1, []), "day2": "1일전", "dpr2": price_text(p2, []),
                        "day3": "1개월전", "dpr3": price_text(p3, []), "day4": "1년전", "dpr4": price_text(p4, []),
                        "direction": direction, "value": value,
                    }
                )  # fmt: skip
        return out

    # -- productInfo -------------------------------------------------------------------------
    def product_info(self, params: Mapping[str, str]) -> dict[str, Any]:
        """품목 코드표: the code table, empty fields as ``[]`` (answers without auth, like the real one)."""
        keys = [
            "itemcategorycode", "itemcategoryname", "itemcode", "itemname", "kindcode", "kindname",
            "wholesale_unit", "wholesale_unitsize", "retail_unit", "retail_unitsize", "eco_unit",
            "eco_unitsize", "whole_productrankcode", "retail_productrankcode",
            "new_natreu_productrankcode",
        ]  # fmt: skip
        info = [
            {k: (v if v else []) for k, v in zip(keys, row.values(), strict=True)}
            for row in self.catalog.jig
        ]
        return {"condition": [[[]]], "error_code": "000", "info": info}
