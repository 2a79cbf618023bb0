import datetime

import pytest

from gonghui.insurance.presets import editions_create


@pytest.fixture
def office(university):
    return university.users["union_office"]


@pytest.fixture
def editions_2021(university, office):
    """The three adopted 2021 editions (start 2021-07-01): 住院津贴, 重大疾病, 女工特疾."""
    hospital, illness, female = editions_create(actor=office, year=2021)
    return {"ZYJT": hospital, "ZDJB": illness, "NGTJ": female}


@pytest.fixture
def start():
    return datetime.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Imports and claim documents keep their files under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path)
