"""The member's side: open drives, the survey, registering self and relatives, booking a
slot, the outcome. Phone-first pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.pages import MemberPageMixin
from gonghui.core.views_kit import own_step
from gonghui.drives import forms
from gonghui.drives.choices import DrivePhase, Relationship
from gonghui.drives.eligibility import person_problem
from gonghui.drives.models import Drive, InfoSession, SlotBooking, TimeSlot
from gonghui.drives.selectors.drives import my_answer, my_booking, my_registrations, open_drives
from gonghui.drives.services.points import BOOKABLE_PHASES, booking_cancel, slot_book
from gonghui.drives.services.registrations import registration_create, registration_window_problem
from gonghui.drives.services.sessions import session_signup
from gonghui.drives.services.survey import intent_answer_record


def _drive(request, pk) -> Drive:
    return get_object_or_404(Drive.objects.restrict(request.user, "view").select_related("rules"), pk=pk)


def _person(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(_("此账号未关联教职工档案"))
    return person


class PortalListView(MemberPageMixin, View):
    def get(self, request):
        return render(request, "drives/portal/list.html", {"drives": open_drives(user=request.user)})


class PortalDriveView(MemberPageMixin, View):
    def get(self, request, pk):
        drive = _drive(request, pk)
        person = getattr(request.user, "person", None)
        today = timezone.localdate()
        slots = []
        if drive.phase in BOOKABLE_PHASES:
            slots = (
                TimeSlot.objects.filter(point__drive=drive, day__gte=today)
                .select_related("point")
                .order_by("day", "starts")
            )
        signed = set()
        if person:
            signed = set(drive.sessions.filter(signups__person=person).values_list("pk", flat=True))
        return render(
            request,
            "drives/portal/drive.html",
            {
                "drive": drive,
                "person": person,
                "problem": person_problem(drive, person) if person else "",
                "answer": my_answer(user=request.user, drive=drive),
                "survey_open": drive.phase == DrivePhase.SURVEY,
                "answer_form": forms.SurveyAnswerForm(
                    initial={"intent": getattr(my_answer(user=request.user, drive=drive), "intent", None)}
                ),
                "registrations": my_registrations(user=request.user, drive=drive),
                "self_registered": my_registrations(user=request.user, drive=drive)
                .filter(relationship=Relationship.SELF)
                .exclude(status="withdrawn")
                .exists(),
                "window_problem": registration_window_problem(drive, today),
                "booking": my_booking(user=request.user, drive=drive),
                "slots": slots,
                "sessions": drive.sessions.all(),
                "signed": signed,
                "contacts": [line for line in drive.contacts.splitlines() if line.strip()],
            },
        )


class PortalSurveyView(MemberPageMixin, View):
    def post(self, request, pk):
        drive = _drive(request, pk)
        form = forms.SurveyAnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择参加意向"))
        else:
            try:
                intent_answer_record(
                    drive=drive,
                    person=_person(request),
                    actor=request.user,
                    intent=form.cleaned_data["intent"],
                    relatives_count=form.cleaned_data["relatives_count"] or 0,
                )
                messages.success(request, _("已提交参保意向"))
            except ApplicationError as error:
                messages.error(request, error.message)
        return redirect("drives:portal_drive", drive.pk)


class PortalRegisterView(MemberPageMixin, View):
    def _page(self, request, drive, form, status=200):
        return render(
            request,
            "drives/portal/register.html",
            {
                "drive": drive,
                "form": form,
                "person": _person(request),
                "window_problem": registration_window_problem(drive, timezone.localdate()),
            },
            status=status,
        )

    def get(self, request, pk):
        drive = _drive(request, pk)
        person = _person(request)
        relationship = request.GET.get("relationship", Relationship.SELF)
        initial = {"relationship": relationship, "phone": person.phone if relationship == Relationship.SELF else ""}
        if person.coverage_type in drive.rules.group_only_coverage_types:
            initial["channel"] = "group"
        return self._page(request, drive, forms.RegistrationForm(initial=initial, drive=drive))

    def post(self, request, pk):
        drive = _drive(request, pk)
        person = _person(request)
        form = forms.RegistrationForm(request.POST, drive=drive)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data["relationship"] == Relationship.SELF:
                for key in ("name", "id_number", "gender", "birth_date", "coverage_type"):
                    data.pop(key)
            try:
                registration = registration_create(drive=drive, person=person, actor=request.user, **data)
                messages.success(request, _("%(name)s 报名成功") % {"name": registration.name})
                return redirect("drives:portal_drive", drive.pk)
            except ApplicationError as error:
                form.add_error(None, error.message)
        return self._page(request, drive, form, status=400)


class PortalSignupView(MemberPageMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(
            InfoSession.objects.select_related("drive__rules"),
            pk=pk,
            drive__in=Drive.objects.restrict(request.user, "view"),
        )
        try:
            session_signup(session=session, person=_person(request), actor=request.user)
            messages.success(request, _("已报名宣讲会"))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("drives:portal_drive", session.drive_id)


class PortalBookView(MemberPageMixin, View):
    def post(self, request, pk):
        drive = _drive(request, pk)
        slot = get_object_or_404(
            TimeSlot.objects.select_related("point__drive"), pk=request.POST.get("slot"), point__drive=drive
        )
        try:
            booking = slot_book(slot=slot, person=_person(request), actor=request.user)
            messages.success(
                request, _("已预约：%(point)s %(slot)s") % {"point": slot.point.name, "slot": booking.slot}
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("drives:portal_drive", drive.pk)


class PortalBookingCancelView(MemberPageMixin, View):
    def post(self, request, pk):
        booking = get_object_or_404(SlotBooking.objects.restrict(request.user, "view"), pk=pk)
        own_step(request, lambda: booking_cancel(booking=booking, actor=request.user), _("预约已取消"))
        return redirect("drives:portal_drive", booking.drive_id)
