import re

import pytest

from dashboard.components.today import SOURCES, source_of
from spark_jobs.gold.mart_update_status import SOURCES as STATUS_SOURCES

pytestmark = pytest.mark.unit


def test_every_source_of_mart_update_status_has_a_korean_name_and_its_own_threshold():
    # The real pipeline's status lists raw actions and silver tables; a table name such as
    # 'stg_weekly_eco_price' once reached the page ("stg_weekly_eco_price가 4일 늦었어요").
    for s in STATUS_SOURCES:
        assert s.source_nm in SOURCES, s.source_nm
        assert re.search("[가-힣]", source_of(s.source_nm).name_ko), s.source_nm
    # weekly eco prices (raw and silver) may be 10 days old; a Tuesday-dated week is 4 days old
    # on Saturday, which must not warn
    assert source_of("stg_weekly_eco_price").stale_after_days == 10
    assert source_of("EcoPriceList").stale_after_days == 10
