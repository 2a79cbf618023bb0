"""Staff children's nursery and school admission (教职工子女入托入学, DOMAIN §3.9).

Each year the union surveys which staff children come to a school stage (摸底): nursery,
primary or junior secondary, by their age on 31 August. Parents ask for a place at an
affiliated or co-built school (附小附中, the co-built kindergarten) with the documents the
year's rules list; the sub-union checks the request and the union office refers it to the
school, whose answer (placed or not) comes back per line. A request after the deadline is
taken as 视为自行解决 (the family arranges it). The office publishes policy notes per district,
logs the advice it gives, takes staff to visit schools, and turns a shortage of places into a
congress proposal, whose link is kept.

Children's data is sensitive (PIPL Art. 28): a child's rows are visible to the parent, the
parent's sub-union officer and the union office's admissions officer (子女入学专员), no one
else, and lists mask the child's name.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, any_of, officer_condition
from gonghui.accounts.roles import Role
from gonghui.admissions.choices import (
    LIVE_REQUEST_STATUSES,
    Affiliation,
    AnswerSource,
    CampaignStatus,
    ConsultationChannel,
    Housing,
    Need,
    PolicyNoteStatus,
    Relation,
    RequestStatus,
    SchoolKind,
    Stage,
    VisitStatus,
)
from gonghui.admissions.stages import StageAges
from gonghui.core.editions import EditionDocument, EditionPart, Part, RuleEdition
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, optional_link


def sees_children(access: Access) -> bool:
    """The union office's admissions officer and the system actor see every child; not the
    rest of the office, the auditors or the administrators."""
    return bool(access.roles & {Role.ADMISSIONS_OFFICER, Role.SYSTEM})


class OfficeQuerySet(ScopedQuerySet):
    """The admissions officer does all of the module's work, as the union office does."""

    def restrict_access(self, access: Access, action: str = "view"):
        if access.is_authenticated and sees_children(access):
            return self
        return super().restrict_access(access, action)


class ChildDataQuerySet(ScopedQuerySet):
    """Rows about a child: the parent's own, their sub-union officer's, the admissions
    officer's. `parent_path` leads from the row to the parent (a Person)."""

    parent_path = "parent"

    def restrict_access(self, access: Access, action: str = "view"):
        if not access.is_authenticated:
            return self.none()
        if sees_children(access):
            return self
        condition = self.scope(access, action)
        return self.none() if condition is None else self.filter(condition)

    def scope(self, access: Access, action: str) -> Q | None:
        path = self.parent_path
        own = Q(**{f"{path}_id": access.person_id}) if access.person_id else None
        return any_of(own, officer_condition(access, f"{path}__sub_union_id"))


# --- children -------------------------------------------------------------------------------


class ChildRecordQuerySet(ChildDataQuerySet):
    parent_path = "child__parent"


class ChildRecord(TimeStampedModel):
    """What admission needs to know of a child beyond people's record: whose child it is
    (a grandchild counts in its own priority batch), the hukou district and the housing,
    on which Beijing's district rules turn."""

    child = models.OneToOneField(
        "people.Child",
        verbose_name=pgettext_lazy("admissions", "子女"),
        on_delete=models.CASCADE,
        related_name="admission_record",
    )
    relation = models.CharField(_("与教职工关系"), max_length=16, choices=Relation.choices, default=Relation.CHILD)
    hukou_district = models.CharField(_("户口所在区"), max_length=30, blank=True)
    housing = models.CharField(_("住房情况"), max_length=16, choices=Housing.choices, blank=True)
    updated_by = actor_field(_("更新人"), blank=True)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("子女入学信息")
        verbose_name_plural = _("子女入学信息")

    def __str__(self):
        return str(self.child)


# --- schools and rules ----------------------------------------------------------------------


class OpenQuerySet(OfficeQuerySet):
    """Read by everyone signed in; changed by the office."""

    def scope(self, access: Access, action: str) -> Q | None:
        return Q() if action == "view" else None


