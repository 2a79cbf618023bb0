"""Edition selectors: who sees which editions, the side-by-side comparison, and the preview
of a draft's cost on a past year's decided applications (which writes nothing)."""

from decimal import Decimal

import pytest
from django.apps import apps

from gonghui.core.models import AuditEvent
from gonghui.mutual_aid.choices import EditionStatus
from gonghui.mutual_aid.models import SchemeEdition
from gonghui.mutual_aid.selectors import editions as selectors
from gonghui.mutual_aid.services import editions as services
from gonghui.mutual_aid.tests.editions.factories import edition_make

D = Decimal
pytestmark = pytest.mark.django_db


def test_edition_list_shows_drafts_to_the_office_and_only_adopted_to_members(office, university):
    adopted = edition_make(actor=office, year=2021)
    draft = edition_make(actor=office, year=2022, adopt=False)
    superseded = edition_make(actor=office, year=2020)
    edition_make(actor=office, year=2020, name="2020 修订")
    superseded.refresh_from_db()
    assert superseded.status == EditionStatus.SUPERSEDED
    office_sees = set(selectors.edition_list(user=office))
    assert {adopted, draft, superseded} <= office_sees and len(office_sees) == 4
    for role in ["auditor", "welfare_committee", "sub_union_officer"]:
        assert len(selectors.edition_list(user=university.users[role])) == 4
    member_sees = list(selectors.edition_list(user=university.users["member"]))
    assert [(e.year, e.status) for e in member_sees] == [(2021, "adopted"), (2020, "adopted")]


def test_compare_shows_exactly_the_changed_fields(office):
    a = edition_make(actor=office, year=2021)
    b = services.edition_revise(actor=office, source=a)
    services.edition_update(actor=office, edition=b, fee_retired=D("100.00"), lifetime_cap=D("200000.00"))
    rule = b.rules.get()
    services.rule_update(actor=office, rule=rule, deductible=D("2500.00"))
    top = rule.bands.get(upper=None)
    services.band_update(actor=office, band=top, lower=top.lower, upper=None, rate=D("0.75"))
    services.disease_add(actor=office, edition=b, code="08", name="罕见病")
    services.document_remove(actor=office, document=b.required_documents.get(name="门诊病历"))
    b = SchemeEdition.objects.get(pk=b.pk)

    comparison = selectors.edition_comparison(a=a, b=b)

    # core's edition_compare: every rule value, parts by position (the draft is unnamed)
    assert comparison["changed"] == [
        "名称",
        "离退休会费",
        "累计封顶",
        "补助规则 #1 · 起付线",
        "补助规则 #1 · 分段 #3 · 比例",
        "申请材料 #2 · 申请类型",
        "申请材料 #2 · 材料",
        "申请材料 #2 · 必交",
        "病种 #3 · 代码",
        "病种 #3 · 病种",
    ]
    rows = {row["label"]: row for row in comparison["rows"]}
    assert (rows["离退休会费"]["a"], rows["离退休会费"]["b"]) == ("120.00", "100.00")
    assert (rows["补助规则 #1 · 分段 #3 · 比例"]["a"], rows["补助规则 #1 · 分段 #3 · 比例"]["b"]) == (
        "0.7000",
        "0.7500",
    )
    assert (rows["病种 #3 · 代码"]["a"], rows["病种 #3 · 代码"]["b"]) == ("—", "08")
    assert (rows["申请材料 #2 · 申请类型"]["a"], rows["申请材料 #2 · 申请类型"]["b"]) == ("门诊（特殊病种）", "—")
    assert (rows["申请材料 #2 · 必交"]["a"], rows["申请材料 #2 · 必交"]["b"]) == ("是", "—")
    assert rows["在职会费"]["changed"] is False
    assert (rows["缴费方式"]["a"], rows["计算基数"]["a"]) == ("按年", "合并计算")
    assert rows["可参加的人员状态"]["a"] == "在职、离退休"
    assert (rows["补助规则 #1 · 基数"]["a"], rows["补助规则 #1 · 基数"]["changed"]) == ("全部自付费用", False)


def test_compare_of_an_edition_with_itself_has_no_changes(office):
    a = edition_make(actor=office, year=2021)
    assert selectors.edition_comparison(a=a, b=a)["changed"] == []


def _mutual_aid_row_counts() -> dict:
    counts = {model._meta.label: model.objects.count() for model in apps.get_app_config("mutual_aid").get_models()}
    counts["AuditEvent"] = AuditEvent.objects.count()
    return counts


def test_preview_computes_exact_sums_and_writes_nothing(office, university, decided_2020):
    # The draft: deductible 3,000; 50 % to 10,000, 60 % to 30,000, 70 % above; caps 30,000 a
    # year and 150,000 over a lifetime.
    draft = edition_make(actor=office, year=2022, adopt=False)
    before = _mutual_aid_row_counts()

    preview = selectors.edition_preview_cost(edition=draft, year=2020)

    assert _mutual_aid_row_counts() == before
    rows = [(r.application.person.name, r.retired, r.old, r.new) for r in preview.rows]
    assert rows == [
        # zhang: 7,000 × 50 % + 2,000 × 60 % = 4,700, but only 2,000 left under the lifetime cap
        ("张伟", False, D("4000.00"), D("2000.00")),
        # zhao: 3,500 + 12,000 + 20,000 × 70 % = 29,500; then 1,000 capped to the 500 left this year
        ("赵强", True, D("25000.00"), D("29500.00")),
        ("赵强", True, D("1000.00"), D("500.00")),
    ]
    assert (preview.total.count, preview.total.old, preview.total.new, preview.total.difference) == (
        3,
        D("30000.00"),
        D("32000.00"),
        D("2000.00"),
    )
    assert (preview.active.count, preview.active.old, preview.active.new) == (1, D("4000.00"), D("2000.00"))
    assert (preview.retired.count, preview.retired.old, preview.retired.new, preview.retired.difference) == (
        2,
        D("26000.00"),
        D("30000.00"),
        D("4000.00"),
    )


def test_preview_is_scoped_to_what_the_user_may_see(office, university, decided_2020):
    draft = edition_make(actor=office, year=2022, adopt=False)
    officer = university.users["sub_union_officer"]  # econ: zhang only
    preview = selectors.edition_preview_cost(edition=draft, year=2020, user=officer)
    assert [r.application.person.name for r in preview.rows] == ["张伟"]
    assert selectors.preview_years(user=office) == [2021, 2020, 2019]
