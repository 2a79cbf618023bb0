"""The demo university shows the module: 2021 editions, the 不参保声明 recorded before the run,
enrollment, rosters answered with two rejections, claims paid what the editions' tables give;
the report agrees with the members' portal; the seed is idempotent. At full size its 2021
figures are the university's bulletin (DOMAIN §2)."""

from decimal import Decimal

import pytest

from gonghui.accounts.models import User
from gonghui.accounts.system import system_actor
from gonghui.core.registry import annual_section
from gonghui.insurance.demo import insurance_demo_build
from gonghui.insurance.models import OptOut, PlanClaim, PlanEnrollment, RosterLine
from gonghui.insurance.selectors.figures import insurance_report, person_cover
from gonghui.people.demo import demo_university_build
from gonghui.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_seed(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=0.05)
    counts = insurance_demo_build()
    assert set(counts) == {"ZYJT", "ZDJB", "NGTJ"} and all(counts.values())
    # a smaller university: the same people decline both plans, so both insure as many
    assert counts["ZYJT"] == counts["ZDJB"] == round(1759 * 0.05)
    assert set(OptOut.objects.filter(edition__plan__code="ZYJT").values_list("person", flat=True)) == set(
        OptOut.objects.filter(edition__plan__code="ZDJB").values_list("person", flat=True)
    )
    assert RosterLine.objects.filter(result="rejected").count() == 2
    # three claims, one per plan, each paid what the edition's table gives
    assert list(
        PlanClaim.objects.order_by("pk").values_list("edition__plan__code", "status", "paid_amount", "flags")
    ) == [
        ("ZYJT", "paid", Decimal("280.00"), []),
        ("NGTJ", "paid", Decimal("15000.00"), []),
        ("ZDJB", "paid", Decimal("10000.00"), []),
    ]
    assert PlanClaim.objects.order_by("pk").first().person.staff_no == "100001"
    assert insurance_demo_build() == {}
    figures = insurance_report(user=User.objects.get(username="office"), year=2021).figures
    total = sum(
        (line["premium"] for p in Person.objects.all() for line in person_cover(person=p, year=2021)), Decimal("0")
    )
    assert f"{total:.2f}" == str(figures["total"]["premium"])
    assert figures["total"]["insured"] == PlanEnrollment.objects.exclude(status="rejected").count()
    assert str(figures["total"]["paid"]) == "25280.00"


@pytest.mark.once  # the full-size demo: built once, in the SQLite pass (README)
def test_the_full_demo_is_the_2021_bulletin(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=1.0)
    # 女工特疾: two of the 1,007 enrolled are rejected by the insurer
    assert insurance_demo_build() == {"ZYJT": 1759, "ZDJB": 1759, "NGTJ": 1007}
    section = annual_section(system_actor(), "insurance", 2021)
    assert section is not None
    assert {figure.key: figure.value for figure in section.figures} == {
        "insurance.insured_zyjt": 1759,
        "insurance.insured_zdjb": 1759,
        "insurance.insured_ngtj": 1005,
        # the 住院津贴 insured and the retired women under 60 of 女工特疾
        "insurance.insured_people": 1805,
        "insurance.premium": Decimal("201025.00"),  # 1,759×50 + 1,759×50 + 1,005×25
        "insurance.claims_paid_count": 8,
        "insurance.claims_paid_sum": Decimal("61040.00"),
        "insurance.loss_ratio": Decimal("0.3036"),
    }
    # every claim paid what the edition's table gives, none flagged
    claims = PlanClaim.objects.all()
    assert [c.paid_amount for c in claims.order_by("pk")] == [c.expected_benefit for c in claims.order_by("pk")]
    assert not claims.exclude(flags=[]).exists()
    # whoever declined declined every plan open to them
    declined = {
        code: set(OptOut.objects.filter(edition__plan__code=code).values_list("person", flat=True))
        for code in ("ZYJT", "ZDJB", "NGTJ")
    }
    assert (len(declined["ZYJT"]), len(declined["NGTJ"])) == (147, 6)
    assert declined["ZYJT"] == declined["ZDJB"] and declined["NGTJ"] <= declined["ZYJT"]
