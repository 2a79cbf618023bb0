"""People and organisation: the union, its sub-unions and groups, persons, memberships."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, person_condition
from gonghui.accounts.roles import Role
from gonghui.core.crypto import decrypt_text
from gonghui.core.models import TimeStampedModel, WorkflowEvent, optional_link
from gonghui.core.text import sort_key
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus, SubUnionKind


class Union(models.Model):
    """The university trade union (校工会). One per deployment, a model for its name."""

    name = models.CharField(_("名称"), max_length=100)
    university = models.CharField(_("学校"), max_length=100)

    class Meta:
        verbose_name = _("校工会")
        verbose_name_plural = _("校工会")

    def __str__(self):
        return self.name


def sort_key_fill(instance, save_kwargs: dict) -> None:
    """Set `instance.sort_key` from its name before a save (also when only the name is saved)."""
    instance.sort_key = sort_key(instance.name)
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None and "name" in update_fields and "sort_key" not in update_fields:
        save_kwargs["update_fields"] = [*update_fields, "sort_key"]


class SubUnionQuerySet(ScopedQuerySet):
    def current(self):
        """Sub-unions not merged into another: what pickers, lists and the roster import offer.
        A merged one keeps its page and history (people.sub_union_services.sub_union_merge)."""
        return self.filter(merged_into__isnull=True)

    def with_descendants(self, ids) -> set[int]:
        """The given sub-unions and every group below them (the tree is shallow: 3 levels)."""
        found = set(ids)
        frontier = set(ids)
        while frontier:
            frontier = set(SubUnion.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
            found |= frontier
        return found

    def scope(self, access: Access, action: str) -> Q | None:
        """A sub-union officer reads their sub-unions and groups."""
        if Role.SUB_UNION_OFFICER in access.roles and action == "view":
            return Q(pk__in=access.sub_union_ids)
        return None


class SubUnion(models.Model):
    """A sub-union (分工会) of a college or office, the retirees' sub-union, or a union
    group (工会小组) nested under one of them."""

    union = models.ForeignKey(Union, verbose_name=_("校工会"), on_delete=models.PROTECT, related_name="sub_unions")
    parent = optional_link("self", _("上级"), related_name="children")
    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=SubUnionKind.choices, default=SubUnionKind.COLLEGE)
    name_pinyin = models.CharField(_("拼音"), max_length=200, blank=True, db_index=True)
    # Natural order (第一 … 第二 … 第十一, then pinyin): gonghui.core.text.sort_key, set on save.
    sort_key = models.CharField(
        _("排序键"), max_length=200, blank=True, default="", db_default="", db_index=True, editable=False
    )
    aliases = models.JSONField(
        _("别名"), default=list, blank=True, help_text=_("人事名册中出现的其他写法，导入时据此匹配")
    )
    merged_into = optional_link("self", _("并入"), related_name="merged_from")
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = SubUnionQuerySet.as_manager()

    class Meta:
        verbose_name = _("分工会")
        verbose_name_plural = _("分工会")
        ordering = ["sort_key", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        sort_key_fill(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("people:subunion_detail", args=[self.pk])

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class UniversityUnit(models.Model):
    """A university unit that handles items (承办单位), e.g. 后勤处, 人事处."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    sort_key = models.CharField(
        _("排序键"), max_length=200, blank=True, default="", db_default="", db_index=True, editable=False
    )

    class Meta:
        verbose_name = _("学校单位")
        verbose_name_plural = _("学校单位")
        ordering = ["sort_key", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        sort_key_fill(self, kwargs)
        super().save(*args, **kwargs)


class EmploymentCategory(models.Model):
    """人员类别 (事业编制, 合同制 …): each university has its own list."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("人员类别")
        verbose_name_plural = _("人员类别")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class PersonQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Sub-union officers read their sub-unions' and groups' people, and may upload
        documents for them ("attach"); anyone reads and attaches to themselves. Only the
        office and administrators change people (auditors read everyone, attach to no one
        else)."""
        return person_condition(access) if action in ("view", "attach") else None

    def search(self, text: str):
        """By characters, full pinyin or initials ("zw", "zhangwei" find 张伟), or staff number."""
        text = (text or "").strip()
        if not text:
            return self
        from gonghui.people.pinyin import search_key

        key = search_key(text)
        if key and not key.isalpha():  # pinyin has no digits: a staff number
            return self.filter(staff_no=text)
        if key:
            # Pinyin or initials, whose first letter is the pinyin's: the range on that letter
            # lets the list walk its pinyin-ordered index from there (without it, "zh" walked
            # 830,000 names from "a" to reach 张 at a million people).
            first = key[0]
            return self.filter(name_pinyin__gte=first, name_pinyin__lt=chr(ord(first) + 1)).filter(
                Q(name_pinyin__startswith=key) | Q(name_initials__startswith=key)
            )
        from gonghui.people.name_search import name_contains

        if len(text) > NAME_MAX_LENGTH:  # no name holds it
            return self.filter(staff_no=text)
        return name_contains(self, text)  # characters: a name (staff numbers have none)


NAME_MAX_LENGTH = 50


class PersonScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a person (a fee line, an enrollment, a booking …): whoever may see
    the person sees them; only office and administrators change them."""

    person_field = "person"

    def scope(self, access: Access, action: str) -> Q | None:
        return person_condition(access, f"{self.person_field}__") if action == "view" else None


class Person(TimeStampedModel):
    """A member of staff, active or retired, as the union knows them."""

    staff_no = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=NAME_MAX_LENGTH)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True)
    id_number_digest = models.CharField(_("身份证号摘要"), max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    employment_category = models.ForeignKey(
        EmploymentCategory, verbose_name=_("人员类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    employment_status = models.CharField(
        _("人员状态"), max_length=16, choices=EmploymentStatus.choices, default=EmploymentStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_reason = models.CharField(_("状态变更原因"), max_length=200, blank=True)
    coverage_type = models.CharField(_("医疗类别"), max_length=16, choices=CoverageType.choices, blank=True)
    sub_union = models.ForeignKey(SubUnion, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="people")
    jingka_no = models.CharField(_("京卡号"), max_length=32, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name_pinyin", "staff_no"]
        indexes = [
            # Lists sort by pinyin then staff number: the first page is read straight off an index,
            # for everyone (first) or within a sub-union filter (second; see bench/people_api.py).
            models.Index(fields=["name_pinyin", "staff_no"], name="person_pinyin_order_idx"),
            models.Index(fields=["sub_union", "name_pinyin", "staff_no"], name="person_subunion_order_idx"),
        ]
        permissions = [
            ("import_roster", _("导入人事名册")),
            ("reveal_id_number", _("查看明文身份证号")),
            ("export_person", _("导出人员名单")),
        ]

    def __str__(self):
        return f"{self.name}（{self.staff_no}）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("people:person_detail", args=[self.pk])

    def id_number_clear(self) -> str:
        """The ID number in clear. Callers log the reveal (people.services.person_id_number_reveal)."""
        return decrypt_text(self.id_number_encrypted)


class PersonNameGram(models.Model):
    """A character or character pair of a person's name, with the list's sort keys beside it:
    a search by characters reads one gram's rows in pinyin order (`name_search`, ADR 0011).
    On PostgreSQL triggers on the people table write these rows, whatever writes a person;
    on SQLite the table stays empty and a search reads names with LIKE."""

    # No constraint: the triggers delete a person's grams with the person (and on TRUNCATE).
    person = models.ForeignKey(Person, on_delete=models.DO_NOTHING, db_constraint=False, related_name="name_grams")
    gram = models.CharField(max_length=2)
    name_pinyin = models.CharField(max_length=200)
    staff_no = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["gram", "name_pinyin", "staff_no"], name="person_name_gram_order_idx")]

    def __str__(self):
        return self.gram


class Child(TimeStampedModel):
    """A member of staff's child, kept for admissions and later modules."""

    parent = models.ForeignKey(Person, verbose_name=_("家长"), on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))

    class Meta:
        verbose_name = _("子女")
        verbose_name_plural = _("子女")
        ordering = ["birth_date"]

    def __str__(self):
        return self.name


