"""Back-office pages: configure and advance a drive, sessions, the survey board, registrations,
roster versions and the provider's result, service points and bookings, the report.
Views validate input and call one service or selector."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.accounts.access import permission_require
from gonghui.core.editions import edition_adopt
from gonghui.core.excel import XLSX_CONTENT_TYPE
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import export_record
from gonghui.core.imports import import_preview_get, upload_read
from gonghui.core.models import ImportPreview
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, export_list, paginate
from gonghui.core.views_kit import ButtonPage, import_preview_unready, next_or, own_step
from gonghui.core.workflow import available_steps
from gonghui.drives import forms
from gonghui.drives.choices import DrivePhase, RegistrationStatus
from gonghui.drives.models import Drive, InfoSession, ServicePoint, SlotBooking, TimeSlot
from gonghui.drives.selectors.drives import booking_list, drive_list, registration_list, session_signups
from gonghui.drives.selectors.figures import drive_figures, drive_report
from gonghui.drives.selectors.survey import SURVEY_BOARD_COLUMNS, survey_board, survey_people
from gonghui.drives.services import drives as drive_services
from gonghui.drives.services import points as point_services
from gonghui.drives.services import results as result_services
from gonghui.drives.services import roster as roster_services
from gonghui.drives.services import sessions as session_services
from gonghui.drives.services import survey as survey_services
from gonghui.drives.services.registrations import registration_create, registration_withdraw
from gonghui.drives.workflow import DriveWorkflow
from gonghui.people.boards import board_totals
from gonghui.people.models import Person, SubUnion


def _drive(request, pk, action="view") -> Drive:
    return get_object_or_404(Drive.objects.restrict(request.user, action).select_related("rules"), pk=pk)


def _back(request, drive, name="drives:drive_detail"):
    return redirect(next_or(request, reverse(name, args=[drive.pk])))


def _refused(request, error: ApplicationError):
    messages.error(request, error.message)


class DriveListView(PermissionPageMixin, View):
    permission_required = "drives.view_drive"

    def get(self, request):
        return render(request, "drives/office/drive_list.html", {"drives": drive_list(user=request.user)})


def _settings_page(request, *, drive=None, form=None, rules_form=None, status=200):
    """The drive's settings: the drive, its rules while a draft (with adoption), or the
    adopted rules read-only."""
    rules = getattr(drive, "rules", None)
    editable = rules is None or rules.is_editable
    return render(
        request,
        "drives/office/drive_form.html",
        {
            "drive": drive,
            "rules": rules,
            "form": form or forms.DriveForm(instance=drive),
            "rules_form": (rules_form or forms.DriveRulesForm(instance=rules)) if editable else None,
            "adopt_form": forms.AdoptForm() if drive is not None and editable else None,
            "title": _("修改参保活动") if drive else _("新建参保活动"),
        },
        status=status,
    )


class DriveCreateView(PermissionPageMixin, View):
    permission_required = "drives.add_drive"

    def get(self, request):
        return _settings_page(request)

    def post(self, request):
        form, rules_form = forms.DriveForm(request.POST), forms.DriveRulesForm(request.POST)
        if form.is_valid() and rules_form.is_valid():
            try:
                drive = drive_services.drive_create(
                    actor=request.user,
                    categories=rules_form.cleaned_data["categories"],
                    **form.cleaned_data,
                    **rules_form.values(),
                )
                return redirect("drives:drive_detail", drive.pk)
            except ApplicationError as error:
                form.add_error(None, error.message)
        return _settings_page(request, form=form, rules_form=rules_form, status=400)


class DriveEditView(PermissionPageMixin, View):
    """The drive's settings page: the drive, and its rules while they are a draft."""

    permission_required = "drives.change_drive"

    def get(self, request, pk):
        return _settings_page(request, drive=_drive(request, pk, "change"))

    def post(self, request, pk):
        drive = _drive(request, pk, "change")
        form = forms.DriveForm(request.POST, instance=Drive.objects.get(pk=drive.pk))
        rules_form = forms.DriveRulesForm(request.POST, instance=drive.rules) if drive.rules.is_editable else None
        if form.is_valid() and (rules_form is None or rules_form.is_valid()):
            rule_values = {} if rules_form is None else rules_form.values()
            categories = None if rules_form is None else rules_form.cleaned_data["categories"]
            try:
                drive_services.drive_update(
                    drive=drive, actor=request.user, categories=categories, **form.cleaned_data, **rule_values
                )
                return redirect("drives:drive_detail", drive.pk)
            except ApplicationError as error:
                form.add_error(None, error.message)
        return _settings_page(
            request, drive=_drive(request, pk, "change"), form=form, rules_form=rules_form, status=400
        )


