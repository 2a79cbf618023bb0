"""The year's admission work (e.g. 2021 年教职工子女入托入学): created on the year's rules,
then the survey (its lines pre-filled), the requests, the referral of every checked request
to the schools at once, and the close once every school has answered."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.admissions.choices import RequestStatus
from gonghui.admissions.models import AdmissionRequest, AdmissionRules, Campaign
from gonghui.admissions.services.notices import requests_referred_notify
from gonghui.admissions.services.survey import survey_prefill
from gonghui.admissions.workflow import AdmissionRequestWorkflow, CampaignWorkflow
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.service_kit import audit, create_or_refuse
from gonghui.core.workflow import transition, transition_bulk


@transaction.atomic
def campaign_create(*, actor, year: int, rules: AdmissionRules, name: str = "", note: str = "") -> Campaign:
    """The year's campaign on the year's rules (a draft may still be adopted before the
    survey opens). One campaign a year."""
    permission_require(actor, "admissions.add_campaign")
    if rules.year != year:
        raise ApplicationError(
            _("规则“%(rules)s”是 %(rules_year)s 年的，不能用于 %(year)s 年。")
            % {"rules": rules.name, "rules_year": rules.year, "year": year},
            extra={"field": "rules"},
        )
    if rules.status == EditionStatus.SUPERSEDED:
        raise ApplicationError(_("规则“%(rules)s”已被取代。") % {"rules": rules.name}, extra={"field": "rules"})
    name = (name or "").strip() or _("%(year)s年教职工子女入托入学") % {"year": year}
    refusal = ApplicationError(_("%(year)s 年的子女入学工作已经建立。") % {"year": year}, extra={"field": "year"})
    if Campaign.objects.filter(year=year).exists():
        raise refusal
    campaign = create_or_refuse(
        Campaign, refusal, year=year, name=name, rules=rules, note=(note or "").strip(), created_by=actor
    )
    CampaignWorkflow.record(campaign, "created", actor)
    audit(
        actor,
        campaign,
        AuditAction.CREATED,
        _("建立%(name)s") % {"name": campaign.name},
        changes=changes_of(year=year, rules=str(rules)),
    )
    return campaign


@transaction.atomic
def campaign_open_survey(*, actor, campaign: Campaign) -> Campaign:
    """Open the survey (the rules must be adopted) and pre-fill its lines."""
    campaign = transition(CampaignWorkflow, campaign, step="open_survey", actor=actor)
    added = survey_prefill(campaign=campaign)
    audit(
        actor,
        campaign,
        AuditAction.UPDATED,
        _("需求摸底预填 %(count)s 名子女") % {"count": added},
        changes=changes_of(prefilled=added),
    )
    return campaign


@transaction.atomic
def campaign_open_requests(*, actor, campaign: Campaign) -> Campaign:
    """Start taking requests (from the survey, or straight from the draft)."""
    return transition(CampaignWorkflow, campaign, step="open_requests", actor=actor)


@transaction.atomic
def campaign_refer(*, actor, campaign: Campaign) -> Campaign:
    """Refer every checked request to its school at once, then move the campaign on. All or
    nothing: refused while a request is submitted but unchecked, or when the actor may not
    refer (only the admissions officer refers children's requests)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    checked = AdmissionRequest.objects.filter(campaign=campaign, status=RequestStatus.CHECKED)
    ids = list(checked.values_list("pk", flat=True))
    if ids:
        transition_bulk(
            AdmissionRequestWorkflow,
            AdmissionRequest.objects.filter(pk__in=ids),
            to=RequestStatus.REFERRED,
            actor=actor,
            message=_("随%(campaign)s统一报送学校") % {"campaign": campaign.name},
        )
    campaign = transition(
        CampaignWorkflow,
        campaign,
        step="refer",
        actor=actor,
        message=_("报送 %(count)s 份申请") % {"count": len(ids)},
        parameters={"referred": len(ids)},
    )
    if ids:
        transaction.on_commit(lambda: requests_referred_notify(ids))
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign, message: str = "") -> Campaign:
    """Close the year once every referred request has the school's answer."""
    return transition(CampaignWorkflow, campaign, step="close", actor=actor, message=message)
