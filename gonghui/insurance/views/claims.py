"""Claims pages: the office's list, registration and detail with the insurer's decisions;
the member's cover, claims and phone-first claim start."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, paginate
from gonghui.core.views_kit import form_service_post, year_asked
from gonghui.core.workflow import available_steps
from gonghui.insurance.choices import ClaimFlag, ClaimStatus
from gonghui.insurance.forms import ClaimDecisionForm, ClaimDocumentForm, ClaimForm, OfficeClaimForm
from gonghui.insurance.models import PlanClaim
from gonghui.insurance.selectors.figures import claim_list, my_claims, person_cover
from gonghui.insurance.services import claims as claim_services
from gonghui.insurance.workflow import CLAIM_EDITABLE, ClaimWorkflow
from gonghui.people.models import Person

FLAG_LABELS = dict(ClaimFlag.choices)


def _claim_context(request, claim: PlanClaim) -> dict:
    documents = list(claim.documents.select_related("attachment"))
    return {
        "claim": claim,
        "documents": documents,
        "missing": claim.missing_documents(),
        "flags": [FLAG_LABELS[f] for f in claim.flags],
        "events": claim.events.select_related("actor"),
        "benefit": next((b for b in claim.edition.benefits if b["code"] == claim.benefit_code), {}),
        "document_form": ClaimDocumentForm(),
        "editable": claim.status in CLAIM_EDITABLE,
        "steps": {step.name for step in available_steps(ClaimWorkflow, claim, request.user)},
        "decision_form": ClaimDecisionForm(
            initial={
                "on": timezone.localdate(),
                "amount": claim.expected_benefit,
                "payout_account": claim.payout_account,
            }
        ),
    }


def _claim_kwargs(data: dict) -> dict:
    keys = ("benefit_code", "diagnosis", "event_date", "admission_date", "discharge_date", "payout_account")
    return {k: data[k] for k in keys}


def _to_claim(url_name: str):
    """After a claim is registered: its page, the office's or the member's."""
    return lambda claim: redirect(f"insurance:{url_name}", claim.pk)


class ClaimListView(PermissionPageMixin, View):
    permission_required = "insurance.view_planclaim"

    def get(self, request):
        status = request.GET.get("status")
        qs = claim_list(user=request.user, status=status or "")
        return render(
            request,
            "insurance/claim_list.html",
            {
                "page": paginate(request, qs),
                "statuses": ClaimStatus.choices,
                "status": status,
                "flag_labels": FLAG_LABELS,
            },
        )


class ClaimCreateView(PermissionPageMixin, View):
    permission_required = "insurance.add_planclaim"

    def get(self, request):
        return render(request, "insurance/claim_form.html", {"form": OfficeClaimForm(), "office": True})

    def post(self, request):
        form = OfficeClaimForm(request.POST)
        done = form_service_post(request, form, self.report, success=_("理赔已登记"), then=_to_claim("claim_detail"))
        return done or render(request, "insurance/claim_form.html", {"form": form, "office": True})

    def report(self, data: dict) -> PlanClaim:
        person = Person.objects.restrict(self.request.user, "change").filter(staff_no=data["staff_no"]).first()
        if person is None:
            missing = _("找不到工号 %(staff_no)s") % {"staff_no": data["staff_no"]}
            raise ApplicationError(missing, extra={"field": "staff_no"})
        return claim_services.claim_report(
            actor=self.request.user,
            person=person,
            plan=data["plan"],
            reported_on=data["reported_on"],
            **_claim_kwargs(data),
        )


class ClaimDetailView(PermissionPageMixin, View):
    permission_required = "insurance.view_planclaim"

    def get(self, request, pk):
        claim = get_object_or_404(
            PlanClaim.objects.restrict(request.user).select_related("person", "edition__plan", "enrollment"), pk=pk
        )
        return render(request, "insurance/claim_detail.html", {**_claim_context(request, claim), "office": True})


class ClaimActionView(PermissionPageMixin, View):
    """The office's steps: check, submit, returned, paid, refused."""

    permission_required = "insurance.forward_planclaim"
    ACTIONS = {"check", "submit", "return", "pay", "refuse"}

    def post(self, request, pk, action):
        claim = get_object_or_404(PlanClaim.objects.restrict(request.user, "change"), pk=pk)
        if action not in self.ACTIONS:
            raise PermissionDenied
        form = ClaimDecisionForm(request.POST)
        data = form.cleaned_data if form.is_valid() else {}
        on = data.get("on") or timezone.localdate()
        try:
            if action == "check":
                claim_services.claim_check(actor=request.user, claim=claim)
            elif action == "submit":
                claim_services.claim_submit(actor=request.user, claim=claim, submitted_on=on)
            elif action == "return":
                claim_services.claim_return(actor=request.user, claim=claim, reason=data.get("reason", ""), on=on)
            elif action == "pay":
                claim_services.claim_pay(
                    actor=request.user,
                    claim=claim,
                    amount=data.get("amount") or request.POST.get("amount"),
                    paid_on=on,
                    payout_account=data.get("payout_account", ""),
                )
            else:
                claim_services.claim_refuse(actor=request.user, claim=claim, reason=data.get("reason", ""), on=on)
            messages.success(request, _("已更新"))
        except ApplicationError as error:
            messages.error(request, str(error.message))
        return redirect("insurance:claim_detail", claim.pk)