class RulesAdoptView(PermissionPageMixin, View):
    """Adopt the drive's draft rules (date and act): registration may then open."""

    permission_required = "drives.change_driverules"

    def post(self, request, pk):
        drive = _drive(request, pk, "change")
        form = forms.AdoptForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写通过日期和通过依据"))
            return redirect("drives:drive_edit", drive.pk)
        try:
            edition_adopt(actor=request.user, edition=drive.rules, **form.cleaned_data)
        except ApplicationError as error:
            _refused(request, error)
            return redirect("drives:drive_edit", drive.pk)
        messages.success(request, _("参保规则已通过"))
        return redirect("drives:drive_detail", drive.pk)


class DriveDetailView(PermissionPageMixin, View):
    permission_required = "drives.view_drive"

    def get(self, request, pk):
        drive = _drive(request, pk)
        return render(
            request,
            "drives/office/drive_detail.html",
            {
                "drive": drive,
                "rules": drive.rules,
                "next_steps": available_steps(DriveWorkflow, drive, request.user),
                "figures": drive_figures(drive),
                "sessions": drive.sessions.all(),
                "events": drive.events.select_related("actor"),
                "session_form": forms.SessionForm(),
                "document_form": forms.DocumentForm(),
                "contacts": [line for line in drive.contacts.splitlines() if line.strip()],
            },
        )


class _DriveButton(ButtonPage):
    """A button on a drive's page: back to the page it was pressed on (`next`) or the drive's."""

    def get_object(self, pk, **kwargs):
        return _drive(self.request, pk, "change")

    def back_url(self, drive):
        return next_or(self.request, reverse("drives:drive_detail", args=[drive.pk]))


class DriveAdvanceView(_DriveButton):
    permission_required = "drives.advance_drive"
    form_class = forms.AdvanceForm
    form_invalid = gettext_lazy("请选择阶段")

    def act(self, request, drive, data):
        drive_services.drive_advance(drive=drive, actor=request.user, to_phase=data["to_phase"])
        return _("已进入“%(phase)s”阶段") % {"phase": DrivePhase(data["to_phase"]).label}


class DocumentUploadView(_DriveButton):
    permission_required = "drives.change_drive"
    form_class = forms.DocumentForm
    form_invalid = gettext_lazy("请选择要上传的文件")

    def act(self, request, drive, data):
        kind = self.kwargs["kind"]
        drive_services.drive_document_attach(drive=drive, actor=request.user, kind=kind, uploaded_file=data["file"])
        return _("文件已上传")


class DocumentView(MemberPageMixin, View):
    """The leaflet or terms, for anyone who sees the drive (members included)."""

    def get(self, request, pk, kind):
        from django.http import FileResponse

        drive = _drive(request, pk)
        if kind not in ("leaflet", "terms"):
            raise Http404
        attachment = getattr(drive, kind)
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=False, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SessionCreateView(_DriveButton):
    permission_required = "drives.change_drive"
    form_class = forms.SessionForm
    form_invalid = gettext_lazy("请完整填写宣讲会的主题、时间、地点和名额")

    def act(self, request, drive, data):
        session_services.info_session_create(drive=drive, actor=request.user, **data)
        return None  # the new session on the page says it


class SessionDetailView(PermissionPageMixin, View):
    permission_required = "drives.view_drive"

    def _session(self, request, pk):
        session = get_object_or_404(InfoSession.objects.select_related("drive"), pk=pk)
        _drive(request, session.drive_id)
        return session

    def get(self, request, pk):
        session = self._session(request, pk)
        signups = session_signups(user=request.user, session=session)
        return render(request, "drives/office/session_detail.html", {"session": session, "signups": signups})

    def post(self, request, pk):
        session = self._session(request, pk)
        present = session_services.session_attendance_record(
            session=session, actor=request.user, attended_person_ids=request.POST.getlist("attended")
        )
        messages.success(request, _("已记录出席 %(count)d 人") % {"count": present})
        return redirect("drives:session_detail", session.pk)


