"""The demo university shows the module: 2021 editions, enrollment, rosters answered with two
rejections, claims paid; the report agrees with the members' portal; the seed is idempotent."""

from decimal import Decimal

import pytest

from gonghui.insurance.demo import insurance_demo_build
from gonghui.insurance.models import PlanClaim, PlanEnrollment, RosterLine
from gonghui.insurance.selectors.figures import insurance_report, person_cover
from gonghui.people.demo import demo_university_build
from gonghui.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_seed(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=0.05)
    counts = insurance_demo_build()
    assert set(counts) == {"ZYJT", "ZDJB", "NGTJ"} and all(counts.values())
    assert RosterLine.objects.filter(result="rejected").count() == 2
    assert list(PlanClaim.objects.order_by("pk").values_list("status", "paid_amount")) == [
        ("paid", Decimal("280.00")),
        ("paid", Decimal("15000.00")),
        ("paid", Decimal("2000.00")),
    ]
    assert insurance_demo_build() == {}
    from gonghui.accounts.models import User

    figures = insurance_report(user=User.objects.get(username="office"), year=2021).figures
    total = sum(
        (line["premium"] for p in Person.objects.all() for line in person_cover(person=p, year=2021)), Decimal("0")
    )
    assert f"{total:.2f}" == str(figures["total"]["premium"])
    assert figures["total"]["insured"] == PlanEnrollment.objects.exclude(status="rejected").count()
    assert str(figures["total"]["paid"]) == "17280.00"