class UnionMembershipQuerySet(PersonScopedQuerySet):
    def current(self):
        return self.filter(status__in=[MembershipStatus.ACTIVE, MembershipStatus.APPLIED])


class UnionMembership(TimeStampedModel):
    """One spell of union membership in one sub-union. A transfer closes this row and
    opens another at the target, so the rows are the membership's history."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="memberships")
    sub_union = models.ForeignKey(SubUnion, verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+")
    member_no = models.CharField(_("会员号"), max_length=32, db_index=True)
    joined_on = models.DateField(_("入会日期"))
    status = models.CharField(_("会籍状态"), max_length=16, choices=MembershipStatus.choices)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    objects = UnionMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("会籍")
        verbose_name_plural = _("会籍")
        ordering = ["-joined_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=["active", "applied"]), name="one_current_membership"
            )
        ]

    def __str__(self):
        return f"{self.person.name} · {self.sub_union} · {self.get_status_display()}"


class PersonEvent(WorkflowEvent):
    """A step of a person's employment status (people.workflow.PersonWorkflow)."""

    subject = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("人员状态记录")
        verbose_name_plural = _("人员状态记录")


class MembershipEvent(WorkflowEvent):
    """A step of a union membership (people.workflow.MembershipWorkflow)."""

    subject = models.ForeignKey(
        UnionMembership, verbose_name=_("会籍"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("会籍记录")
        verbose_name_plural = _("会籍记录")
