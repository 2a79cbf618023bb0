"""Committee sittings (review the whole list in one go, htmx row actions), the public notice
(portal page + PDF), objections, and payment batches. Views are thin: forms validate
fields, services decide, selectors read."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.excel import XLSX_CONTENT_TYPE
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, render_page_or_partial
from gonghui.core.views_kit import ButtonPage, filters_checked, form_service_post
from gonghui.mutual_aid.choices import ApplicationKind
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.forms import committee as forms
from gonghui.mutual_aid.models import CommitteeSitting, NoticeObjection, PaymentBatch, PublicNotice, SubsidyApplication
from gonghui.mutual_aid.selectors import committee as selectors
from gonghui.mutual_aid.services import committee as services
from gonghui.mutual_aid.services import payments
from gonghui.people.models import SubUnion


def _refused(request, error: ApplicationError, url: str):
    messages.error(request, error.message)
    return redirect(url)


# --- sittings ---------------------------------------------------------------------------


class SittingListView(PermissionPageMixin, View):
    permission_required = "mutual_aid.view_committeesitting"

    def get(self, request):
        return render(
            request, "mutual_aid/committee/sitting_list.html", {"sittings": selectors.sitting_list(user=request.user)}
        )


class SittingCreateView(PermissionPageMixin, View):
    permission_required = "mutual_aid.add_committeesitting"
    template = "mutual_aid/committee/sitting_form.html"

    def get(self, request):
        return render(request, self.template, {"form": forms.SittingForm()})

    def post(self, request):
        form = forms.SittingForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.sitting_create(actor=request.user, **data),
            success=_("已记录会议"),
            then=lambda sitting: redirect("mutual_aid:committee_sitting_detail", sitting.pk),
        )
        return done or render(request, self.template, {"form": form}, status=400)


def _sitting(request, pk) -> CommitteeSitting:
    return get_object_or_404(selectors.sitting_list(user=request.user), pk=pk)


class SittingDetailView(PermissionPageMixin, View):
    """The whole list in one page: filter and sort, documents, approve / adjust / reject."""

    permission_required = "mutual_aid.view_committeesitting"

    def get(self, request, pk):
        sitting = _sitting(request, pk)
        applications = list(
            selectors.sitting_applications(
                user=request.user, sitting=sitting, filters=filters_checked(request, forms.SittingFilterForm)
            )
        )
        edition = services.edition_for_year(sitting.year)
        query = request.GET.copy()
        context = {
            "sitting": sitting,
            "edition": edition,
            "applications": applications,
            "can_decide": request.user.has_perm("mutual_aid.decide_subsidyapplication") and not sitting.closed_at,
            "sub_unions": SubUnion.objects.filter(
                pk__in={
                    a.person.sub_union_id for a in selectors.sitting_applications(user=request.user, sitting=sitting)
                }
            ).order_by("sort_key", "name"),
            "kinds": ApplicationKind.choices,
            "filters": request.GET,
            "query": query.urlencode(),
            "close_form": forms.CloseForm(initial={"minutes": sitting.minutes}),
            "notice_form": forms.NoticeForm(),
            "notice": PublicNotice.objects.filter(sitting=sitting).first(),
            "totals": _totals(applications),
        }
        return render_page_or_partial(
            request,
            "mutual_aid/committee/sitting_detail.html",
            "mutual_aid/committee/partials/_sitting_table.html",
            context,
        )


def _totals(applications):
    decided = [a for a in applications if hasattr(a, "decision")]
    return {
        "count": len(applications),
        "decided": len(decided),
        "pending": len(applications) - len(decided),
        "approved": sum((a.approved_amount or 0) for a in decided if a.status != S.REJECTED),
    }


class DecisionView(PermissionPageMixin, View):
    """htmx row action: returns the row as decided, or the row with the refusal."""

    permission_required = "mutual_aid.decide_subsidyapplication"

    def post(self, request, pk, application_pk):
        sitting = _sitting(request, pk)
        application = get_object_or_404(
            selectors.sitting_applications(user=request.user, sitting=sitting), pk=application_pk
        )
        form = forms.DecisionForm(request.POST)
        error = ""
        if not form.is_valid():
            error = _("请选择评议结论。")
        else:
            try:
                services.decision_record(
                    sitting=sitting, application=application, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                error = exc.message
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect("mutual_aid:committee_sitting_detail", sitting.pk)
        application = selectors.sitting_applications(user=request.user, sitting=sitting).get(pk=application.pk)
        html = render_to_string(
            "mutual_aid/committee/partials/_application_row.html",
            {
                "a": application,
                "sitting": sitting,
                "can_decide": not sitting.closed_at,
                "error": error,
                "form_data": request.POST if error else {},
            },
            request=request,
        )
        # the totals above the list follow the decision (out-of-band swap, same filters as the page)
        listed = list(selectors.sitting_applications(user=request.user, sitting=sitting, filters=request.POST))
        html += render_to_string(
            "mutual_aid/committee/partials/_sitting_totals.html",
            {"totals": _totals(listed), "oob": True},
            request=request,
        )
        return HttpResponse(html)


class _SittingButton(ButtonPage):
    def get_object(self, pk):
        return _sitting(self.request, pk)

    def back_url(self, sitting):
        return reverse("mutual_aid:committee_sitting_detail", args=[sitting.pk])


class SittingShareOutView(_SittingButton):
    permission_required = "mutual_aid.decide_subsidyapplication"

    def act(self, request, sitting, data):
        shares, ratio = services.sitting_share_out(sitting=sitting, actor=request.user)
        return _("已按比例分配：%(count)s 件，比例 %(ratio)s") % {"count": len(shares), "ratio": f"{ratio:.4%}"}


class SittingCloseView(_SittingButton):
    permission_required = "mutual_aid.add_committeesitting"
    form_class = forms.CloseForm  # minutes are optional: always valid

    def act(self, request, sitting, data):
        services.sitting_close(sitting=sitting, actor=request.user, minutes=data.get("minutes", ""))
        return _("会议已结束")


class NoticePostView(PermissionPageMixin, View):
    permission_required = "mutual_aid.add_publicnotice"

    def post(self, request, pk):
        sitting = _sitting(request, pk)
        url = reverse("mutual_aid:committee_sitting_detail", args=[sitting.pk])
        form = forms.NoticeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写公示开始日期。"))
            return redirect(url)
        try:
            notice = services.notice_post(sitting=sitting, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            return _refused(request, error, url)
        messages.success(request, _("已发布公示"))
        return redirect("mutual_aid:notice_detail", notice.pk)


# --- the public notice (portal) ---------------------------------------------------------------


class NoticeListView(MemberPageMixin, View):
    def get(self, request):
        return render(
            request, "mutual_aid/committee/notice_list.html", {"notices": selectors.notice_list(user=request.user)}
        )


def _notice(request, pk) -> PublicNotice:
    return get_object_or_404(selectors.notice_list(user=request.user), pk=pk)


class NoticeDetailView(MemberPageMixin, View):
    def get(self, request, pk):
        notice = _notice(request, pk)
        context = {"notice": notice, "rows": selectors.notice_rows(notice=notice)}
        if request.user.has_perm("mutual_aid.add_noticeobjection") or request.user.has_perm(
            "mutual_aid.decide_subsidyapplication"
        ):
            context["objections"] = selectors.objection_list(user=request.user, notice=notice)
            context["resolve_form"] = forms.ResolveForm()
        return render(request, "mutual_aid/committee/notice_detail.html", context)


class NoticePdfView(MemberPageMixin, View):
    def get(self, request, pk):
        from weasyprint import HTML

        notice = _notice(request, pk)
        html = render_to_string(
            "mutual_aid/committee/notice_pdf.html",
            {"notice": notice, "rows": selectors.notice_rows(notice=notice)},
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
        return response


class NoticeEndView(ButtonPage):
    permission_required = "mutual_aid.add_publicnotice"

    def get_object(self, pk):
        return _notice(self.request, pk)

    def back_url(self, notice):
        return reverse("mutual_aid:notice_detail", args=[notice.pk])

    def act(self, request, notice, data):
        from django.utils import timezone

        moved = services.notice_end(notice=notice, today=timezone.localdate(), actor=request.user)
        return _("公示期满：%(count)s 件转为待发放") % {"count": moved}


class ObjectionCreateView(PermissionPageMixin, View):
    permission_required = "mutual_aid.add_noticeobjection"
    template = "mutual_aid/committee/objection_form.html"

    def _form(self, notice, data=None):
        applications = SubsidyApplication.objects.filter(
            decision__sitting_id=notice.sitting_id, status=S.ON_NOTICE
        ).select_related("person")
        return forms.ObjectionForm(data, applications=applications)

    def get(self, request, pk):
        notice = _notice(request, pk)
        return render(request, self.template, {"notice": notice, "form": self._form(notice)})

    def post(self, request, pk):
        notice = _notice(request, pk)
        form = self._form(notice, request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.objection_record(notice=notice, actor=request.user, **data),
            success=_("已记录异议，该申请暂缓发放"),
            then=lambda _result: redirect("mutual_aid:notice_detail", notice.pk),
        )
        return done or render(request, self.template, {"notice": notice, "form": form}, status=400)


class ObjectionResolveView(ButtonPage):
    permission_required = "mutual_aid.decide_subsidyapplication"
    form_class = forms.ResolveForm
    form_invalid = gettext_lazy("请填写处理结果和理由。")

    def get_object(self, pk):
        return get_object_or_404(NoticeObjection.objects.all(), pk=pk)

    def back_url(self, objection):
        return reverse("mutual_aid:notice_detail", args=[objection.notice_id])

    def act(self, request, objection, data):
        services.objection_resolve(objection=objection, actor=request.user, **data)
        return _("异议已处理")


# --- payment ------------------------------------------------------------------------------


class PaymentBatchListView(PermissionPageMixin, View):
    permission_required = "mutual_aid.view_paymentbatch"

    def get(self, request):
        batches = list(selectors.payment_batch_list(user=request.user))
        for batch in batches:
            batch.total = sum((a.approved_amount or 0) for a in batch.applications.all())
        return render(
            request,
            "mutual_aid/committee/batch_list.html",
            {"batches": batches, "batch_form": forms.BatchForm(), "paid_form": forms.PaidForm()},
        )


class _PaymentBatchButton(ButtonPage):
    def get_object(self, pk=None):
        return get_object_or_404(PaymentBatch.objects.all(), pk=pk) if pk is not None else None

    def back_url(self, batch):
        return reverse("mutual_aid:payment_batch_list")


class PaymentBatchCreateView(_PaymentBatchButton):
    permission_required = "mutual_aid.add_paymentbatch"
    form_class = forms.BatchForm
    form_invalid = gettext_lazy("请填写费用年度。")

    def act(self, request, batch, data):
        batch = payments.payment_batch_create(year=data["year"], actor=request.user)
        return _("已生成发放名单：%(count)s 人") % {"count": batch.applications.count()}


class PaymentBatchXlsxView(PermissionPageMixin, View):
    permission_required = "mutual_aid.add_paymentbatch"

    def get(self, request, pk):
        from urllib.parse import quote

        from gonghui.core.history import export_record

        batch = get_object_or_404(PaymentBatch.objects.all(), pk=pk)
        export_record(request.user, what=_("下载补助发放名单"), obj=batch)
        response = HttpResponse(payments.payment_batch_xlsx(batch), content_type=XLSX_CONTENT_TYPE)
        filename = _("%(year)s年度补助发放名单-%(batch)s.xlsx") % {"year": batch.year, "batch": batch.pk}
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


class PaymentBatchPaidView(_PaymentBatchButton):
    permission_required = "mutual_aid.pay_subsidyapplication"
    form_class = forms.PaidForm
    form_invalid = gettext_lazy("请填写发放日期。")

    def act(self, request, batch, data):
        payments.payment_batch_mark_paid(batch=batch, actor=request.user, **data)
        return _("已标记为已发放")
