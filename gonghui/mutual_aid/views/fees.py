"""Membership and fee pages: the members list, enroll / opt out, fee runs with the payroll
deduction round trip, a person's ledger, receipts and refunds, and the member's own page.
Views validate input and call one service or selector."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.excel import xlsx_response
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import export_record
from gonghui.core.imports import upload_read
from gonghui.core.jobs import job_create, job_enqueue_on_commit
from gonghui.core.models import ImportStatus, Job
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, export_list, paginate
from gonghui.core.views_kit import ImportPreviewPageMixin, list_query, staff_columns
from gonghui.mutual_aid.choices import FeeLineStatus, SchemeMembershipStatus
from gonghui.mutual_aid.forms.fees import (
    CorrectionForm,
    EnrollForm,
    FeeRunForm,
    JoinForm,
    LineFilterForm,
    MemberFilterForm,
    MyOptOutForm,
    OptOutForm,
    ReceiptForm,
    RefundForm,
    ResultUploadForm,
)
from gonghui.mutual_aid.models import FeeLine, SchemeMembership
from gonghui.mutual_aid.selectors import fees as selectors
from gonghui.mutual_aid.services import fees as services
from gonghui.mutual_aid.services.membership import (
    eligibility_problem,
    join_terms,
    scheme_membership_enroll,
    scheme_membership_lapse_unpaid,
    scheme_membership_opt_out,
    yearly_fee,
)
from gonghui.mutual_aid.tasks import fee_run_run
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, SubUnion


def _this_year() -> int:
    return timezone.localdate().year


def _form_page(request, *, title, form, subtitle="", cancel_url="", status=200, extra=None):
    context = {"title": title, "subtitle": subtitle, "form": form, "cancel_url": cancel_url, **(extra or {})}
    return render(request, "mutual_aid/fees/form.html", context, status=status)


# ---------------------------------------------------------------------------------------
# Members


class MemberListView(PermissionPageMixin, View):
    """The society's members (sub-union officers: their people only), with the year's fee
    line; filters by sub-union, status and channel; .xlsx export of what is shown."""

    permission_required = "mutual_aid.view_schememembership"

    def get(self, request):
        sub_unions = SubUnion.objects.current().restrict(request.user, "view").order_by("sort_key", "name")
        form = MemberFilterForm(request.GET or None, sub_unions=sub_unions)
        filters = form.cleaned_data if form.is_valid() else {}
        year = filters.get("year") or _this_year()
        filters = {**filters, "sub_union": filters["sub_union"].pk if filters.get("sub_union") else None}
        rows = selectors.membership_list(user=request.user, year=year, filters=filters)
        if request.GET.get("export") == "xlsx":
            export_record(
                request.user,
                what=_("导出互助会会员名单"),
                object_type="mutual_aid.schememembership",
                query=request.GET.urlencode(),
            )
            statuses = dict(FeeLineStatus.choices)
            return export_list(
                filename=_("互助会会员-%(year)s.xlsx") % {"year": year},
                columns=[
                    *staff_columns(lambda m: m.person),
                    (_("状态"), lambda m: m.get_status_display()),
                    (_("缴费渠道"), lambda m: m.get_fee_channel_display()),
                    (_("入会日期"), lambda m: m.joined_on),
                    (_("享受补助起始日"), lambda m: m.eligible_from),
                    (_("应补缴"), lambda m: m.back_pay_due),
                    (_("%(year)s 年度会费") % {"year": year}, lambda m: m.line_amount),
                    (_("缴费状态"), lambda m: statuses.get(m.line_status, "")),
                ],
                rows=rows.iterator(chunk_size=2000),
                sheet_title=_("互助会会员"),
            )
        return render(
            request,
            "mutual_aid/fees/members.html",
            {
                "form": form,
                "page": paginate(request, rows),
                "year": year,
                "query": list_query(request, "export"),
                "line_statuses": dict(FeeLineStatus.choices),
            },
        )


class EnrollView(PermissionPageMixin, View):
    """The office or a sub-union officer enrolls someone by staff number."""

    permission_required = "mutual_aid.add_schememembership"

    def _page(self, request, form, status=200):
        return _form_page(
            request, title=_("办理入会"), form=form, status=status, cancel_url=reverse("mutual_aid:fee_members")
        )

    def get(self, request):
        return self._page(request, EnrollForm())

    def post(self, request):
        form = EnrollForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        person = (
            Person.objects.restrict(request.user, "view").filter(staff_no=form.cleaned_data["staff_no"].strip()).first()
        )
        if person is None:
            form.add_error("staff_no", _("找不到该工号，或无权为其办理"))
            return self._page(request, form, status=400)
        try:
            membership = scheme_membership_enroll(
                person=person,
                actor=request.user,
                on=form.cleaned_data["joined_on"],
                channel=form.cleaned_data["channel"],
            )
        except (ApplicationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
            return self._page(request, form, status=400)
        messages.success(
            request,
            _("%(name)s 已加入医疗互助会，享受补助起始日 %(date)s，应补缴 %(back_pay)s 元")
            % {
                "name": person.name,
                "date": membership.eligible_from,
                "back_pay": membership.back_pay_due,
            },
        )
        return redirect("mutual_aid:fee_members")


class OptOutView(PermissionPageMixin, View):
    permission_required = "mutual_aid.change_schememembership"

    def _membership(self, request, pk):
        return get_object_or_404(
            SchemeMembership.objects.restrict(request.user, "change").select_related("person"), pk=pk
        )

    def _page(self, request, membership, form, status=200):
        return _form_page(
            request,
            title=_("退出医疗互助会"),
            form=form,
            status=status,
            subtitle=f"{membership.person.name} · {membership.person.staff_no}",
            cancel_url=reverse("mutual_aid:fee_members"),
            extra={"note": _("退出自下一会费年度起生效，本年度会费照常缴纳。")},
        )

    def get(self, request, pk):
        return self._page(request, self._membership(request, pk), OptOutForm())

    def post(self, request, pk):
        membership = self._membership(request, pk)
        form = OptOutForm(request.POST)
        if not form.is_valid():
            return self._page(request, membership, form, status=400)
        try:
            scheme_membership_opt_out(
                membership=membership,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self._page(request, membership, form, status=400)
        messages.success(request, _("已办理退出"))
        return redirect("mutual_aid:fee_members")


# ---------------------------------------------------------------------------------------
# The member's own page


class MyMembershipView(MemberPageMixin, View):
    """我的互助会: membership, fee lines by year with their status and balance, entries."""

    def get(self, request):
        person = request.user.person
        context = {"person": person}
        if person is not None:
            context.update(
                {
                    "membership": selectors.membership_of(person=person),
                    "lines": selectors.person_fee_lines(person=person),
                    "entries": selectors.ledger_entries(user=request.user, person=person),
                    "balance": selectors.person_balance(person=person),
                    "edition": selectors.edition_adopted_for_year(year=_this_year()),
                }
            )
        return render(request, "mutual_aid/fees/my.html", context)


class JoinView(MemberPageMixin, View):
    """加入医疗互助会: the year's rules in short, the terms for a join today, and a confirm."""

    def _context(self, request, form):
        person = request.user.person
        today = timezone.localdate()
        edition = selectors.edition_adopted_for_year(year=today.year)
        context = {"person": person, "edition": edition, "form": form, "today": today}
        if person is not None and edition is not None:
            context["problem"] = eligibility_problem(edition=edition, person=person)
            context["fee"] = yearly_fee(edition=edition, person=person)
            context["eligible_from"], context["back_pay"] = join_terms(edition=edition, person=person, on=today)
            context["membership"] = selectors.membership_of(person=person)
            context["retired"] = person.employment_status == EmploymentStatus.RETIRED
        return context

    def get(self, request):
        return render(request, "mutual_aid/fees/join.html", self._context(request, JoinForm()))

    def post(self, request):
        form = JoinForm(request.POST)
        person = request.user.person
        if person is None:
            raise Http404
        if form.is_valid():
            try:
                scheme_membership_enroll(
                    person=person, actor=request.user, on=timezone.localdate(), channel=form.cleaned_data["channel"]
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("您已加入医疗互助会"))
                return redirect("mutual_aid:fee_my")
        return render(request, "mutual_aid/fees/join.html", self._context(request, form), status=400)


