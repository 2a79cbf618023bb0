import pytest

from gonghui.appraisals.tests.factories import appraisal_world


@pytest.fixture
def w(clock, university, settings, tmp_path):
    """The appraisal world at the root conftest's fixed moment (2021-03-15 10:00; the clock
    ticks on): the round's reports can go out, its voting opens on the 20th."""
    settings.MEDIA_ROOT = str(tmp_path)
    return appraisal_world(university)
