import pytest

from gonghui.deliberations.tests.factories import deliberation_world


@pytest.fixture
def w(clock, university, settings, tmp_path):
    """The deliberation world at the root conftest's fixed moment (2021-03-15 10:00, a
    Monday; the clock ticks on)."""
    settings.MEDIA_ROOT = str(tmp_path)
    return deliberation_world(university)