# ---------------------------------------------------------------------------------------
# Fee runs and the deduction round trip


class FeeRunListView(PermissionPageMixin, View):
    permission_required = "mutual_aid.view_feerun"

    def get(self, request):
        years = [(year, selectors.fee_year_summary(year=year)) for year in selectors.fee_years()]
        recent = Job.objects.filter(kind=services.FEE_RUN_KIND).select_related("created_by")[:10]
        return render(
            request,
            "mutual_aid/fees/runs.html",
            {
                "years": years,
                "form": FeeRunForm(initial={"year": _this_year()}),
                "recent": recent,
            },
        )


class FeeRunStartView(PermissionPageMixin, View):
    """Start the year's fee run as a background job and show its progress."""

    permission_required = "mutual_aid.add_feerun"

    def post(self, request):
        form = FeeRunForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写有效的年度"))
            return redirect("mutual_aid:fee_runs")
        year = form.cleaned_data["year"]
        if selectors.edition_adopted_for_year(year=year) is None:
            messages.error(request, _("%(year)s 年度尚无已通过的管理办法，不能计费") % {"year": year})
            return redirect("mutual_aid:fee_runs")
        job = job_create(
            kind=services.FEE_RUN_KIND,
            title=_("%(year)s 年度会费批次") % {"year": year},
            created_by=request.user,
            parameters={"year": year},
        )
        job_enqueue_on_commit(fee_run_run, job_id=job.pk)
        return redirect("core:job_detail", pk=job.pk)