class School(TimeStampedModel):
    """A school the union refers children to, or whose places it counts: an affiliated
    school (附小、附中), a co-built one (共建幼儿园), or another nearby."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=SchoolKind.choices)
    district = models.CharField(_("所在区"), max_length=30)
    affiliation = models.CharField(
        _("关系"), max_length=16, choices=Affiliation.choices, default=Affiliation.AFFILIATED
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(pgettext_lazy("admissions", "联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    opened_on = models.DateField(_("开办日期"), null=True, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    note = models.TextField(_("备注"), blank=True)

    objects = OpenQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("admissions", "学校")
        verbose_name_plural = pgettext_lazy("admissions", "学校")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name

    @property
    def takes_requests(self) -> bool:
        return self.affiliation in (Affiliation.AFFILIATED, Affiliation.CO_BUILT)


class AdmissionRules(RuleEdition):
    """The year's admission rules (教职工子女入托入学工作通知): the survey and request windows,
    the ages on 31 August, the priority batches by staff category, the documents, and the
    places each school offers the union that year."""

    year = models.PositiveSmallIntegerField(_("入学年度"))
    name = models.CharField(_("名称"), max_length=100)
    survey_opens = models.DateField(_("摸底开始"))
    survey_closes = models.DateField(_("摸底截止"))
    requests_open = models.DateField(_("申请开始"))
    requests_deadline = models.DateField(_("申请截止"), help_text=_("此后提交的申请视为自行解决"))
    nursery_months = models.PositiveSmallIntegerField(_("入托最小年龄（月）"), default=30)
    kindergarten_months = models.PositiveSmallIntegerField(_("入园最小年龄（月）"), default=36)
    primary_months = models.PositiveSmallIntegerField(_("入小学最小年龄（月）"), default=72)
    secondary_months = models.PositiveSmallIntegerField(_("入初中最小年龄（月）"), default=144)
    alternative_allowed = models.BooleanField(_("可填备选学校"), default=True)

    objects = OpenQuerySet.as_manager()

    document = EditionDocument(
        module="admissions",
        key=("year",),
        fields=(
            "year",
            "name",
            "survey_opens",
            "survey_closes",
            "requests_open",
            "requests_deadline",
            "nursery_months",
            "kindergarten_months",
            "primary_months",
            "secondary_months",
            "alternative_allowed",
        ),
        parts=(
            Part("batches", ("position", "label", "relation", "categories")),
            Part("documents", ("code", "label", "required", "housing", "position")),
            Part("places", ("school_code", "places", "note")),
        ),
    )

    class Meta:
        verbose_name = _("子女入学工作规则")
        verbose_name_plural = _("子女入学工作规则")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=Q(status="adopted"), name="admissions_rules_one_a_year"),
        ]
        permissions = [("adopt_admissionrules", _("通过子女入学工作规则"))]

    def __str__(self):
        return f"{self.year} {self.name}"

    def ages(self) -> StageAges:
        return StageAges(
            nursery=self.nursery_months,
            kindergarten=self.kindergarten_months,
            primary=self.primary_months,
            secondary=self.secondary_months,
        )

    def adoption_problems(self) -> list[str]:
        problems = []
        if not (self.survey_opens <= self.survey_closes <= self.requests_deadline):
            problems.append(gettext("摸底截止须在摸底开始之后、申请截止之前。"))
        if self.requests_open > self.requests_deadline:
            problems.append(gettext("申请开始须早于申请截止。"))
        if not (self.nursery_months <= self.kindergarten_months < self.primary_months < self.secondary_months):
            problems.append(gettext("入托、入园、入小学、入初中的年龄须依次增大。"))
        if not self.batches.exists():
            problems.append(gettext("至少要有一个优先批次。"))
        known = set(School.objects.values_list("code", flat=True))
        for row in self.places.all():
            if row.school_code not in known:
                problems.append(gettext("学位数中的学校代码“%(code)s”不存在。") % {"code": row.school_code})
        return problems


class AdmissionRulesEvent(WorkflowEvent):
    subject = models.ForeignKey(AdmissionRules, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("子女入学规则记录")
        verbose_name_plural = _("子女入学规则记录")


class PriorityBatch(EditionPart):
    """A priority batch (批次): who is referred first. `categories` lists the employment
    categories (人员类别) by name, one per line; empty means any category."""

    edition = models.ForeignKey(
        AdmissionRules, verbose_name=_("规则"), on_delete=models.CASCADE, related_name="batches"
    )
    position = models.PositiveSmallIntegerField(_("批次"))
    label = models.CharField(_("名称"), max_length=50)
    relation = models.CharField(_("与教职工关系"), max_length=16, choices=Relation.choices, default=Relation.CHILD)
    categories = models.TextField(_("人员类别"), blank=True, help_text=_("每行一个；不填表示不限"))

    class Meta:
        verbose_name = _("优先批次")
        verbose_name_plural = _("优先批次")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "position"], name="admissions_batch_position_once")]

    def __str__(self):
        return self.label

    def category_names(self) -> set[str]:
        return {line.strip() for line in self.categories.splitlines() if line.strip()}

    def admits(self, *, relation: str, category: str) -> bool:
        names = self.category_names()
        return relation == self.relation and (not names or category in names)


class DocumentRule(EditionPart):
    """A document a request must carry: the unit-stamped form, 户口簿, 出生医学证明, the
    vaccination record, the deed or the lease (only for that housing)."""

    edition = models.ForeignKey(
        AdmissionRules, verbose_name=_("规则"), on_delete=models.CASCADE, related_name="documents"
    )
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("材料"), max_length=50)
    required = models.BooleanField(_("必交"), default=True)
    housing = models.CharField(
        _("适用住房情况"), max_length=16, choices=Housing.choices, blank=True, help_text=_("不填表示都需要")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="admissions_document_code_once")]

    def __str__(self):
        return self.label

    def applies_to(self, housing: str) -> bool:
        return not self.housing or self.housing == housing


class SchoolPlaces(EditionPart):
    """The places a school offers staff children in the year, by the school's code."""

    edition = models.ForeignKey(AdmissionRules, verbose_name=_("规则"), on_delete=models.CASCADE, related_name="places")
    school_code = models.SlugField(_("学校代码"), max_length=32)
    places = models.PositiveIntegerField(_("学位数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("学位数")
        verbose_name_plural = _("学位数")
        ordering = ["school_code"]
        constraints = [models.UniqueConstraint(fields=["edition", "school_code"], name="admissions_places_once")]

    def __str__(self):
        return f"{self.school_code} {self.places}"


# --- the year's campaign --------------------------------------------------------------------


class CampaignQuerySet(OfficeQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Once open, the year's campaign is seen by everyone signed in; the office runs it."""
        return ~Q(status=CampaignStatus.DRAFT) if action == "view" else None


class Campaign(TimeStampedModel):
    """The year's admission work (e.g. 2021 年教职工子女入托入学), for children entering in
    `year` under that year's rules: the survey, then the requests, then the schools' answers."""

    year = models.PositiveSmallIntegerField(_("入学年度"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    rules = models.ForeignKey(AdmissionRules, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    note = models.TextField(_("说明"), blank=True)
    created_by = actor_field(_("创建人"))

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("子女入学年度工作")
        verbose_name_plural = _("子女入学年度工作")
        ordering = ["-year"]
        permissions = [("manage_campaign", _("组织子女入学工作"))]

    def __str__(self):
        return self.name


class CampaignEvent(WorkflowEvent):
    subject = models.ForeignKey(Campaign, verbose_name=_("年度工作"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("年度工作记录")
        verbose_name_plural = _("年度工作记录")


class SurveyLine(TimeStampedModel):
    """One child in the year's survey (摸底): pre-filled for every child whose stage comes up
    in the campaign's year, answered by the parent on the portal or by the sub-union. The
    need is empty until answered."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度工作"), on_delete=models.PROTECT, related_name="lines")
    child = models.ForeignKey(
        "people.Child", verbose_name=pgettext_lazy("admissions", "子女"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey("people.Person", verbose_name=_("教职工"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("学段"), max_length=16, choices=Stage.choices)
    need = models.CharField(_("是否需要"), max_length=16, choices=Need.choices, blank=True)
    school = optional_link(School, _("意向学校"))
    alternative = optional_link(School, _("备选学校"))
    hukou_district = models.CharField(_("户口所在区"), max_length=30, blank=True)
    housing = models.CharField(_("住房情况"), max_length=16, choices=Housing.choices, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    answered_by = actor_field(_("填报人"), blank=True)

    objects = ChildDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("需求摸底")
        verbose_name_plural = _("需求摸底")
        ordering = ["campaign", "parent__sub_union__code", "parent__staff_no", "child__birth_date"]
        constraints = [models.UniqueConstraint(fields=["campaign", "child"], name="admissions_survey_child_once")]
        indexes = [models.Index(fields=["campaign", "need"])]

    def __str__(self):
        return f"{self.campaign.year} {self.child}"


# --- requests -------------------------------------------------------------------------------


class AdmissionRequest(TimeStampedModel):
    """A parent's request for a place at an affiliated or co-built school. The staff category,
    the batch, the stage and the child's facts are taken when it is submitted, so a later
    change of category or rules does not move it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("年度工作"), on_delete=models.PROTECT, related_name="requests"
    )
    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    child = models.ForeignKey(
        "people.Child", verbose_name=pgettext_lazy("admissions", "子女"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey("people.Person", verbose_name=_("教职工"), on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("与教职工关系"), max_length=16, choices=Relation.choices, default=Relation.CHILD)
    stage = models.CharField(_("学段"), max_length=16, choices=Stage.choices)
    school = models.ForeignKey(School, verbose_name=_("意向学校"), on_delete=models.PROTECT, related_name="+")
    alternative = optional_link(School, _("备选学校"))
    hukou_district = models.CharField(_("户口所在区"), max_length=30)
    housing = models.CharField(_("住房情况"), max_length=16, choices=Housing.choices)
    employment_category = models.CharField(_("人员类别"), max_length=50, blank=True)
    batch_position = models.PositiveSmallIntegerField(_("批次"), null=True, blank=True)
    batch_label = models.CharField(_("批次名称"), max_length=50, blank=True)
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    late = models.BooleanField(_("逾期提交"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    checked_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    referred_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("学校答复时间"), null=True, blank=True)
    placed_school = optional_link(School, _("录取学校"))
    answer_source = models.CharField(_("答复来源"), max_length=16, choices=AnswerSource.choices, blank=True)
    answer_note = models.CharField(_("学校答复说明"), max_length=200, blank=True)
    created_by = actor_field(_("填报人"))

    objects = ChildDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("入学申请")
        verbose_name_plural = _("入学申请")
        ordering = ["campaign", "batch_position", "submitted_at", "id"]
        constraints = [
            # One live request a child a year: what makes a duplicate refused even at once.
            models.UniqueConstraint(
                fields=["campaign", "child"],
                condition=Q(status__in=LIVE_REQUEST_STATUSES),
                name="admissions_one_live_request_a_child",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]
        permissions = [
            ("check_admissionrequest", _("审核入学申请")),
            ("refer_admissionrequest", _("报送并登记学校答复")),
        ]

    def __str__(self):
        return f"{self.number} {self.child}"


class AdmissionRequestEvent(WorkflowEvent):
    subject = models.ForeignKey(
        AdmissionRequest, verbose_name=_("入学申请"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("入学申请记录")
        verbose_name_plural = _("入学申请记录")


class RequestDocumentQuerySet(ChildDataQuerySet):
    parent_path = "request__parent"


class RequestDocument(TimeStampedModel):
    """One of a request's documents, as the rules list them: its file (a new upload replaces
    it, the old file stays in attachments) and whether the sub-union has checked it."""

    request = models.ForeignKey(
        AdmissionRequest, verbose_name=_("入学申请"), on_delete=models.CASCADE, related_name="documents"
    )
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("材料"), max_length=50)
    attachment = models.ForeignKey(
        "attachments.Attachment", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+"
    )
    checked = models.BooleanField(_("已核对"), default=False)
    checked_by = actor_field(_("核对人"), blank=True)
    checked_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    uploaded_by = actor_field(_("上传人"), blank=True)

    objects = RequestDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["request", "code"]
        constraints = [models.UniqueConstraint(fields=["request", "code"], name="admissions_document_once")]

    def __str__(self):
        return self.label


# --- advice, visits, actions ----------------------------------------------------------------


class PolicyNoteQuerySet(OfficeQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        return Q(status=PolicyNoteStatus.PUBLISHED) if action == "view" else None


class PolicyNote(TimeStampedModel):
    """A note on a district's admission policy for a year (e.g. 2021 年海淀区入学政策要点),
    published on the portal."""

    year = models.PositiveSmallIntegerField(_("年度"))
    district = models.CharField(_("区"), max_length=30)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    source_url = models.URLField(_("政策原文链接"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PolicyNoteStatus.choices, default=PolicyNoteStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = actor_field(_("撰写人"))

    objects = PolicyNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ["-year", "district", "-id"]

    def __str__(self):
        return self.title


class PolicyNoteEvent(WorkflowEvent):
    subject = models.ForeignKey(PolicyNote, verbose_name=_("政策解读"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("政策解读记录")
        verbose_name_plural = _("政策解读记录")


class ConsultationQuerySet(ChildDataQuerySet):
    """What a member asked is as private as their children's data."""

    def scope(self, access: Access, action: str) -> Q | None:
        """Whoever asked reads the advice they were given."""
        return Q(person_id=access.person_id) if access.person_id and action == "view" else None


class Consultation(TimeStampedModel):
    """Advice given (咨询): who asked, the question, the answer, who advised, how."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("咨询人"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    asked_on = models.DateField(_("日期"))
    channel = models.CharField(_("方式"), max_length=16, choices=ConsultationChannel.choices)
    stage = models.CharField(_("学段"), max_length=16, choices=Stage.choices, blank=True)
    district = models.CharField(_("区"), max_length=30, blank=True)
    question = models.TextField(pgettext_lazy("admissions", "问题"))
    answer = models.TextField(_("答复"))
    advised_by = actor_field(_("答复人"))

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策咨询")
        verbose_name_plural = _("政策咨询")
        ordering = ["-asked_on", "-id"]

    def __str__(self):
        return f"{self.asked_on} {self.question[:20]}"


class SchoolVisit(TimeStampedModel):
    """A visit to a school for young staff (参观附小附中), with sign-up."""

    school = models.ForeignKey(
        School, verbose_name=pgettext_lazy("admissions", "学校"), on_delete=models.PROTECT, related_name="visits"
    )
    visit_on = models.DateField(_("日期"))
    meeting_point = models.CharField(_("集合地点"), max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(_("名额"))
    signup_until = models.DateField(_("报名截止"))
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    created_by = actor_field(_("组织人"))

    objects = OpenQuerySet.as_manager()

    class Meta:
        verbose_name = _("参观学校")
        verbose_name_plural = _("参观学校")
        ordering = ["-visit_on", "-id"]

    def __str__(self):
        return f"{self.visit_on} {self.school}"


class SchoolVisitEvent(WorkflowEvent):
    subject = models.ForeignKey(SchoolVisit, verbose_name=_("参观"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("参观记录")
        verbose_name_plural = _("参观记录")


class VisitSignupQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        own = Q(person_id=access.person_id) if access.person_id else None
        return any_of(own, officer_condition(access, "person__sub_union_id"))


class VisitSignup(TimeStampedModel):
    """A member signed up for a visit; `attended` is recorded after it is held (who went)."""

    visit = models.ForeignKey(SchoolVisit, verbose_name=_("参观"), on_delete=models.PROTECT, related_name="signups")
    person = models.ForeignKey("people.Person", verbose_name=_("报名人"), on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(pgettext_lazy("admissions", "参加"), null=True, blank=True)

    objects = VisitSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("参观报名")
        verbose_name_plural = _("参观报名")
        ordering = ["visit", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "person"], name="admissions_visit_signup_once")]

    def __str__(self):
        return f"{self.visit} {self.person}"


class ShortageAction(TimeStampedModel):
    """A shortage of places the office acted on: the year, the stage and where (a school or
    a district), the demand and places it saw, and the congress proposal it became."""

    year = models.PositiveSmallIntegerField(_("年度"))
    stage = models.CharField(_("学段"), max_length=16, choices=Stage.choices)
    school = optional_link(School, pgettext_lazy("admissions", "学校"))
    district = models.CharField(_("区"), max_length=30, blank=True)
    demand = models.PositiveIntegerField(_("需求数"))
    places = models.PositiveIntegerField(_("学位数"))
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("情况"))
    proposal = optional_link("proposals.Proposal", _("教代会提案"), on_delete=models.SET_NULL)
    created_by = actor_field(_("创建人"))

    objects = OfficeQuerySet.as_manager()  # the office's work

    class Meta:
        verbose_name = _("学位缺口处置")
        verbose_name_plural = _("学位缺口处置")
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    @property
    def shortfall(self) -> int:
        return max(0, self.demand - self.places)


__all__ = [
    "AdmissionRequest",
    "AdmissionRules",
    "Campaign",
    "ChildRecord",
    "Consultation",
    "DocumentRule",
    "PolicyNote",
    "PriorityBatch",
    "RequestDocument",
    "School",
    "SchoolPlaces",
    "SchoolVisit",
    "ShortageAction",
    "SurveyLine",
    "VisitSignup",
]
