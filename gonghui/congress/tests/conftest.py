import pytest

from gonghui.proposals.selectors.proposals import similar_index_forget
from gonghui.proposals.services.similar_index import similar_index_build
from gonghui.proposals.tests.factories import congress_world


@pytest.fixture
def pw(university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    similar_index_forget()
    world = congress_world(university)
    similar_index_build()  # what the task worker does once the proposals are submitted
    return world