class FeeYearView(PermissionPageMixin, View):
    """One year: lines by status with counts and sums, the lines themselves, the deduction
    file, the result upload and the lapse of unpaid memberships."""

    permission_required = "mutual_aid.view_feerun"

    def get(self, request, year):
        form = LineFilterForm(request.GET or None)
        status = form.cleaned_data.get("status") if form.is_valid() else ""
        lines = selectors.fee_line_list(user=request.user, year=year)
        if status:
            lines = lines.filter(status=status)
        return render(
            request,
            "mutual_aid/fees/year.html",
            {
                "year": year,
                "summary": selectors.fee_year_summary(year=year),
                "form": form,
                "page": paginate(request, lines),
                "upload_form": ResultUploadForm(),
                "query": list_query(request),
            },
        )


class DeductionFileView(PermissionPageMixin, View):
    permission_required = "mutual_aid.add_feerun"

    def get(self, request, year):
        export_record(
            request.user,
            what=_("下载 %(year)s 年度会费代扣文件") % {"year": year},
            object_type="mutual_aid.feeline",
            query=f"year={year}",
        )
        return xlsx_response(
            filename=_("互助会会费代扣-%(year)s.xlsx") % {"year": year},
            headers=[_("工号"), _("姓名"), _("单位"), _("扣款项目"), _("扣款金额"), _("年度")],
            rows=selectors.deduction_rows(year=year),
            sheet_title=_("代扣明细"),
            text_columns={0},
        )