class ClaimDocumentUploadView(MemberPageMixin, View):
    """Upload a checklist document: the office, or the member for their own claim."""

    def post(self, request, pk):
        own = getattr(request.user, "person_id", None)
        claims = PlanClaim.objects.restrict(request.user, "change") | PlanClaim.objects.filter(person_id=own or 0)
        claim = get_object_or_404(claims, pk=pk)
        form = ClaimDocumentForm(request.POST, request.FILES)
        back = "insurance:my_claim_detail" if claim.person_id == own else "insurance:claim_detail"
        if not form.is_valid():
            messages.error(request, _("请选择材料和文件"))
            return redirect(back, claim.pk)
        try:
            claim_services.claim_document_add(
                actor=request.user, claim=claim, name=form.cleaned_data["name"], uploaded_file=form.cleaned_data["file"]
            )
            messages.success(request, _("已上传：%(name)s") % {"name": form.cleaned_data["name"]})
        except (ApplicationError, PermissionDenied) as error:
            messages.error(request, str(getattr(error, "message", "")) or _("不能为此理赔上传材料"))
        return redirect(back, claim.pk)


class MyCoverView(MemberPageMixin, View):
    def get(self, request):
        person = getattr(request.user, "person", None)
        year = year_asked(request)
        cover = person_cover(person=person, year=year) if person else []
        return render(
            request,
            "insurance/my_cover.html",
            {
                "person": person,
                "cover": cover,
                "year": year,
                "claims": my_claims(user=request.user, status=request.GET.get("claim_status", ""))[:20],
            },
        )


class MyClaimCreateView(MemberPageMixin, View):
    def get(self, request):
        if getattr(request.user, "person", None) is None:
            raise PermissionDenied
        return render(
            request,
            "insurance/claim_form.html",
            {"form": ClaimForm(initial={"payout_account": request.user.person.jingka_no})},
        )

    def post(self, request):
        person = getattr(request.user, "person", None)
        if person is None:
            raise PermissionDenied
        form = ClaimForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: claim_services.claim_report(
                actor=request.user, person=person, plan=data["plan"], **_claim_kwargs(data)
            ),
            success=_("理赔已登记，请按清单上传材料"),
            then=_to_claim("my_claim_detail"),
        )
        return done or render(request, "insurance/claim_form.html", {"form": form})


def _my_claim(request, pk) -> PlanClaim:
    return get_object_or_404(my_claims(user=request.user), pk=pk)


class MyClaimDetailView(MemberPageMixin, View):
    def get(self, request, pk):
        claim = _my_claim(request, pk)
        return render(request, "insurance/claim_detail.html", _claim_context(request, claim))


class MyClaimWithdrawView(MemberPageMixin, View):
    def post(self, request, pk):
        claim = _my_claim(request, pk)
        try:
            claim_services.claim_withdraw(actor=request.user, claim=claim)
            messages.success(request, _("已撤回"))
        except ApplicationError as error:
            messages.error(request, str(error.message))
        return redirect("insurance:my_claim_detail", claim.pk)
