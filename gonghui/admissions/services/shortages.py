"""From demand to action (DOMAIN §3.9): the union office records a shortage of places it
acts on (a year, a stage, a school or a district, the demand and places it saw), and turns it
into a congress proposal — a draft prefilled from the figures in the proposals module, the
delegate's own — or links the proposal that already carries it. The link is kept on the
shortage (`ShortageAction.proposal`). A practical project (实事项目) is the projects module's
to add when it exists."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import permission_require
from gonghui.admissions.choices import KIND_STAGE, SchoolKind, Stage
from gonghui.admissions.models import School, ShortageAction
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, required_text

# How a proposal names the step the children could not take.
STAGE_WORDS = {
    Stage.NURSERY: gettext_lazy("入托入园"),
    Stage.PRIMARY: gettext_lazy("入读小学"),
    Stage.JUNIOR: gettext_lazy("升入初中"),
}


def _stage_words(stage: str) -> str:
    return str(STAGE_WORDS[Stage(stage)])


@transaction.atomic
def shortage_record(
    *,
    actor,
    year: int,
    stage: str,
    school: School | None = None,
    district: str = "",
    demand: int,
    places: int,
    title: str,
    summary: str,
) -> ShortageAction:
    """Record a shortage the office acts on: demand above places for a stage in a year, at a
    school (its district taken from it) or in a district, or for the stage as a whole."""
    permission_require(actor, "admissions.add_shortageaction")
    if stage not in Stage.values:
        raise ApplicationError(_("学段不正确。"), extra={"field": "stage"})
    if school is not None and KIND_STAGE[SchoolKind(school.kind)] != stage:
        raise ApplicationError(
            _("%(school)s不招收%(stage)s阶段的子女。") % {"school": school.name, "stage": Stage(stage).label},
            extra={"field": "school"},
        )
    if demand < 0 or places < 0:
        raise ApplicationError(_("需求数和学位数不能为负数。"), extra={"field": "demand"})
    if demand <= places:
        raise ApplicationError(
            _("需求 %(demand)s 人未超过学位 %(places)s 个，不构成学位缺口。") % {"demand": demand, "places": places},
            extra={"field": "demand"},
        )
    district = school.district if school is not None else (district or "").strip()
    if ShortageAction.objects.filter(year=year, stage=stage, school=school, district=district).exists():
        raise ApplicationError(_("这一学位缺口已经记录过了。"))
    shortage = ShortageAction.objects.create(
        year=year,
        stage=stage,
        school=school,
        district=district,
        demand=demand,
        places=places,
        title=required_text(title, _("请填写标题。"), field="title"),
        summary=required_text(summary, _("请填写缺口情况。"), field="summary"),
        created_by=actor,
    )
    audit(actor, shortage, AuditAction.CREATED, _("记录学位缺口：%(title)s") % {"title": shortage.title})
    return shortage


def _where(shortage: ShortageAction) -> str:
    if shortage.school_id:
        return shortage.school.name
    if shortage.district:
        return _("%(district)s的附属和共建学校") % {"district": shortage.district}
    return _("学校附属和共建学校")


def proposal_text(shortage: ShortageAction) -> dict[str, str]:
    """The proposal's title, grounds and suggestions, from the shortage's figures."""
    words = _stage_words(shortage.stage)
    title = _("关于解决教职工子女%(words)s学位不足问题的建议") % {"words": words}
    grounds = _(
        "%(year)s年校工会教职工子女入学需求摸底显示，有 %(demand)s 名教职工子女需要%(words)s，"
        "而%(where)s仅能提供 %(places)s 个学位，缺口 %(shortfall)s 个。"
    ) % {
        "year": shortage.year,
        "demand": shortage.demand,
        "words": words,
        "where": _where(shortage),
        "places": shortage.places,
        "shortfall": shortage.shortfall,
    }
    if shortage.summary:
        grounds = f"{grounds}\n{shortage.summary}"
    district = shortage.district or _("所在区")
    if shortage.stage == Stage.NURSERY:
        suggestions = _(
            "建议学校与%(district)s教委协商共建幼儿园，或扩大附属幼儿园招生规模，增加面向教职工子女的托位和学位。"
        ) % {"district": district}
    else:
        suggestions = _("建议学校与附属学校及%(district)s教委协商，增加面向教职工子女的%(words)s学位。") % {
            "district": district,
            "words": words,
        }
    return {"title": str(title), "grounds": str(grounds), "suggestions": str(suggestions)}


def _welfare_category():
    from gonghui.proposals.models import ProposalCategory

    return ProposalCategory.objects.filter(name="民生福利").first()


@transaction.atomic
def shortage_proposal_draft(*, actor, shortage: ShortageAction, session):
    """A congress proposal drafted from the shortage, as the actor's own (they must be a
    delegate of the session's term: the proposals module's refusal stands), linked to the
    shortage. The delegate then edits, gathers co-signers and submits it there."""
    from gonghui.proposals.services.submission import proposal_draft_create

    permission_require(actor, "admissions.change_shortageaction", shortage)
    shortage = ShortageAction.objects.select_for_update().get(pk=shortage.pk)
    if shortage.proposal_id:
        raise ApplicationError(_("这一学位缺口已关联提案“%(title)s”。") % {"title": shortage.proposal.title})
    proposal = proposal_draft_create(
        actor=actor, session=session, category=_welfare_category(), one_matter=True, **proposal_text(shortage)
    )
    shortage.proposal = proposal
    shortage.save(update_fields=["proposal", "updated_at"])
    audit(
        actor,
        shortage,
        AuditAction.UPDATED,
        _("据学位缺口起草提案“%(title)s”") % {"title": proposal.title},
        changes={"proposal": [None, proposal.title]},
    )
    return proposal


@transaction.atomic
def shortage_proposal_link(*, actor, shortage: ShortageAction, proposal) -> ShortageAction:
    """Link the congress proposal that carries the shortage (one the actor may read, or a
    published one); a link already there is replaced, the change audited."""
    from gonghui.admissions.selectors.demand import linkable_proposals

    permission_require(actor, "admissions.change_shortageaction", shortage)
    if not linkable_proposals(actor).filter(pk=proposal.pk).exists():
        raise PermissionDenied(_("您无权查看该提案。"))
    shortage = ShortageAction.objects.select_for_update().get(pk=shortage.pk)
    if shortage.proposal_id == proposal.pk:
        return shortage
    before = shortage.proposal.title if shortage.proposal_id else None
    shortage.proposal = proposal
    shortage.save(update_fields=["proposal", "updated_at"])
    audit(
        actor,
        shortage,
        AuditAction.UPDATED,
        _("关联提案“%(title)s”") % {"title": proposal.title},
        changes={"proposal": [before, proposal.title]},
    )
    return shortage
