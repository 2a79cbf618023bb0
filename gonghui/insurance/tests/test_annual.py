"""Group insurance's section of the annual report: the insured per plan of the editions starting
in the year (rejected lines out, cover ended during the term in), the people insured in any
plan counted once, the premium, the claims paid and their sum, the loss ratio; none for a year
without an adopted edition."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.accounts.system import system_actor
from gonghui.core.imports import import_confirm
from gonghui.core.registry import annual_figure, annual_section
from gonghui.core.reports import Ratio
from gonghui.insurance.annual import insurance_annual_section, plan_figure_key
from gonghui.insurance.models import PlanEnrollment
from gonghui.insurance.presets import editions_create
from gonghui.insurance.services import claims as svc
from gonghui.insurance.services.enrollment import enrollment_add, enrollment_end, enrollment_run, opt_out_record
from gonghui.insurance.services.rosters import roster_export_create
from gonghui.insurance.tests.helpers import acceptance_file, acceptance_start, pdf
from gonghui.people.choices import Gender
from gonghui.people.tests.factories import person_make

pytestmark = pytest.mark.django_db
D = datetime.date


def _figures(year: int) -> dict:
    section = insurance_annual_section(system_actor(), year)
    assert section is not None
    return {figure.key: figure.value for figure in section.figures}


def _submitted(office, claim, day):
    for name in claim.edition.required_documents:
        svc.claim_document_add(actor=office, claim=claim, name=name, uploaded_file=pdf())
    svc.claim_check(actor=office, claim=claim)
    return svc.claim_submit(actor=office, claim=claim, submitted_on=day)


@pytest.fixture
def year_2021(university, office):
    """The university's four active members (张伟; 李娜, 王芳, 陈静) and two more (a woman in econ,
    a man in law); the 2021 editions, adopted; through the services: 王芳 declines 女工特疾, the
    new man declines 重大疾病; the runs (住院津贴 6, 重大疾病 5, 女工特疾 3); 住院津贴's roster
    answered with the new woman rejected; 王芳's 住院津贴 ended in March 2022 (she left); claims:
    张伟's hospital stay paid 280, 李娜's listed disease paid 15,000, 陈静's critical illness
    refused, and a 2022 draft that is never adopted."""
    u = university
    woman = person_make(staff_no="X0001", name="周敏", gender=Gender.FEMALE, birth_date=D(1990, 2, 3), sub_union=u.econ)
    man = person_make(staff_no="X0002", name="吴强", birth_date=D(1980, 1, 1), sub_union=u.law)
    created = editions_create(actor=office, year=2021)
    editions = dict(zip(("ZYJT", "ZDJB", "NGTJ"), created, strict=True))
    opt_out_record(actor=office, edition=editions["NGTJ"], person=u.wang, reason="已参加其他保险")
    opt_out_record(actor=office, edition=editions["ZDJB"], person=man, reason="本人声明不参加")
    runs = {code: enrollment_run(actor=office, edition=edition).created for code, edition in editions.items()}
    assert runs == {"ZYJT": 6, "ZDJB": 5, "NGTJ": 3}
    roster = roster_export_create(actor=office, edition=editions["ZYJT"])
    answer = []
    for line in roster.lines.select_related("enrollment__person").order_by("seq"):
        person = line.enrollment.person
        refused = person.pk == woman.pk
        answer.append(
            (
                line.seq,
                person.name,
                person.id_number_clear(),
                "拒保" if refused else "承保",
                "身份信息不符" if refused else "",
            )
        )
    import_confirm(acceptance_start(office, roster, acceptance_file(answer)), actor=office)
    enrollment_end(
        actor=office,
        enrollment=PlanEnrollment.objects.get(edition=editions["ZYJT"], person=u.wang),
        on=D(2022, 3, 1),
        reason="调离",
    )
    hospital = svc.claim_report(
        actor=office,
        person=u.zhang,
        plan=editions["ZYJT"].plan,
        benefit_code="allowance",
        diagnosis="阑尾炎",
        admission_date=D(2021, 9, 1),
        discharge_date=D(2021, 9, 11),
        reported_on=D(2021, 9, 14),
        payout_account="6217000000000001",
    )
    _submitted(office, hospital, D(2021, 9, 20))
    svc.claim_pay(actor=office, claim=hospital, amount="280.00", paid_on=D(2021, 10, 10))
    listed = svc.claim_report(
        actor=office,
        person=u.li,
        plan=editions["NGTJ"].plan,
        benefit_code="listed",
        diagnosis="乳腺癌",
        event_date=D(2021, 10, 10),
        reported_on=D(2021, 10, 20),
        payout_account="6217000000000002",
    )
    _submitted(office, listed, D(2021, 10, 25))
    svc.claim_pay(actor=office, claim=listed, amount="15000.00", paid_on=D(2021, 11, 15))
    illness = svc.claim_report(
        actor=office,
        person=u.officer_person,
        plan=editions["ZDJB"].plan,
        benefit_code="illness",
        diagnosis="甲状腺结节",
        event_date=D(2021, 9, 20),
        reported_on=D(2021, 9, 25),
        payout_account="6217000000000003",
    )
    _submitted(office, illness, D(2021, 9, 30))
    svc.claim_refuse(actor=office, claim=illness, reason="不属于约定重大疾病", on=D(2021, 10, 20))
    editions_create(actor=office, year=2022, adopt=False)
    return editions


def test_the_year_figures(year_2021):
    # 住院津贴: 6 enrolled less the rejected one (王芳's, ended, still counts); 重大疾病: 5;
    # 女工特疾: 李娜, 陈静, 周敏; in any plan: the six, each once; premium 5×50 + 5×50 + 3×25;
    # paid: 280 + 15,000 (the refused claim does not count); 15,280 / 575
    assert _figures(2021) == {
        "insurance.insured_zyjt": 5,
        "insurance.insured_zdjb": 5,
        "insurance.insured_ngtj": 3,
        "insurance.insured_people": 6,
        "insurance.premium": Decimal("575.00"),
        "insurance.claims_paid_count": 2,
        "insurance.claims_paid_sum": Decimal("15280.00"),
        "insurance.loss_ratio": Decimal("26.5739"),
    }
    assert isinstance(_figures(2021)["insurance.loss_ratio"], Ratio)


def test_section_labels_units_and_charts(year_2021):
    section = annual_section(system_actor(), "insurance", 2021)
    assert section is not None
    assert (section.key, section.title) == ("insurance", "职工互助保障")
    assert [(f.key, f.label, f.unit, f.money) for f in section.figures] == [
        ("insurance.insured_zyjt", "住院津贴", "人", False),
        ("insurance.insured_zdjb", "重大疾病", "人", False),
        ("insurance.insured_ngtj", "女工特疾", "人", False),
        ("insurance.insured_people", "参保人员（不重复计）", "人", False),
        ("insurance.premium", "保费", "元", True),
        ("insurance.claims_paid_count", "已赔付理赔", "人次", False),
        ("insurance.claims_paid_sum", "理赔赔付金额", "元", True),
        ("insurance.loss_ratio", "赔付率", "", False),
    ]
    insured, money = section.charts
    assert (insured.kind, insured.title, insured.labels) == (
        "bar",
        "各计划参保人数",
        ("住院津贴", "重大疾病", "女工特疾"),
    )
    assert [int(v) for v in insured.series[0][1]] == [5, 5, 3]
    assert (money.kind, money.value_format, money.labels) == ("bar", "yuan", ("住院津贴", "重大疾病", "女工特疾"))
    assert [(name, [str(v) for v in values]) for name, values in money.series] == [
        ("保费", ["250.00", "250.00", "75.00"]),
        ("赔付", ["280.00", "0.00", "15000.00"]),
    ]
    assert annual_figure(system_actor(), "insurance.premium", 2021).value == Decimal("575.00")
    assert annual_figure(system_actor(), "insurance.claims_paid_count", 2021).value == 2
    assert plan_figure_key("NGTJ") == "insurance.insured_ngtj"


def test_a_year_without_an_adopted_edition_has_no_section(year_2021):
    # 2020: nothing; 2022: a draft only
    assert insurance_annual_section(system_actor(), 2020) is None
    assert insurance_annual_section(system_actor(), 2022) is None
    assert annual_figure(system_actor(), "insurance.premium", 2022) is None
    assert annual_figure(system_actor(), "insurance.insured_zyjt", 2020) is None


def test_queries_do_not_grow_with_the_insured(year_2021, university, office, django_assert_max_num_queries):
    actor = system_actor()
    insurance_annual_section(actor, 2021)  # the actor's roles read once
    with CaptureQueriesContext(connection) as before:
        insurance_annual_section(actor, 2021)
    for n in range(5):
        person = person_make(staff_no=f"X01{n:02d}", name="新人", sub_union=university.law)
        enrollment_add(actor=office, edition=year_2021["ZDJB"], person=person, on=D(2021, 9, 1))
    with django_assert_max_num_queries(len(before.captured_queries)):
        section = insurance_annual_section(actor, 2021)
    assert section is not None and section.figure("insurance.insured_zdjb").value == 10
    assert _figures(2021)["insurance.insured_people"] == 11