class SurveyView(PermissionPageMixin, View):
    """The office: progress per sub-union, with reminders. An officer: their sub-union's row
    and their people, each with an answer form. `?behind=1` keeps the sub-unions with people
    who have not answered, `?pending=1` the people who have not (the workbench links here)."""

    permission_required = "drives.view_intentanswer"

    def get(self, request, pk):
        drive = _drive(request, pk)
        board = survey_board(drive=drive, user=request.user)
        people = None
        if not request.user.has_perm("drives.remind_survey"):
            rows = survey_people(drive=drive, user=request.user, pending=request.GET.get("pending") == "1")
            people = paginate(request, rows, per_page=100)
        behind = request.GET.get("behind") == "1"
        return render(
            request,
            "drives/office/survey.html",
            {
                "drive": drive,
                "board": [row for row in board if row["pending"]] if behind else board,
                "board_columns": SURVEY_BOARD_COLUMNS,
                "totals": board_totals(board, [column.key for column in SURVEY_BOARD_COLUMNS]),
                "remind_template": "drives/office/_survey_remind.html"
                if request.user.has_perm("drives.remind_survey")
                else "",
                "people": people,
                "answer_form": forms.SurveyAnswerForm(),
            },
        )


class SurveyRecordView(PermissionPageMixin, View):
    permission_required = "drives.add_intentanswer"

    def post(self, request, pk):
        drive = _drive(request, pk)
        person = get_object_or_404(Person.objects.restrict(request.user, "view"), pk=request.POST.get("person"))
        form = forms.SurveyAnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择参加意向"))
            return _back(request, drive, "drives:survey")
        try:
            survey_services.intent_answer_record(
                drive=drive,
                person=person,
                actor=request.user,
                intent=form.cleaned_data["intent"],
                relatives_count=form.cleaned_data["relatives_count"] or 0,
            )
            messages.success(request, _("已记录 %(name)s 的意向") % {"name": person.name})
        except ApplicationError as error:
            _refused(request, error)
        return _back(request, drive, "drives:survey")


class SurveyRemindView(PermissionPageMixin, View):
    permission_required = "drives.remind_survey"

    def post(self, request, pk):
        drive = _drive(request, pk)
        sub_union = get_object_or_404(SubUnion, pk=request.POST.get("sub_union"))
        try:
            count = survey_services.survey_remind(drive=drive, sub_union=sub_union, actor=request.user)
            messages.success(request, _("已提醒 %(count)d 人") % {"count": count})
        except ApplicationError as error:
            _refused(request, error)
        return redirect("drives:survey", drive.pk)


class RegistrationListView(PermissionPageMixin, View):
    permission_required = "drives.view_driveregistration"

    def get(self, request, pk):
        drive = _drive(request, pk)
        filters = {"status": request.GET.get("status", ""), "q": request.GET.get("q", "")}
        rows = registration_list(user=request.user, drive=drive, filters=filters)
        if request.GET.get("export") == "xlsx":
            export_record(request.user, what=_("导出报名名单"), obj=drive, query=request.GET.urlencode())
            return export_list(
                filename=_("%(drive)s-报名名单.xlsx") % {"drive": drive.name},
                columns=[
                    (_("姓名"), lambda r: r.name),
                    (_("关系"), lambda r: r.get_relationship_display()),
                    (_("职工"), lambda r: r.person.name),
                    (_("工号"), lambda r: r.person.staff_no),
                    (_("分工会"), lambda r: r.person.sub_union.name),
                    (_("身份证号"), lambda r: r.id_number_masked),
                    (_("性别"), lambda r: r.get_gender_display()),
                    (_("出生日期"), lambda r: r.birth_date),
                    (_("医疗类别"), lambda r: r.get_coverage_type_display()),
                    (_("参保方式"), lambda r: r.get_channel_display()),
                    (_("状态"), lambda r: r.get_status_display()),
                    (_("保单号"), lambda r: r.policy_no),
                    (_("原因"), lambda r: r.reject_reason),
                ],
                rows=rows,
                sheet_title=_("报名名单"),
            )
        return render(
            request,
            "drives/office/registrations.html",
            {
                "drive": drive,
                "page": paginate(request, rows),
                "filters": filters,
                "statuses": RegistrationStatus.choices,
                "proxy_form": forms.ProxyRegistrationForm(),
                "query": urlencode({k: v for k, v in filters.items() if v}),
            },
        )


class RegistrationCreateView(PermissionPageMixin, View):
    """The office or a sub-union officer registers a member of staff (by staff number)."""

    permission_required = "drives.add_driveregistration"

    def post(self, request, pk):
        drive = _drive(request, pk)
        form = forms.ProxyRegistrationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写工号"))
            return redirect("drives:registration_list", drive.pk)
        person = (
            Person.objects.restrict(request.user, "view").filter(staff_no=form.cleaned_data["staff_no"].strip()).first()
        )
        if person is None:
            messages.error(request, _("找不到该工号，或无权为其报名"))
            return redirect("drives:registration_list", drive.pk)
        try:
            registration_create(
                drive=drive,
                person=person,
                actor=request.user,
                channel=form.cleaned_data["channel"],
                consent=form.cleaned_data["consent"],
                phone=form.cleaned_data["phone"],
            )
            messages.success(request, _("已为 %(name)s 报名") % {"name": person.name})
        except (ApplicationError, PermissionDenied) as error:
            messages.error(request, getattr(error, "message", str(error)))
        return redirect("drives:registration_list", drive.pk)


