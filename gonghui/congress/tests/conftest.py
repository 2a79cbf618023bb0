import pytest

from gonghui.proposals.similarity import cache_clear
from gonghui.proposals.tests.factories import congress_world


@pytest.fixture
def pw(university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    cache_clear()
    return congress_world(university)
