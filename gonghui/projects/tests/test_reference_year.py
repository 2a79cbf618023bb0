"""The reference year (issue 18, DOMAIN §2): the full-size demo university's 2021 is the
university's bulletin of 2021-11-09, figure for figure — in `annual_report --year 2021`, and in
the bulletin the demo composed from the modules' live figures and published, and again in one
regenerated from today's figures. Every figure is checked against the seed bulletin's own text
(tests/data/bulletin-2021-11-09.txt, quoted below), so a figure here cannot drift from it."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from gonghui.projects.choices import BulletinStatus
from gonghui.projects.models import Bulletin, PracticalProject
from gonghui.projects.selectors.bulletin_pdf import bulletin_pdf
from gonghui.projects.services import bulletins as bulletin_services
from tests.pdf import pdf_text

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.once]

# The seed bulletin's sentences with its figures, as printed (line breaks removed).
SEED = (
    "2021年度，已完成1383名在职教职工医疗互助会互助金的扣缴工作",
    "为在职教职工发放50202.51元，为离退休人员发放352551.88元",
    "住院津贴投保1759人，重大疾病投保1759人，女工特疾投保1005人，投保保费总计201025元",
    "为教职工办理出险理赔8人次，共计61040元",
    "我校共有799名在职教职工和253名离退休人员参保",
)
# The same sentences as the demo's bulletin words them (its text quotes the figures).
REGENERATED = (
    "2021年度，已完成1383名在职教职工医疗互助会互助金的扣缴工作",
    "为在职教职工发放50202.51元，为离退休人员发放352551.88元",
    "住院津贴投保1759人，重大疾病投保1759人，女工特疾投保1005人，投保保费总计201025元",
    "为教职工办理出险理赔8人次，共计61040元",
    "我校共有799名在职教职工和253名离退休人员参保",
    # the demo's teachers are not the bulletin's real people (their names stay out of it)
    "获得人文科学类A组一等奖、最佳教案奖和最佳现场展示奖",
    "获得人文科学类A组二等奖",
    "获得优秀指导教师奖",
    "已举办12届",
    "参加了北京市的8次比赛",
    "共组织了7届",
)


SEED_FILE = Path(__file__).parent / "data" / "bulletin-2021-11-09.txt"  # the bulletin as published


def _seed_text() -> str:
    return re.sub(r"\s+", "", SEED_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full-size demo university, every module's builder run, once for this module, inside a
    transaction rolled back when the module is done (as conftest's `university_of_module`)."""
    from django.db import transaction
    from django.test import override_settings

    media = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("demo_university", stdout=io.StringIO())
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo, db, settings):
    settings.MEDIA_ROOT = _demo


def test_the_seed_sentences_are_the_bulletin_s():
    text = _seed_text()
    for sentence in SEED:
        assert re.sub(r"\s+", "", sentence) in text, sentence


def test_annual_report_2021_prints_the_bulletin_s_figures(demo):
    out = io.StringIO()
    call_command("annual_report", "--year", "2021", "--format", "json", stdout=out)
    sections = json.loads(out.getvalue())["sections"]
    figures = {key: value for section in sections.values() for key, value in section.items()}
    assert figures["mutual_aid.fees_deducted_members"] == 1383
    assert figures["mutual_aid.subsidies_paid_active"] == "50202.51"
    assert figures["mutual_aid.subsidies_paid_retired"] == "352551.88"
    assert (
        figures["insurance.insured_zyjt"],
        figures["insurance.insured_zdjb"],
        figures["insurance.insured_ngtj"],
    ) == (
        1759,
        1759,
        1005,
    )
    assert figures["insurance.premium"] == "201025.00"
    assert (figures["insurance.claims_paid_count"], figures["insurance.claims_paid_sum"]) == (8, "61040.00")
    assert (figures["drives.enrolled_active"], figures["drives.enrolled_retired"]) == (799, 253)
    assert (figures["mentorship.cohorts_total"], 300 <= figures["mentorship.pairs_total"] < 400) == (7, True)
    assert (figures["competitions.editions_held"], figures["competitions.editions_entered"]) == (12, 8)
    assert figures["competitions.participants_total"] >= 400
    # the July 2021 results: one first prize (with the best lesson plan and best demonstration), two
    # second prizes, one coach's award, as the bulletin (the demo's teachers are not its real people)
    assert (figures["competitions.awards_first"], figures["competitions.awards_second"]) == (1, 2)
    assert (figures["competitions.awards_special"], figures["competitions.awards_coach"]) == (2, 1)
    # never an appraisal's result in the union's report
    assert not [key for key in figures if key.startswith("appraisals.") and ("result" in key or "score" in key)]


def test_the_kindergarten_is_a_project_born_of_a_proposal(demo):
    project = PracticalProject.objects.get(title__contains="共建幼儿园")
    assert (project.batch.year, project.origin, project.done_on) == (2020, "proposal", datetime.date(2020, 9, 1))
    assert project.origin_proposal.title == "关于与朝阳区教委共建幼儿园、缓解教职工子女入园难的提案"
    assert project.status == "closed_off"


def _flat(data: bytes) -> str:
    return re.sub(r"\s+", "", pdf_text(data))


def test_the_published_and_a_regenerated_bulletin_print_every_figure_of_the_seed(demo):
    published = Bulletin.objects.get(series__name="我为群众办实事", issue_no=4, status=BulletinStatus.PUBLISHED)
    assert published.date == datetime.date(2021, 11, 9)
    text = _flat(bulletin_pdf(published))
    for sentence in REGENERATED:
        assert sentence in text, sentence

    # regenerated: the same sections, published again from the modules' figures of today
    from gonghui.accounts.models import User

    office = User.objects.get(username="office")
    again = bulletin_services.bulletin_create(
        actor=office,
        series=published.series,
        issue_no=99,
        date=datetime.date(2021, 12, 31),
        title=published.title,
        subtitle=published.subtitle,
        column=published.column,
        figures_year=2021,
    )
    for section in published.sections.all():
        bulletin_services.section_save(actor=office, bulletin=again, heading=section.heading, body=section.body)
    bulletin_services.bulletin_publish(actor=office, bulletin=again)
    assert {f.key: f.value for f in again.figures.all()} == {f.key: f.value for f in published.figures.all()}
    regenerated = _flat(bulletin_pdf(again))
    for sentence in REGENERATED:
        assert sentence in regenerated, sentence
    seed = _seed_text()
    for sentence in SEED:
        assert re.sub(r"\s+", "", sentence) in seed and sentence in regenerated, sentence
