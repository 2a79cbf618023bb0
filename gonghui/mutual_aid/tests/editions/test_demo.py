"""The demo university's mutual-aid rules: 2020 and 2021 adopted, a 2022 draft revision."""

from decimal import Decimal

import pytest

from gonghui.mutual_aid.demo import mutual_aid_demo_build
from gonghui.mutual_aid.models import SchemeEdition, SubsidyBand
from gonghui.mutual_aid.selectors.editions import edition_comparison, edition_for_cost_year

D = Decimal
pytestmark = pytest.mark.django_db


def test_demo_editions_are_built_once(university):  # the fixture's "office" user is the demo office
    assert mutual_aid_demo_build().created == [2020, 2021, 2022]
    assert mutual_aid_demo_build().created == []
    assert list(SchemeEdition.objects.order_by("year").values_list("year", "status")) == [
        (2020, "adopted"),
        (2021, "adopted"),
        (2022, "draft"),
    ]
    e2021 = edition_for_cost_year(year=2021)
    assert (e2021.fee_active, e2021.annual_cap, e2021.lifetime_cap, e2021.waiting_months) == (
        D("120.00"),
        D("30000.00"),
        D("150000.00"),
        12,
    )
    assert list(
        SubsidyBand.objects.filter(rule__edition=e2021).order_by("lower").values_list("lower", "upper", "rate")
    ) == [
        (D("3000.00"), D("10000.00"), D("0.5000")),
        (D("10000.00"), D("30000.00"), D("0.6000")),
        (D("30000.00"), None, D("0.7000")),
    ]
    assert e2021.diseases.count() == 8
    assert list(e2021.required_documents.filter(kind="inpatient").values_list("name", flat=True)) == [
        "医疗费用发票",
        "出院小结",
        "费用明细清单",
        "诊断证明",
    ]
    draft = SchemeEdition.objects.get(year=2022)
    changed = edition_comparison(a=e2021, b=draft)["changed"]
    assert "补助规则 #1 · 起付线" in changed and "累计封顶" in changed and "病种 #9 · 代码" in changed
    assert "在职会费" not in changed


def test_demo_editions_need_the_demo_office(db):
    assert mutual_aid_demo_build().created == []
    assert SchemeEdition.objects.count() == 0
