"""The choices of staff children's nursery and school admission (教职工子女入托入学, DOMAIN §3.9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Files a request carries, stored through attachments.
REQUEST_DOCUMENT_PURPOSE = "admissions_document"


class Stage(models.TextChoices):
    """The step a child takes in a given year, by their age on 31 August (DOMAIN §4.6)."""

    NURSERY = "nursery", _("入托入园")
    PRIMARY = "primary", _("幼升小")
    JUNIOR = "junior", _("小升初")


class SchoolKind(models.TextChoices):
    NURSERY = "nursery", _("托儿所")
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    SECONDARY = "secondary", _("中学")


# The stage a school of each kind admits.
KIND_STAGE = {
    SchoolKind.NURSERY: Stage.NURSERY,
    SchoolKind.KINDERGARTEN: Stage.NURSERY,
    SchoolKind.PRIMARY: Stage.PRIMARY,
    SchoolKind.SECONDARY: Stage.JUNIOR,
}


class Affiliation(models.TextChoices):
    AFFILIATED = "affiliated", _("附属学校")
    CO_BUILT = "co_built", _("共建学校")
    OTHER = "other", _("其他学校")


class Housing(models.TextChoices):
    OWNED = "owned", _("自有产权房")
    RENTED = "rented", _("租房")
    NO_DEED = "no_deed", _("无产权证住房")


class Relation(models.TextChoices):
    CHILD = "child", pgettext_lazy("admissions", "子女")
    GRANDCHILD = "grandchild", _("孙子女、外孙子女")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    SURVEY = "survey", _("需求摸底")
    REQUESTS = "requests", _("受理申请")
    REFERRED = "referred", _("学校录取中")
    CLOSED = "closed", _("已结束")


class Need(models.TextChoices):
    YES = "yes", _("需要")
    NO = "no", _("不需要")
    UNDECIDED = "undecided", _("未确定")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    CHECKED = "checked", _("分工会已审核")
    REFERRED = "referred", _("已报送学校")
    PLACED = "placed", _("已录取")
    NOT_PLACED = "not_placed", _("未录取")
    SELF_ARRANGED = "self_arranged", _("视为自行解决")
    WITHDRAWN = "withdrawn", _("已撤回")


# The requests that hold the child's place in the year: a second one is a duplicate.
LIVE_REQUEST_STATUSES = (
    RequestStatus.DRAFT,
    RequestStatus.SUBMITTED,
    RequestStatus.CHECKED,
    RequestStatus.REFERRED,
    RequestStatus.PLACED,
)


class AnswerSource(models.TextChoices):
    IMPORT = "import", _("学校名单导入")
    MANUAL = "manual", _("手工录入")


class PolicyNoteStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")


class VisitStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    HELD = "held", _("已举行")
    CANCELLED = "cancelled", _("已取消")


class ConsultationChannel(models.TextChoices):
    IN_PERSON = "in_person", _("面谈")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("线上")


class ActionKind(models.TextChoices):
    PROPOSAL = "proposal", _("教代会提案")
    PROJECT = "project", _("实事项目")
