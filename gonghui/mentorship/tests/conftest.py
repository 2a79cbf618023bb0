import pytest

from gonghui.mentorship.tests.factories import mentorship_world


@pytest.fixture
def w(clock, university, settings, tmp_path):
    """The mentorship world at the root conftest's fixed moment (2021-03-15 10:00; the clock
    ticks on): 第八期 is a draft whose matching can open."""
    settings.MEDIA_ROOT = str(tmp_path)
    return mentorship_world(university)