class ResultUploadView(PermissionPageMixin, View):
    permission_required = "mutual_aid.add_ledgerentry"

    def post(self, request, year):
        form = ResultUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择扣款结果文件"))
            return redirect("mutual_aid:fee_year", year=year)
        upload = form.cleaned_data["file"]
        try:
            upload = upload_read(services.RESULT_KIND, upload)  # refused by name and size before it is read
            preview = services.fee_result_preview(
                year=year, actor=request.user, data=upload.data, filename=upload.filename
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("mutual_aid:fee_year", year=year)
        return redirect("mutual_aid:fee_result_preview", pk=preview.pk)


class _ResultMixin(ImportPreviewPageMixin):
    permission_required = "mutual_aid.add_ledgerentry"
    import_kind = services.RESULT_KIND


class ResultPreviewView(_ResultMixin, View):
    def get(self, request, pk):
        preview = self.get_preview(pk)
        if unready := self.unready(preview, reverse("mutual_aid:fee_year", args=[int(preview.target)])):
            return unready
        return render(
            request,
            "mutual_aid/fees/result_preview.html",
            {
                "preview": preview,
                "rows": preview.summary,
                "year": int(preview.target),
                "confirmed": preview.status == ImportStatus.CONFIRMED,
                "pending": preview.is_pending,
                "outcome": preview.result,
            },
        )


class ResultConfirmView(_ResultMixin, View):
    def post(self, request, pk):
        preview = self.get_preview(pk)
        try:
            result = services.fee_result_confirm(preview=preview, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("mutual_aid:fee_result_preview", pk=preview.pk)
        messages.success(
            request,
            _("已入账：扣款成功 %(ok)s 人 %(amount)s 元，失败 %(failed)s 人")
            % {
                "ok": result["deducted"],
                "amount": result["deducted_amount"],
                "failed": result["failed"],
            },
        )
        return redirect("mutual_aid:fee_year", year=int(preview.target))


class LapseView(PermissionPageMixin, View):
    permission_required = "mutual_aid.change_schememembership"

    def post(self, request, year):
        count = scheme_membership_lapse_unpaid(year=year, actor=request.user)
        messages.success(request, _("已中止 %(count)s 名未缴 %(year)s 年度会费的会员") % {"count": count, "year": year})
        return redirect("mutual_aid:fee_year", year=year)


# ---------------------------------------------------------------------------------------
# A person's ledger, receipts and refunds


class PersonLedgerView(PermissionPageMixin, View):
    permission_required = "mutual_aid.view_ledgerentry"

    def get(self, request, person_pk):
        person = get_object_or_404(
            Person.objects.restrict(request.user, "view").select_related("sub_union"), pk=person_pk
        )
        return render(
            request,
            "mutual_aid/fees/ledger.html",
            {
                "person": person,
                "membership": selectors.membership_of(person=person),
                "lines": selectors.person_fee_lines(person=person),
                "entries": selectors.ledger_entries(user=request.user, person=person),
                "balance": selectors.person_balance(person=person),
            },
        )


class _LineEntryView(PermissionPageMixin, View):
    permission_required = "mutual_aid.add_ledgerentry"
    form_class = None
    title = ""

    def _line(self, request, pk) -> FeeLine:
        return get_object_or_404(FeeLine.objects.restrict(request.user, "change").select_related("person"), pk=pk)

    def _page(self, request, line, form, status=200):
        return _form_page(
            request,
            title=self.title,
            form=form,
            status=status,
            subtitle=_("%(name)s · %(year)s 年度会费 %(amount)s 元 · 余额 %(balance)s 元")
            % {
                "name": line.person.name,
                "year": line.year,
                "amount": line.amount,
                "balance": selectors.fee_line_balance(fee_line=line),
            },
            cancel_url=reverse("mutual_aid:fee_ledger", args=[line.person_id]),
        )

    def get(self, request, pk):
        return self._page(request, self._line(request, pk), self.form_class())

    def post(self, request, pk):
        line = self._line(request, pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self._page(request, line, form, status=400)
        try:
            self.write(line, form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self._page(request, line, form, status=400)
        messages.success(request, _("已记账"))
        return redirect("mutual_aid:fee_ledger", person_pk=line.person_id)


class ReceiptView(_LineEntryView):
    form_class = ReceiptForm
    title = gettext_lazy("现场收款")

    def write(self, line, data):
        services.fee_receipt_record(fee_line=line, amount=data["amount"], actor=self.request.user, memo=data["memo"])


class RefundView(_LineEntryView):
    form_class = RefundForm
    title = gettext_lazy("退费")

    def write(self, line, data):
        services.fee_refund(fee_line=line, amount=data["amount"], actor=self.request.user, reason=data["reason"])


class LedgerCorrectionView(PermissionPageMixin, View):
    """更正: a new signed ledger entry with its reason (entries are never edited). Office only."""

    permission_required = "mutual_aid.add_ledgerentry"

    def _person(self, request, person_pk):
        return get_object_or_404(Person.objects.restrict(request.user, "change"), pk=person_pk)

    def _form(self, person, data=None):
        lines = FeeLine.objects.filter(person=person).order_by("-year")
        return CorrectionForm(data, lines=lines, initial={"year": _this_year()})

    def _page(self, request, person, form, status=200):
        return _form_page(
            request,
            title=_("账目更正"),
            form=form,
            status=status,
            subtitle=_("%(name)s · %(staff_no)s · 余额 %(balance)s 元")
            % {"name": person.name, "staff_no": person.staff_no, "balance": selectors.person_balance(person=person)},
            cancel_url=reverse("mutual_aid:fee_ledger", args=[person.pk]),
            extra={"note": _("更正记为一笔新的账目，原有账目不会修改。负数表示会员应补缴，正数表示记入会员已缴。")},
        )

    def get(self, request, person_pk):
        person = self._person(request, person_pk)
        return self._page(request, person, self._form(person))

    def post(self, request, person_pk):
        person = self._person(request, person_pk)
        form = self._form(person, request.POST)
        if not form.is_valid():
            return self._page(request, person, form, status=400)
        data = form.cleaned_data
        try:
            services.ledger_correction(
                person=person,
                year=data["year"],
                amount=data["amount"],
                actor=request.user,
                reason=data["reason"],
                fee_line=data["fee_line"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self._page(request, person, form, status=400)
        messages.success(request, _("已记账"))
        return redirect("mutual_aid:fee_ledger", person_pk=person.pk)


class MyOptOutView(MemberPageMixin, View):
    """退出医疗互助会 from the portal: the member's own membership, a reason required."""

    def _membership(self, request):
        person = request.user.person
        membership = selectors.membership_of(person=person) if person is not None else None
        if membership is None or membership.status != SchemeMembershipStatus.ACTIVE:
            raise Http404
        return membership

    def _page(self, request, form, status=200):
        return _form_page(
            request,
            title=_("退出医疗互助会"),
            form=form,
            status=status,
            cancel_url=reverse("mutual_aid:fee_my"),
            extra={
                "note": _(
                    "退出自下一会费年度起生效，本年度会费照常缴纳。退出后如需重新加入，按当年管理办法的补缴和等待期办理。"
                )
            },
        )

    def get(self, request):
        self._membership(request)
        return self._page(request, MyOptOutForm())

    def post(self, request):
        membership = self._membership(request)
        form = MyOptOutForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            scheme_membership_opt_out(
                membership=membership, actor=request.user, reason=form.cleaned_data["reason"], on=timezone.localdate()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self._page(request, form, status=400)
        messages.success(request, _("您已退出医疗互助会"))
        return redirect("mutual_aid:fee_my")
