import datetime
from zoneinfo import ZoneInfo

import pytest

from gonghui.proposals.similarity import cache_clear
from gonghui.proposals.tests.factories import congress_world

# A year after the 2021 session's replies were due (LONG_AGO in the tests is 2021-09-28).
PROPOSALS_NOW = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def pw(clock, university, settings, tmp_path):
    clock.move_to(PROPOSALS_NOW)
    settings.MEDIA_ROOT = str(tmp_path)
    cache_clear()
    return congress_world(university)
