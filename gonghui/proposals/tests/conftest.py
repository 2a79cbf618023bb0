import datetime
from zoneinfo import ZoneInfo

import pytest

from gonghui.proposals.selectors.proposals import similar_index_forget
from gonghui.proposals.services.similar_index import similar_index_build
from gonghui.proposals.tests.factories import congress_world

# A year after the 2021 session's replies were due (LONG_AGO in the tests is 2021-09-28).
PROPOSALS_NOW = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def pw(clock, university, settings, tmp_path):
    clock.move_to(PROPOSALS_NOW)
    settings.MEDIA_ROOT = str(tmp_path)
    similar_index_forget()
    world = congress_world(university)
    similar_index_build()  # what the task worker does once the proposals are submitted
    return world
