"""One POST view per step on a proposal. Each looks the proposal up among those the user
may act on in that capacity (404 otherwise), calls one service, and goes back to the
proposal page with the outcome as a message."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.proposals import forms
from gonghui.proposals.models import Proposal
from gonghui.proposals.selectors.proposals import proposals_actionable
from gonghui.proposals.services import handling, submission, triage


class _Invalid(ApplicationError):
    pass


def _form(form_class, request, **kwargs):
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[k].label if k in form.fields else ''}{' '.join(v)}" for k, v in form.errors.items()
        )
        raise _Invalid(errors)
    return form.cleaned_data


class ProposalActionView(LoginRequiredMixin, View):
    as_role = ""
    done = ""

    def act(self, request, proposal):  # pragma: no cover - each subclass acts
        raise NotImplementedError

    def post(self, request, pk):
        proposal = get_object_or_404(proposals_actionable(user=request.user, as_role=self.as_role), pk=pk)
        try:
            message = self.act(request, proposal)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, message or self.done)
        return redirect("proposals:detail", proposal.pk)


class ProposalStepView(ProposalActionView):
    """A step whose whole work is one service call with the proposal, the actor, the checked
    form's fields (if it has a form) and the named POST texts (blank when missing). Declared
    as one row with `of`, so the table below reads as the list of steps it is."""

    form_class: type | None = None
    texts: tuple[str, ...] = ()

    @staticmethod
    def service(**kwargs):  # pragma: no cover - each row names its service
        raise NotImplementedError

    @classmethod
    def of(cls, as_role: str, done: str, service, *, form_class=None, texts: tuple[str, ...] = ()):
        attrs = {"as_role": as_role, "done": done, "form_class": form_class, "texts": texts}
        return type(f"{service.__name__}_view", (cls,), {**attrs, "service": staticmethod(service)})

    def act(self, request, proposal):
        data = _form(self.form_class, request) if self.form_class else {}
        texts = {name: request.POST.get(name, "") for name in self.texts}
        self.service(proposal=proposal, actor=request.user, **data, **texts)


# --- proposer ------------------------------------------------------------------------------


class InviteView(ProposalActionView):
    as_role = "proposer"

    def act(self, request, proposal):
        data = _form(forms.InviteForm, request, proposal=proposal)
        created = submission.co_signers_invite(proposal=proposal, actor=request.user, delegates=data["delegates"])
        return _("已邀请 %(n)s 位代表附议，请他们登录确认。") % {"n": len(created)}


class SubmitView(ProposalActionView):
    as_role = "proposer"

    def act(self, request, proposal):
        submission.proposal_submit(proposal=proposal, actor=request.user)
        proposal.refresh_from_db()
        if proposal.kind == "opinion":
            return _("征集已截止，已作为意见建议提交。")
        return _("提案已提交，等待提案工作委员会审查。")


WithdrawView = ProposalStepView.of("proposer", _("已撤回。"), submission.proposal_withdraw, texts=("reason",))
ReturnToDraftView = ProposalStepView.of(
    "proposer", _("已退回草稿，修改后请重新邀请附议。"), submission.proposal_return_to_draft
)


class RateView(ProposalActionView):
    as_role = "rater"
    done = _("感谢您的评价。")

    def act(self, request, proposal):
        data = _form(forms.RatingForm, request, rules=proposal.session.rules_in_force())
        handling.rating_submit(proposal=proposal, actor=request.user, level=data["level"], comment=data["comment"])


# --- co-signer -----------------------------------------------------------------------------

CoSignView = ProposalStepView.of("co_signer", _("已确认附议。"), submission.co_signature_confirm)
CoSignWithdrawView = ProposalStepView.of("co_signer", _("已撤回附议。"), submission.co_signature_withdraw)


# --- committee, presidium, office --------------------------------------------------------


class TriageView(ProposalActionView):
    as_role = "committee"

    def act(self, request, proposal):
        data = _form(forms.TriageForm, request)
        target = None
        if data["outcome"] == "merged" and data["merge_into"]:
            n = data["merge_into"]
            target = (
                Proposal.objects.filter(session=proposal.session, number=n).first()
                or Proposal.objects.filter(session=proposal.session, pk=n).first()
            )
        triage.proposal_triage(
            proposal=proposal, actor=request.user, outcome=data["outcome"], reason=data["reason"], merge_into=target
        )
        proposal.refresh_from_db()
        return _("审查结论：%(status)s") % {"status": proposal.get_status_display()}


class PresidiumView(ProposalActionView):
    as_role = "presidium"

    def act(self, request, proposal):
        data = _form(forms.TriageForm, request)
        triage.proposal_presidium_decide(
            proposal=proposal, actor=request.user, outcome=data["outcome"], reason=data["reason"]
        )
        return _("已记录主席团决定。")


class UnitsView(ProposalActionView):
    as_role = "office"
    done = _("已确定承办单位，待分管校领导审签后交办。")

    def act(self, request, proposal):
        data = _form(forms.UnitsForm, request)
        triage.proposal_units_set(
            proposal=proposal, actor=request.user, lead_unit=data["lead_unit"], co_units=list(data["co_units"])
        )


class ReopenView(ProposalActionView):
    as_role = "committee"
    done = _("已重新开放答复。")

    def act(self, request, proposal):
        try:
            until = datetime.date.fromisoformat(request.POST.get("until", ""))
        except ValueError as exc:
            raise _Invalid(_("请填写重新开放的截止日期。")) from exc
        handling.reply_reopen(proposal=proposal, actor=request.user, until=until, reason=request.POST.get("reason", ""))


FollowUpCloseView = ProposalStepView.of("committee", _("已办结。"), handling.follow_up_close, texts=("note",))


# --- handling units ------------------------------------------------------------------------

ContactView = ProposalStepView.of("unit", _("已记录沟通情况。"), handling.contact_record, form_class=forms.ContactForm)
CoInputView = ProposalStepView.of("unit", _("已提交协办意见。"), handling.co_input_record, texts=("text",))
ReplyView = ProposalStepView.of(
    "unit", _("答复已保存，请报分管校领导审签。"), handling.reply_draft, form_class=forms.ReplyForm
)
ReplySignOffView = ProposalStepView.of(
    "unit", _("已登记分管校领导审签。"), handling.reply_sign_off, texts=("leader_name",)
)
ReplyReleaseView = ProposalStepView.of("unit", _("答复已发布，提案人将收到通知。"), handling.reply_release)


class MilestoneView(ProposalActionView):
    as_role = "unit"
    done = _("已保存进展。")

    def act(self, request, proposal):
        title = request.POST.get("title", "").strip()
        due = request.POST.get("due_on") or None
        try:
            due_on = datetime.date.fromisoformat(due) if due else None
        except ValueError as exc:
            raise _Invalid(_("日期格式不正确。")) from exc
        if title:
            handling.milestone_add(proposal=proposal, actor=request.user, title=title, due_on=due_on)
        if request.POST.get("progress", "") != "":
            milestone = proposal.milestones.filter(pk=request.POST.get("milestone") or 0).first()
            try:
                progress = int(request.POST["progress"])
            except ValueError as exc:
                raise _Invalid(_("进度应为 0 到 100 的整数。")) from exc
            handling.progress_update(
                proposal=proposal,
                actor=request.user,
                progress=progress,
                note=request.POST.get("note", ""),
                milestone=milestone,
            )
