"""The projects' and bulletins' workflows (DOMAIN §3.10): every status change goes through
core's `transition`.

- ProjectWorkflow: not started → in progress → partly done / done / not done (a reason is
  required) → closed off (销号: results and evidence recorded, by the union office). The lead
  unit's contact person moves their project along; the office can do everything.
- BulletinWorkflow: draft → published (every figure reference resolved and frozen, the issue
  number not yet published in its series) → withdrawn → draft.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.workflow import Attempt, Step, Workflow, workflow_register
from gonghui.projects.choices import BulletinStatus as B
from gonghui.projects.choices import ProjectStatus as P
from gonghui.projects.models import Bulletin, BulletinEvent, PracticalProject, ProjectEvent

LEAD_UNIT = "lead_unit"

by_office = Step.by("projects.manage_practicalproject")


def _results_recorded(attempt: Attempt) -> str | None:
    results = attempt.values.get("results", attempt.obj.results)
    if not (results or "").strip():
        return _("销号须填写工作成效。")
    return None


def _evidence_recorded(attempt: Attempt) -> str | None:
    from gonghui.projects.selectors.projects import evidence_count

    if not evidence_count(attempt.obj):
        return _("销号须有佐证材料：请在销号时上传，或在项目进展中上传照片、文件。")
    return None


@workflow_register
class ProjectWorkflow(Workflow):
    name = "projects.project"
    model = PracticalProject
    event_model = ProjectEvent
    states = P
    initial = (P.NOT_STARTED,)
    person_field = None
    noun = gettext_lazy("实事项目")
    path = (P.NOT_STARTED, P.IN_PROGRESS, P.DONE, P.CLOSED_OFF)
    tones = {
        "in_progress": "action",
        "partly_done": "info",
        "done": "success",
        "not_done": "danger",
        "closed_off": "neutral",
    }
    relation_labels = {LEAD_UNIT: gettext_lazy("牵头单位")}

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        access = get_access(actor)
        if Role.HANDLING_UNIT_OFFICER in access.roles and obj.lead_unit_id in access.unit_ids:
            return {LEAD_UNIT}
        return set()

    steps = (
        by_office("start", P.NOT_STARTED, P.IN_PROGRESS, gettext_lazy("开始推进"), relations={LEAD_UNIT}),
        by_office("partly_done", P.IN_PROGRESS, P.PARTLY_DONE, gettext_lazy("部分完成"), relations={LEAD_UNIT}),
        by_office(
            "resume", (P.PARTLY_DONE, P.NOT_DONE), P.IN_PROGRESS, gettext_lazy("继续推进"), relations={LEAD_UNIT}
        ),
        by_office(
            "done", (P.NOT_STARTED, P.IN_PROGRESS, P.PARTLY_DONE), P.DONE, gettext_lazy("完成"), relations={LEAD_UNIT}
        ),
        by_office(
            "not_done",
            (P.NOT_STARTED, P.IN_PROGRESS, P.PARTLY_DONE),
            P.NOT_DONE,
            gettext_lazy("未完成"),
            relations={LEAD_UNIT},
            message_required=True,
        ),
        by_office(
            "close_off", P.DONE, P.CLOSED_OFF, gettext_lazy("销号"), guards=(_results_recorded, _evidence_recorded)
        ),
    )


def _figures_resolve(attempt: Attempt) -> str | None:
    from gonghui.projects.services.bulletins import unresolved_references

    problems = unresolved_references(attempt.obj)
    if problems:
        return _("简报引用的数据在 %(year)s 年度不存在：%(keys)s。") % {
            "year": attempt.obj.figures_year,
            "keys": "、".join(problems),
        }
    return None


def _issue_free(attempt: Attempt) -> str | None:
    bulletin = attempt.obj
    taken = (
        Bulletin.objects.filter(series_id=bulletin.series_id, issue_no=bulletin.issue_no, status=B.PUBLISHED)
        .exclude(pk=bulletin.pk)
        .exists()
    )
    if taken:
        return _("%(series)s第 %(no)s 期已经发布过，不能重复发布同一期号。") % {
            "series": bulletin.series.name,
            "no": bulletin.issue_no,
        }
    return None


def _has_sections(attempt: Attempt) -> str | None:
    if not attempt.obj.sections.exists():
        return _("简报还没有内容，请先添加栏目。")
    return None


by_editor = Step.by("projects.publish_bulletin")


@workflow_register
class BulletinWorkflow(Workflow):
    name = "projects.bulletin"
    model = Bulletin
    event_model = BulletinEvent
    states = B
    initial = (B.DRAFT,)
    person_field = None
    noun = gettext_lazy("简报")
    path = (B.DRAFT, B.PUBLISHED)
    tones = {"published": "success", "withdrawn": "neutral"}
    steps = (
        by_editor(
            "publish",
            B.DRAFT,
            B.PUBLISHED,
            gettext_lazy("发布"),
            guards=(_has_sections, _issue_free, _figures_resolve),
            stamps=("published_at",),
        ),
        by_editor("withdraw", B.PUBLISHED, B.WITHDRAWN, gettext_lazy("撤回"), message_required=True),
        by_editor("redraft", B.WITHDRAWN, B.DRAFT, gettext_lazy("重新编辑")),
    )