class RegistrationWithdrawView(MemberPageMixin, View):
    """The registrant themselves, their sub-union officer or the office."""

    def post(self, request, pk):
        from gonghui.drives.models import DriveRegistration

        registration = get_object_or_404(DriveRegistration.objects.restrict(request.user, "view"), pk=pk)
        # readers (auditors) may see it, but it is not theirs to change: a 404
        own_step(
            request,
            lambda: registration_withdraw(registration=registration, actor=request.user),
            _("已撤回 %(name)s 的报名") % {"name": registration.name},
        )
        if request.user.person_id == registration.person_id:
            return redirect("drives:portal_drive", registration.drive_id)
        return redirect("drives:registration_list", registration.drive_id)


def _roster_page(request, drive, *, status=200):
    return render(
        request,
        "drives/office/roster.html",
        {
            "drive": drive,
            "rosters": drive.rosters.select_related("created_by"),
            "imports": drive.result_imports.select_related("imported_by"),
            "upload_form": forms.ResultUploadForm(),
            "waiting": drive.registrations.filter(status=RegistrationStatus.REGISTERED).count(),
        },
        status=status,
    )


class RosterView(PermissionPageMixin, View):
    permission_required = "drives.export_roster"

    def get(self, request, pk):
        return _roster_page(request, _drive(request, pk))

    def post(self, request, pk):
        drive = _drive(request, pk)
        try:
            roster = roster_services.roster_export_create(drive=drive, actor=request.user)
            messages.success(
                request,
                _("已生成第 %(version)d 版名单（%(count)d 人）")
                % {"version": roster.version, "count": roster.line_count},
            )
        except ApplicationError as error:
            _refused(request, error)
        return redirect("drives:roster", drive.pk)


class RosterDownloadView(PermissionPageMixin, View):
    permission_required = "drives.export_roster"

    def get(self, request, pk):
        from urllib.parse import quote

        from gonghui.drives.models import RosterExport

        roster = get_object_or_404(RosterExport, pk=pk)
        _drive(request, roster.drive_id)
        content = roster_services.roster_download_record(roster=roster, actor=request.user)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(roster.file_name)}"
        response["Cache-Control"] = "private, no-store"
        return response


