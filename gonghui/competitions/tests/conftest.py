import pytest

from gonghui.competitions.tests.factories import competition_world


@pytest.fixture
def w(clock, university, settings, tmp_path):
    """The competition world at the root conftest's fixed moment (2021-03-15 10:00; the clock
    ticks on): the edition is a draft whose nominations can open."""
    settings.MEDIA_ROOT = str(tmp_path)
    return competition_world(university)
