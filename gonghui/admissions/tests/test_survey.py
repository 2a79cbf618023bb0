"""The demand survey: lines pre-filled for the children of active staff whose stage comes up
in the year (idempotent), answered by the parent, their officer or the admissions officer;
refusals with their message and nothing written; the board per sub-union (counting parents,
with the children added up); reminders."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.admissions.choices import Housing, Need, Stage
from gonghui.admissions.models import SurveyLine
from gonghui.admissions.selectors.survey import own_lines, survey_board, survey_board_totals, survey_lines
from gonghui.admissions.services.campaigns import campaign_open_survey
from gonghui.admissions.services.children import child_record_save
from gonghui.admissions.services.survey import survey_answer, survey_prefill, survey_remind
from gonghui.admissions.tests.conftest import counts
from gonghui.core.exceptions import ApplicationError
from gonghui.notifications.models import Notification
from gonghui.people.models import Child

pytestmark = pytest.mark.django_db

d = datetime.date


def _lines(campaign):
    return sorted(SurveyLine.objects.filter(campaign=campaign).values_list("child__name", "stage", "parent__staff_no"))


def _line(w, kid):
    return SurveyLine.objects.get(campaign=w.campaign, child=w.kids[kid])


def test_prefill_the_children_whose_stage_comes_up_once(w):
    child_record_save(
        actor=w.parent, child=w.kids["xiaoming"], relation="child", hukou_district="海淀区", housing="owned"
    )
    campaign = campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    assert campaign.status == "survey"
    # not 张小红 (nursery in 2022), not 赵小宝 (his father is retired)
    assert _lines(w.campaign) == [
        ("张小明", Stage.PRIMARY, "E0001"),
        ("李小雨", Stage.NURSERY, "E0002"),
        ("王小军", Stage.JUNIOR, "L0001"),
    ]
    line = _line(w, "xiaoming")
    assert (line.hukou_district, line.housing, line.need, line.answered_at) == ("海淀区", "owned", "", None)
    assert survey_prefill(campaign=w.campaign) == 0  # idempotent
    Child.objects.create(parent=w.u.zhang, name="张小亮", gender="M", birth_date=d(2016, 8, 31))  # primary 2022: no
    Child.objects.create(parent=w.u.officer_person, name="陈小文", gender="F", birth_date=d(2015, 8, 31))
    assert survey_prefill(campaign=w.campaign) == 1
    assert SurveyLine.objects.filter(campaign=w.campaign).count() == 4


def test_answers_by_the_parent_the_officer_and_the_admissions_officer(w):
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    line = survey_answer(
        actor=w.parent,
        line=_line(w, "xiaoming"),
        need=Need.YES,
        school=w.schools["fx"],
        alternative=w.schools["fx2"],
        hukou_district="海淀区",
        housing=Housing.RENTED,
    )
    assert (line.need, line.school, line.alternative, line.answered_by) == (
        Need.YES,
        w.schools["fx"],
        w.schools["fx2"],
        w.parent,
    )
    # 李娜 is in the economics union group: the economics officer answers for her
    line = survey_answer(actor=w.officer, line=_line(w, "xiaoyu"), need=Need.UNDECIDED, school=w.schools["gj"])
    assert (line.need, line.answered_by) == (Need.UNDECIDED, w.officer)
    line = survey_answer(actor=w.admissions, line=_line(w, "xiaojun"), need=Need.NO, school=w.schools["fz"])
    assert (line.need, line.school) == (Need.NO, None)  # no school kept when no place is needed
    # changed while the survey is open
    line = survey_answer(actor=w.parent, line=_line(w, "xiaoming"), need=Need.NO)
    assert (line.need, line.school, line.alternative) == (Need.NO, None, None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"need": Need.YES}, "需要学位时请选择意向学校。"),
        ({"need": "maybe"}, "请选择是否需要学位。"),
        ({"need": Need.YES, "school": "fz"}, "附属中学（中学）不招收幼升小的子女。"),
        ({"need": Need.YES, "school": "fx", "alternative": "fx"}, "备选学校不能与意向学校相同。"),
        ({"need": Need.YES, "school": "fx", "alternative": "gj"}, "共建幼儿园（幼儿园）不招收幼升小的子女。"),
        ({"need": Need.YES, "school": "fx", "housing": "castle"}, "请选择住房情况。"),
    ],
)
def test_a_wrong_answer_is_refused_and_nothing_written(w, kwargs, message):
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    values = dict(kwargs)
    for key in ("school", "alternative"):
        if key in values:
            values[key] = w.schools[values[key]]
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        survey_answer(actor=w.parent, line=_line(w, "xiaoming"), **values)
    assert refused.value.message == message
    assert counts() == before
    assert _line(w, "xiaoming").answered_at is None


def test_no_answer_outside_the_survey(w, clock):
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    line = _line(w, "xiaoming")
    clock.move_to(datetime.datetime(2021, 5, 1, 9, 0))
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        survey_answer(actor=w.parent, line=line, need=Need.NO)
    assert refused.value.message == "需求摸底已于 2021-04-30 截止。"
    from gonghui.admissions.services.campaigns import campaign_open_requests

    campaign_open_requests(actor=w.admissions, campaign=w.campaign)
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        survey_answer(actor=w.parent, line=line, need=Need.NO)
    assert refused.value.message == "2021年教职工子女入托入学当前为“受理申请”，不在需求摸底阶段。"
    assert counts() == before


def _board(rows):
    return {
        row["sub_union"].code: tuple(
            row[k] for k in ("eligible", "answered", "yes", "no", "undecided", "pending", "children", "children_yes")
        )
        for row in rows
    }


def test_the_board_per_sub_union_counts_parents_and_adds_up_children(w):
    Child.objects.create(parent=w.u.zhang, name="张小亮", gender="M", birth_date=d(2015, 2, 2))  # primary 2021 too
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    rows = survey_board(campaign=w.campaign, user=w.admissions)
    #                 eligible answered yes no undecided pending children children_yes
    assert _board(rows) == {"ECON": (2, 0, 0, 0, 0, 2, 3, 0), "LAW": (1, 0, 0, 0, 0, 1, 1, 0)}
    survey_answer(actor=w.parent, line=_line(w, "xiaoming"), need=Need.YES, school=w.schools["fx"])
    # 张伟 answered for one child of two: not answered yet
    assert _board(survey_board(campaign=w.campaign, user=w.admissions))["ECON"] == (2, 0, 0, 0, 0, 2, 3, 1)
    zhang_second = SurveyLine.objects.get(campaign=w.campaign, child__name="张小亮")
    survey_answer(actor=w.parent, line=zhang_second, need=Need.NO)
    survey_answer(actor=w.users["li"], line=_line(w, "xiaoyu"), need=Need.UNDECIDED)
    survey_answer(actor=w.users["wang"], line=_line(w, "xiaojun"), need=Need.NO)
    rows = survey_board(campaign=w.campaign, user=w.admissions)
    assert _board(rows) == {"ECON": (2, 2, 1, 0, 1, 0, 3, 1), "LAW": (1, 1, 0, 1, 0, 0, 1, 0)}
    assert survey_board_totals(rows) == {
        "eligible": 3,
        "answered": 3,
        "yes": 1,
        "no": 1,
        "undecided": 1,
        "pending": 0,
        "children": 4,
        "children_yes": 1,
    }
    # the economics officer: their own row; the law officer theirs; the office and the auditor none
    assert list(_board(survey_board(campaign=w.campaign, user=w.officer))) == ["ECON"]
    assert list(_board(survey_board(campaign=w.campaign, user=w.users["law_officer"]))) == ["LAW"]
    assert survey_board(campaign=w.campaign, user=w.office) == []
    assert survey_board(campaign=w.campaign, user=w.users["auditor"]) == []


def test_lines_lists(w):
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    survey_answer(actor=w.parent, line=_line(w, "xiaoming"), need=Need.NO)
    names = lambda qs: sorted(line.child.name for line in qs)  # noqa: E731  (ordered by sub-union)
    assert names(survey_lines(campaign=w.campaign, user=w.admissions)) == sorted(["张小明", "李小雨", "王小军"])
    assert names(survey_lines(campaign=w.campaign, user=w.admissions, pending=True)) == sorted(["李小雨", "王小军"])
    assert names(survey_lines(campaign=w.campaign, user=w.admissions, sub_union=w.u.law)) == ["王小军"]
    assert names(survey_lines(campaign=w.campaign, user=w.officer)) == sorted(["张小明", "李小雨"])
    assert names(own_lines(w.parent, w.campaign)) == ["张小明"]
    assert names(own_lines(w.users["li"], w.campaign)) == ["李小雨"]
    assert names(own_lines(w.admissions, w.campaign)) == []


def test_remind_a_sub_union_behind(w):
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    survey_answer(actor=w.users["wang"], line=_line(w, "xiaojun"), need=Need.NO)
    # the parents still to answer (张伟, 李娜) and the economics officer
    assert survey_remind(actor=w.office, campaign=w.campaign, sub_union=w.u.econ) == 3
    assert sorted(
        Notification.objects.filter(kind="admissions.survey").values_list("recipient__username", flat=True)
    ) == [
        "E0001",
        "E0002",
        "E0099",
    ]
    # law has nobody pending: only its officer hears
    assert survey_remind(actor=w.users["law_officer"], campaign=w.campaign, sub_union=w.u.law) == 1
    before = counts()
    with pytest.raises(PermissionDenied):
        survey_remind(actor=w.users["law_officer"], campaign=w.campaign, sub_union=w.u.econ)
    with pytest.raises(PermissionDenied):
        survey_remind(actor=w.parent, campaign=w.campaign, sub_union=w.u.econ)
    assert counts() == before
