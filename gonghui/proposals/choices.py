from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    PROPOSAL = "proposal", _("提案")
    OPINION = "opinion", _("意见建议")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    AWAITING_CO_SIGNERS = "awaiting_co_signers", _("征集附议")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审查中")
    REFERRED = "referred", _("提交主席团")
    REGISTERED = "registered", _("已立案")
    MERGED = "merged", _("已并案")
    OPINION = "opinion", _("转为意见建议")
    NOT_REGISTERED = "not_registered", _("不予立案")
    WITHDRAWN = "withdrawn", _("已撤回")
    ASSIGNED = "assigned", _("已交办")
    IN_HANDLING = "in_handling", _("办理中")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    FOLLOW_UP = "follow_up", _("持续跟踪")
    CLOSED = "closed", _("已办结")


# The proposals the similar-proposals search reads: every one submitted and not withdrawn.
# Their text no longer changes (only drafts are edited), so the index changes only when a
# proposal crosses this line.
SIMILARITY_HIDDEN = frozenset({ProposalStatus.DRAFT, ProposalStatus.AWAITING_CO_SIGNERS, ProposalStatus.WITHDRAWN})
SIMILARITY_VISIBLE = [s for s in ProposalStatus.values if s not in SIMILARITY_HIDDEN]


class ProposerRole(models.TextChoices):
    ORIGINAL = "original", _("提案人")
    JOINT = "joint", _("联名提案人（并案）")


class TriageOutcome(models.TextChoices):
    REGISTERED = "registered", _("立案")
    MERGED = "merged", _("并案")
    OPINION = "opinion", _("转为意见建议")
    NOT_REGISTERED = "not_registered", _("不予立案")
    REFERRED = "referred", _("提交主席团")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class ReplyCategory(models.TextChoices):
    SOLVED = "solved", _("已解决或采纳")
    PLANNED = "planned", _("正在解决或列入计划")
    CANNOT = "cannot", _("因条件限制暂不能解决")


class ContactMethod(models.TextChoices):
    MEETING = "meeting", _("面谈")
    PHONE = "phone", _("电话")
    MESSAGE = "message", _("信息或邮件")
    VISIT = "visit", _("现场")


class ProposalEventStep(models.TextChoices):
    """The events of a proposal's history that are not a change of status (written with
    core's `event_record`, in the same table as the workflow's steps)."""

    CREATED = "created", _("创建草稿")
    CO_SIGNER_INVITED = "co_signer_invited", _("邀请附议")
    CO_SIGNED = "co_signed", _("附议确认")
    CO_SIGN_WITHDRAWN = "co_sign_withdrawn", _("撤回附议")
    CONFIRMATIONS_CLEARED = "confirmations_cleared", _("清除附议确认")
    MERGED_IN = "merged_in", _("并入提案")
    ASSIGNED = "assigned", _("确定承办单位")
    SIGNED_OFF = "signed_off", _("分管校领导审签")
    CONTACT = "contact", _("联系提案人")
    CO_INPUT = "co_input", _("协办单位意见")
    REPLY_DRAFTED = "reply_drafted", _("起草答复")
    REPLY_RELEASED = "reply_released", _("答复发布")
    REOPENED = "reopened", _("重新开放答复")
    RATED = "rated", _("评价答复")
    ESCALATED = "escalated", _("上报校领导")
    PROGRESS = "progress", _("进展更新")
    PUBLISHED = "published", _("公示")
    AWARDED = "awarded", _("评为优秀提案")


class AwardKind(models.TextChoices):
    BEST_PROPOSAL = "best_proposal", _("优秀提案")
    BEST_UNIT = "best_unit", _("优秀承办单位")


S = ProposalStatus
# Scopes and selections (not an engine: the steps are in gonghui.proposals.workflow).
# States in which the proposal is before the committee or later (what it may see).
BEFORE_COMMITTEE = frozenset(set(S) - {S.DRAFT, S.AWAITING_CO_SIGNERS})
# States in which a unit has it.
WITH_UNITS = frozenset({S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING, S.FOLLOW_UP, S.CLOSED})
# States counted as registered in the register and the report.
REGISTERED_OR_LATER = WITH_UNITS | {S.REGISTERED}
# Reply may be written in these states.
REPLYABLE = frozenset({S.ASSIGNED, S.IN_HANDLING, S.REHANDLING})