class ResultUploadView(PermissionPageMixin, View):
    """The provider's result file: read and matched, nothing applied yet (the preview)."""

    permission_required = "drives.import_result"

    def post(self, request, pk):
        drive = _drive(request, pk)
        form = forms.ResultUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择结果文件"))
            return redirect("drives:roster", drive.pk)
        try:
            preview = result_services.result_preview_start(
                drive=drive, actor=request.user, upload=upload_read(result_services.KIND, form.cleaned_data["file"])
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return _roster_page(request, drive, status=400)
        return redirect("drives:result_preview", preview.pk)


def _result_preview(request, pk):
    try:
        preview = import_preview_get(actor=request.user, pk=pk, kind=result_services.KIND)
    except ImportPreview.DoesNotExist:
        raise Http404 from None
    return preview, _drive(request, int(preview.target))


class ResultPreviewView(PermissionPageMixin, View):
    """What the file would do: counts by outcome, and every line that matches nobody (then
    it cannot be confirmed: the file is refused whole)."""

    permission_required = "drives.import_result"

    def get(self, request, pk):
        preview, drive = _result_preview(request, pk)
        if unready := import_preview_unready(request, preview, back_url=reverse("drives:roster", args=[drive.pk])):
            return unready
        return render(request, "drives/office/result_preview.html", {"drive": drive, "preview": preview})


class ResultConfirmView(PermissionPageMixin, View):
    permission_required = "drives.import_result"

    def post(self, request, pk):
        preview, drive = _result_preview(request, pk)
        try:
            result = result_services.result_confirm(preview=preview, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("drives:result_preview", preview.pk)
        messages.success(
            request,
            _("已导入：参保成功 %(enrolled)d，已缴费 %(paid)d，未通过 %(rejected)d，无变化 %(unchanged)d")
            % result.counts,
        )
        return redirect("drives:roster", drive.pk)


class PointsView(PermissionPageMixin, View):
    """Service points with their slots and bookings; the office adds points and slots and
    books on behalf (a retiree phoning in)."""

    permission_required = "drives.view_slotbooking"

    def get(self, request, pk):
        drive = _drive(request, pk)
        bookings = booking_list(user=request.user, drive=drive).exclude(status="cancelled")
        by_slot = {}
        for booking in bookings:
            by_slot.setdefault(booking.slot_id, []).append(booking)
        points = list(drive.service_points.select_related("sub_union").prefetch_related("slots"))
        for point in points:
            point.slot_rows = [(slot, by_slot.get(slot.pk, [])) for slot in point.slots.all()]
        return render(
            request,
            "drives/office/points.html",
            {
                "drive": drive,
                "points": points,
                "point_form": forms.PointForm(),
                "slots_form": forms.SlotsForm(),
                "behalf_form": forms.BookOnBehalfForm(),
            },
        )

    def post(self, request, pk):
        permission_require(request.user, "drives.change_drive")
        drive = _drive(request, pk, "change")
        form = forms.PointForm(request.POST)
        if form.is_valid():
            sub_union = SubUnion.objects.filter(pk=request.POST.get("sub_union") or None).first()
            point_services.service_point_create(
                drive=drive, actor=request.user, sub_union=sub_union, **form.cleaned_data
            )
        else:
            messages.error(request, _("请填写服务点名称和地点"))
        return redirect("drives:points", drive.pk)


class SlotCreateView(ButtonPage):
    permission_required = "drives.change_drive"
    form_class = forms.SlotsForm
    form_invalid = gettext_lazy("请填写日期、时间、每段分钟和名额")

    def get_object(self, pk):
        point = get_object_or_404(ServicePoint, pk=pk)
        _drive(self.request, point.drive_id, "change")  # the drive must be the actor's to change
        return point

    def back_url(self, point):
        return reverse("drives:points", args=[point.drive_id])

    def act(self, request, point, data):
        slots = point_services.time_slots_create(point=point, actor=request.user, **data)
        return _("已新增 %(count)d 个时段") % {"count": len(slots)}


class BookOnBehalfView(PermissionPageMixin, View):
    permission_required = "drives.add_slotbooking"

    def post(self, request, pk):
        drive = _drive(request, pk)
        form = forms.BookOnBehalfForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写工号并选择时段"))
            return redirect("drives:points", drive.pk)
        person = (
            Person.objects.restrict(request.user, "view").filter(staff_no=form.cleaned_data["staff_no"].strip()).first()
        )
        slot = (
            TimeSlot.objects.filter(pk=form.cleaned_data["slot"], point__drive=drive)
            .select_related("point__drive")
            .first()
        )
        if person is None or slot is None:
            messages.error(request, _("找不到该工号或时段，或无权为其预约"))
            return redirect("drives:points", drive.pk)
        try:
            point_services.slot_book(slot=slot, person=person, actor=request.user)
            messages.success(request, _("已为 %(name)s 预约 %(slot)s") % {"name": person.name, "slot": slot})
        except ApplicationError as error:
            _refused(request, error)
        return redirect("drives:points", drive.pk)


class BookingActionView(PermissionPageMixin, View):
    """Check-in, outcome and no-show at the point (the office)."""

    permission_required = "drives.checkin_booking"

    def post(self, request, pk, action):
        booking = get_object_or_404(SlotBooking.objects.restrict(request.user, "change").select_related("slot"), pk=pk)
        try:
            if action == "check_in":
                point_services.booking_check_in(booking=booking, actor=request.user)
            elif action == "serve":
                point_services.booking_serve(
                    booking=booking, actor=request.user, outcome=request.POST.get("outcome", "")
                )
            elif action == "no_show":
                point_services.booking_no_show(booking=booking, actor=request.user)
            elif action == "cancel":
                point_services.booking_cancel(booking=booking, actor=request.user)
            else:
                raise Http404
        except ApplicationError as error:
            _refused(request, error)
        return redirect("drives:points", booking.drive_id)


class ReportView(PermissionPageMixin, View):
    """Live counts and the final report: the report's charts (core chart component), .xlsx."""

    permission_required = "drives.view_driveregistration"

    def get(self, request, pk):
        drive = _drive(request, pk)
        if not request.user.has_perm("drives.view_rosterexport"):  # whole-union figures: office and auditors
            raise PermissionDenied
        report = drive_report(drive)
        if request.GET.get("format") == "xlsx":
            return report.xlsx_response(_("%(drive)s-统计.xlsx") % {"drive": drive.name})
        return render(
            request,
            "drives/office/report.html",
            {"drive": drive, "figures": report.figures, "charts": report.charts},
        )
