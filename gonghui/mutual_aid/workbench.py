"""What waits in the mutual-aid society (the workbench's to-do queues) and its figures of the
year at a glance. Each queue is the application list (or the member's own list) filtered to
one waiting status, counted in one query (`gonghui.core.workbench.queue_count`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.registry import TodoQueue, YearFigure
from gonghui.core.workbench import queue_count
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.choices import FeeLineStatus
from gonghui.mutual_aid.models import FeeLine
from gonghui.mutual_aid.selectors.applications import application_list, my_applications
from gonghui.mutual_aid.selectors.report import report_figures
from gonghui.mutual_aid.workflow import DECIDE, OFFICE_CHECK, PAY

# (status, title, permission or role that serves it): the back office's queues
_OFFICE_QUEUES = (
    (S.SUB_UNION_CHECKED, gettext_lazy("互助会补助申请待校工会审核"), OFFICE_CHECK),
    (S.PAYABLE, gettext_lazy("互助会补助公示期满待发放"), PAY),
)
_COMMITTEE_QUEUES = (
    (S.OFFICE_CHECKED, gettext_lazy("互助会补助申请待福利委员会审议")),
    (S.ON_HOLD, gettext_lazy("互助会补助公示异议待处理")),
)


def _list_url(status: str) -> str:
    # every cost year (the list shows the open cost year when `cost_year` is not given at all)
    return f"{reverse('mutual_aid:application_list')}?{urlencode({'status': status, 'cost_year': ''})}"


def _applications(user, status: str, key: str, title: str, role: str) -> TodoQueue:
    return queue_count(
        application_list(user=user, filters={"status": status}),
        key=key,
        title=title,
        url=_list_url(status),
        role=role,
        oldest="submitted_at",
    )


def mutual_aid_todos(user) -> list[TodoQueue]:
    access = get_access(user)
    queues = []
    if Role.SUB_UNION_OFFICER in access.roles and not access.writes_everything:
        queues.append(
            _applications(
                user,
                S.SUBMITTED,
                "mutual_aid.sub_union_check",
                _("互助会补助申请待分工会审核"),
                Role.SUB_UNION_OFFICER.label,
            )
        )
    for status, title, permission in _OFFICE_QUEUES:
        if user.has_perm(permission):
            queues.append(_applications(user, status, f"mutual_aid.{status}", title, Role.UNION_OFFICE.label))
    if user.has_perm(DECIDE):
        for status, title in _COMMITTEE_QUEUES:
            queues.append(_applications(user, status, f"mutual_aid.{status}", title, Role.WELFARE_COMMITTEE.label))
    if access.person_id:
        queues += _member_todos(user)
    return queues


def _member_todos(user) -> list[TodoQueue]:
    """The member's own: applications returned for more documents, and a fee payroll could
    not deduct (to pay at the office)."""
    my_list = reverse("mutual_aid:my_application_list")
    returned = queue_count(
        my_applications(user=user).filter(status=S.RETURNED),
        key="mutual_aid.my_returned",
        title=_("我的补助申请被退回，请补充材料后再提交"),
        url=f"{my_list}?{urlencode({'status': S.RETURNED})}",
        role=Role.MEMBER.label,
        oldest="updated_at",
        deadline="edition__application_window_end",
    )
    failed = queue_count(
        FeeLine.objects.filter(person_id=user.person_id, status=FeeLineStatus.FAILED),
        key="mutual_aid.my_fee_failed",
        title=_("互助会会费工资代扣未成功，请到校工会现场缴纳"),
        url=reverse("mutual_aid:fee_my"),
        role=Role.MEMBER.label,
    )
    return [returned, failed]


def mutual_aid_year_figures(user, year: int) -> list[YearFigure]:
    """Members, fees deducted and subsidies paid (active / retired) of `year`, from the
    society's yearly report (`report_figures`)."""
    if not user.has_perm("mutual_aid.view_ledgerentry"):
        return []
    figures = report_figures(user=user, year=year)
    url = f"{reverse('mutual_aid:report')}?{urlencode({'year': year})}"
    deducted = figures["fees"][FeeLineStatus.DEDUCTED]
    paid = figures["paid"]
    return [
        YearFigure("mutual_aid.members", _("互助会会员"), figures["members"]["total"], url),
        YearFigure(
            "mutual_aid.fees_deducted",
            _("会费工资代扣"),
            deducted["sum"],
            url,
            money=True,
            detail=_("%(count)s 笔") % {"count": deducted["count"]},
        ),
        YearFigure("mutual_aid.paid_active", _("已发放补助（在职）"), paid["active"], url, money=True),
        YearFigure("mutual_aid.paid_retired", _("已发放补助（离退休）"), paid["retired"], url, money=True),
    ]
