from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class SubUnionKind(models.TextChoices):
    COLLEGE = "college", _("学院分工会")
    OFFICE = "office", _("机关分工会")
    RETIREES = "retirees", _("离退休分工会")
    GROUP = "group", _("工会小组")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("在职")
    RETIRED = "retired", _("离退休")
    LEFT = "left", _("调离")
    DECEASED = "deceased", _("去世")


class CoverageType(models.TextChoices):
    PUBLIC = "public", _("公费医疗")
    INSURANCE = "insurance", _("医保")


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("申请中")
    ACTIVE = "active", _("在会")
    TRANSFERRED = "transferred", _("已转出")
    LAPSED = "lapsed", _("中止")
    ENDED = "ended", _("终止")
