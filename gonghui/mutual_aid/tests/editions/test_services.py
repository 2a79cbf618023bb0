"""Edition services: drafts, copies, immutability of adopted editions, adoption checks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditEvent
from gonghui.mutual_aid.choices import ApplicationKind, BaseMode, CostBase, EditionStatus
from gonghui.mutual_aid.models import DiseaseCategory, RequiredDocument, SchemeEdition, SubsidyBand, SubsidyRule
from gonghui.mutual_aid.selectors.editions import edition_for_cost_year
from gonghui.mutual_aid.services import editions as services
from gonghui.mutual_aid.tests.editions.factories import edition_make

D = Decimal
pytestmark = pytest.mark.django_db


def _state(edition: SchemeEdition) -> dict:
    """Everything an edition holds, to assert that a refusal changed nothing."""
    edition = SchemeEdition.objects.get(pk=edition.pk)
    return {
        "fields": {
            f.name: getattr(edition, f.attname) for f in SchemeEdition._meta.concrete_fields if f.name != "updated_at"
        },
        "rules": list(SubsidyRule.objects.filter(edition=edition).values_list("base", "deductible")),
        "bands": list(
            SubsidyBand.objects.filter(rule__edition=edition).order_by("lower").values_list("lower", "upper", "rate")
        ),
        "diseases": list(DiseaseCategory.objects.filter(edition=edition).values_list("code", "name")),
        "documents": list(RequiredDocument.objects.filter(edition=edition).values_list("kind", "name", "required")),
        "events": AuditEvent.objects.count(),
        "editions": SchemeEdition.objects.count(),
    }


class TestDrafts:
    def test_blank_draft_has_march_windows_and_is_audited(self, office):
        edition = services.edition_create_draft(actor=office, year=2023)
        assert edition.status == EditionStatus.DRAFT
        assert edition.name == "2023年度医疗互助会管理办法（草案）"
        assert (edition.join_window_start, edition.join_window_end) == (
            datetime.date(2023, 3, 1),
            datetime.date(2023, 3, 31),
        )
        assert (edition.application_window_start, edition.application_window_end) == (
            datetime.date(2024, 3, 1),
            datetime.date(2024, 3, 31),
        )
        assert edition.eligible_statuses == ["active", "retired"]
        assert edition.rules.count() == 0
        event = AuditEvent.objects.get(object_type="mutual_aid.schemeedition", object_id=str(edition.pk))
        assert (event.action, event.actor) == ("created", office)

    def test_copy_takes_every_rule_band_disease_and_document_and_moves_windows(self, office, university):
        from gonghui.people.models import EmploymentCategory

        category = EmploymentCategory.objects.create(name="测试类别（互助会）")
        source = edition_make(actor=office, year=2021, adopt=False)
        source.eligible_categories.add(category)  # while a draft: an adopted edition no longer changes
        services.edition_adopt(
            actor=office, edition=source, adopted_on=datetime.date(2021, 1, 10), resolution="教代会决议"
        )

        draft = services.edition_revise(actor=office, source=source, year=2022)

        assert draft.status == EditionStatus.DRAFT and draft.based_on == source
        assert draft.join_window_start == datetime.date(2022, 3, 1)
        assert draft.application_window_end == datetime.date(2023, 3, 31)
        assert (draft.fee_active, draft.annual_cap, draft.lifetime_cap, draft.waiting_months) == (
            D("120.00"),
            D("30000.00"),
            D("150000.00"),
            12,
        )
        assert list(draft.eligible_categories.all()) == [category]
        assert list(draft.rules.values_list("base", "deductible")) == [("all", D("3000.00"))]
        assert list(
            SubsidyBand.objects.filter(rule__edition=draft).order_by("lower").values_list("lower", "upper", "rate")
        ) == [
            (D("3000.00"), D("10000.00"), D("0.5000")),
            (D("10000.00"), D("30000.00"), D("0.6000")),
            (D("30000.00"), None, D("0.7000")),
        ]
        assert list(draft.diseases.values_list("code", "name")) == [("01", "恶性肿瘤"), ("02", "慢性肾衰竭（透析）")]
        assert draft.required_documents.count() == 2
        # the source is untouched
        assert SubsidyBand.objects.filter(rule__edition=source).count() == 3

    def test_revise_defaults_to_the_same_year(self, office):
        source = edition_make(actor=office, year=2021)
        draft = services.edition_revise(actor=office, source=source)
        assert (draft.year, draft.join_window_start) == (2021, datetime.date(2021, 3, 1))

    def test_draft_update_records_the_changes(self, office):
        draft = edition_make(actor=office, year=2022, adopt=False)
        services.edition_update(actor=office, edition=draft, fee_active=D("150.00"), notice_days=10)
        draft.refresh_from_db()
        assert (draft.fee_active, draft.notice_days) == (D("150.00"), 10)
        event = AuditEvent.objects.filter(object_id=str(draft.pk), action="updated").first()
        assert event.changes == {"fee_active": ["120.00", "150.00"], "notice_days": [7, 10]}

    def test_a_member_may_not_draft(self, university):
        before = SchemeEdition.objects.count()
        with pytest.raises(PermissionDenied):
            services.edition_create_draft(actor=university.users["member"], year=2023)
        assert SchemeEdition.objects.count() == before

    def test_an_auditor_may_not_change_a_draft(self, office, university):
        draft = edition_make(actor=office, year=2022, adopt=False)
        before = _state(draft)
        with pytest.raises(PermissionDenied):
            services.edition_update(actor=university.users["auditor"], edition=draft, fee_active=D("1.00"))
        assert _state(draft) == before

    def test_band_checks_rate_and_order_when_added(self, office):
        draft = edition_make(actor=office, year=2022, adopt=False)
        rule = draft.rules.get()
        before = _state(draft)
        with pytest.raises(ApplicationError, match="比例须在 0 与 1 之间"):
            services.band_add(actor=office, rule=rule, lower=D("0"), upper=D("100"), rate=D("1.5"))
        with pytest.raises(ApplicationError, match="分段上限须高于下限"):
            services.band_add(actor=office, rule=rule, lower=D("100"), upper=D("50"), rate=D("0.5"))
        with pytest.raises(ApplicationError, match="病种代码 01 已存在"):
            services.disease_add(actor=office, edition=draft, code="01", name="重复")
        assert _state(draft) == before


# Every service that changes an edition, called on an adopted one.
def _update_calls(edition):
    rule = edition.rules.get()
    band = rule.bands.first()
    disease = edition.diseases.first()
    document = edition.required_documents.first()
    return {
        "edition_update": lambda a: services.edition_update(actor=a, edition=edition, fee_active=D("1.00")),
        "edition_update_categories": lambda a: services.edition_update(actor=a, edition=edition, categories=[]),
        "edition_delete_draft": lambda a: services.edition_delete_draft(actor=a, edition=edition),
        "edition_adopt": lambda a: services.edition_adopt(
            actor=a, edition=edition, adopted_on=datetime.date(2020, 2, 1), resolution="再次通过"
        ),
        "rule_add": lambda a: services.rule_add(actor=a, edition=edition, base=CostBase.INPATIENT, deductible=D("1")),
        "rule_update": lambda a: services.rule_update(actor=a, rule=rule, deductible=D("1")),
        "rule_remove": lambda a: services.rule_remove(actor=a, rule=rule),
        "band_add": lambda a: services.band_add(actor=a, rule=rule, lower=D("0"), upper=D("1"), rate=D("0.1")),
        "band_update": lambda a: services.band_update(actor=a, band=band, lower=D("0"), upper=D("1"), rate=D("0.1")),
        "band_remove": lambda a: services.band_remove(actor=a, band=band),
        "disease_add": lambda a: services.disease_add(actor=a, edition=edition, code="09", name="新病种"),
        "disease_update": lambda a: services.disease_update(actor=a, disease=disease, code="01", name="改名"),
        "disease_remove": lambda a: services.disease_remove(actor=a, disease=disease),
        "document_add": lambda a: services.document_add(
            actor=a, edition=edition, kind=ApplicationKind.INPATIENT, name="新材料"
        ),
        "document_update": lambda a: services.document_update(
            actor=a, document=document, kind=ApplicationKind.INPATIENT, name="改名", required=False
        ),
        "document_remove": lambda a: services.document_remove(actor=a, document=document),
    }


UPDATE_CALLS = sorted(
    [
        "edition_update",
        "edition_update_categories",
        "edition_delete_draft",
        "edition_adopt",
        "rule_add",
        "rule_update",
        "rule_remove",
        "band_add",
        "band_update",
        "band_remove",
        "disease_add",
        "disease_update",
        "disease_remove",
        "document_add",
        "document_update",
        "document_remove",
    ]
)


@pytest.mark.parametrize("call", UPDATE_CALLS)
def test_adopted_edition_is_immutable(office, call):
    edition = edition_make(actor=office, year=2020)
    assert set(_update_calls(edition)) == set(UPDATE_CALLS)
    before = _state(edition)

    with pytest.raises(ApplicationError, match="已通过（已通过），不能修改；请另行起草修订稿。"):
        _update_calls(edition)[call](office)

    assert _state(edition) == before


def test_superseded_edition_is_immutable_too(office):
    first = edition_make(actor=office, year=2020)
    edition_make(actor=office, year=2020, name="2020年度管理办法（修订）")
    before = _state(first)
    with pytest.raises(ApplicationError, match="已通过（已被取代），不能修改"):
        services.edition_update(actor=office, edition=first, fee_active=D("1.00"))
    assert _state(first) == before


# Adoption: each check with its message; a refusal changes nothing.


def _overlapping_bands(edition, office):
    rule = edition.rules.get()
    SubsidyBand.objects.filter(rule=rule, lower=D("10000")).update(lower=D("8000"))


def _open_band_not_last(edition, office):
    rule = edition.rules.get()
    SubsidyBand.objects.filter(rule=rule, lower=D("3000")).update(upper=None)


def _rate_above_one(edition, office):
    SubsidyBand.objects.filter(rule__edition=edition, lower=D("30000")).update(rate=D("1.2"))


def _negative_rate(edition, office):
    SubsidyBand.objects.filter(rule__edition=edition, lower=D("3000")).update(rate=D("-0.1"))


def _join_window_reversed(edition, office):
    services.edition_update(actor=office, edition=edition, join_window_start=datetime.date(2022, 4, 1))


def _application_window_reversed(edition, office):
    services.edition_update(actor=office, edition=edition, application_window_end=datetime.date(2023, 2, 1))


def _missing_outpatient_rule(edition, office):
    services.rule_remove(actor=office, rule=edition.rules.get())
    services.edition_update(actor=office, edition=edition, base_mode=BaseMode.INPATIENT_OUTPATIENT)
    rule = services.rule_add(actor=office, edition=edition, base=CostBase.INPATIENT, deductible=D("1000"))
    services.band_add(actor=office, rule=rule, lower=D("1000"), upper=None, rate=D("0.5"))


def _rule_without_bands(edition, office):
    SubsidyBand.objects.filter(rule__edition=edition).delete()


def _no_rule_at_all(edition, office):
    services.rule_remove(actor=office, rule=edition.rules.get())


def _annual_cap_above_lifetime(edition, office):
    services.edition_update(actor=office, edition=edition, annual_cap=D("200000.00"))


ADOPTION_PROBLEMS = [
    (_overlapping_bands, "“全部自付费用”分段 8000.00–30000.00 × 0.6000 与 3000.00–10000.00 × 0.5000 重叠"),
    (_open_band_not_last, "“全部自付费用”分段 10000.00–30000.00 × 0.6000 与 3000.00–∞ × 0.5000 重叠"),
    (_rate_above_one, "“全部自付费用”分段 30000.00–∞ × 1.2000 的比例须在 0 与 1 之间"),
    (_negative_rate, "“全部自付费用”分段 3000.00–10000.00 × -0.1000 的比例须在 0 与 1 之间"),
    (_join_window_reversed, "入会开始日期晚于入会截止日期"),
    (_application_window_reversed, "补助申请开始日期晚于申请截止日期"),
    (_missing_outpatient_rule, "缺少“门诊”的补助规则"),
    (_rule_without_bands, "“全部自付费用”的补助规则没有分段"),
    (_no_rule_at_all, "缺少“全部自付费用”的补助规则"),
    (_annual_cap_above_lifetime, "年度封顶高于累计封顶"),
]


@pytest.mark.parametrize("spoil, message", ADOPTION_PROBLEMS, ids=[f.__name__ for f, _m in ADOPTION_PROBLEMS])
def test_adoption_is_refused_with_its_message_and_changes_nothing(office, spoil, message):
    current = edition_make(actor=office, year=2022)
    draft = edition_make(actor=office, year=2022, adopt=False, name="修订稿")
    spoil(draft, office)
    before, current_before = _state(draft), _state(current)

    with pytest.raises(ApplicationError) as refused:
        services.edition_adopt(
            actor=office, edition=draft, adopted_on=datetime.date(2022, 1, 20), resolution="教代会决议"
        )

    assert refused.value.message == message
    assert _state(draft) == before
    assert _state(current) == current_before
    assert SchemeEdition.objects.get(pk=current.pk).status == EditionStatus.ADOPTED


@pytest.mark.parametrize(
    "adopted_on, resolution, message",
    [
        (None, "决议", "请填写通过日期。"),
        (datetime.date(2022, 1, 1), "  ", "请填写通过依据（如教代会决议）。"),
    ],
)
def test_adoption_needs_a_date_and_an_act(office, adopted_on, resolution, message):
    draft = edition_make(actor=office, year=2022, adopt=False)
    before = _state(draft)
    with pytest.raises(ApplicationError) as refused:
        services.edition_adopt(actor=office, edition=draft, adopted_on=adopted_on, resolution=resolution)
    assert refused.value.message == message
    assert _state(draft) == before


def test_only_the_adopt_permission_adopts(office, university):
    draft = edition_make(actor=office, year=2022, adopt=False)
    before = _state(draft)
    for role in ["auditor", "welfare_committee", "sub_union_officer", "member"]:
        with pytest.raises(PermissionDenied):
            services.edition_adopt(
                actor=university.users[role], edition=draft, adopted_on=datetime.date(2022, 1, 1), resolution="决议"
            )
    assert _state(draft) == before


def test_adopting_a_second_edition_for_the_year_supersedes_the_first(office):
    first = edition_make(actor=office, year=2021)
    second = edition_make(actor=office, year=2021, adopt=False, name="2021年度管理办法（修订）")
    events_before = AuditEvent.objects.count()

    services.edition_adopt(
        actor=office, edition=second, adopted_on=datetime.date(2021, 6, 1), resolution="第五届教代会第五次会议决议"
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EditionStatus.SUPERSEDED
    assert (second.status, second.adopted_on, second.resolution) == (
        EditionStatus.ADOPTED,
        datetime.date(2021, 6, 1),
        "第五届教代会第五次会议决议",
    )
    assert SchemeEdition.objects.filter(year=2021, status=EditionStatus.ADOPTED).count() == 1
    assert AuditEvent.objects.count() == events_before + 2  # the superseding and the adoption
    assert edition_for_cost_year(year=2021) == second


def test_edition_for_cost_year_is_the_adopted_one_of_that_year(office):
    e2020 = edition_make(actor=office, year=2020)
    edition_make(actor=office, year=2021)
    edition_make(actor=office, year=2020, adopt=False, name="2020 草案")
    assert edition_for_cost_year(year=2020) == e2020
    assert edition_for_cost_year(year=2019) is None
    # a later revision of the 2021 rules changes nothing for 2020 costs
    assert edition_for_cost_year(year=2020).fee_active == D("120.00")


def test_draft_can_be_deleted_but_not_an_adopted_edition(office):
    draft = edition_make(actor=office, year=2022, adopt=False)
    services.edition_delete_draft(actor=office, edition=draft)
    assert not SchemeEdition.objects.filter(pk=draft.pk).exists()
    assert SubsidyBand.objects.count() == 0
