"""Advice and visits: the office's policy notes per district and year (written, published,
withdrawn; members read the published ones on the portal), the consultations log (the
admissions officer's: who asked, the question, the answer, who advised) and the visits to
schools (created by the office, members sign up, the attendance recorded once held, or the
visit cancelled)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.admissions import forms
from gonghui.admissions.choices import PolicyNoteStatus, VisitStatus
from gonghui.admissions.models import Consultation, PolicyNote, SchoolVisit, VisitSignup
from gonghui.admissions.services import advice
from gonghui.admissions.views.common import Action
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, paginate
from gonghui.core.views_kit import form_service_post, own_step
from gonghui.people.models import Person

# --- policy notes ---------------------------------------------------------------------------


class NoteListView(PermissionPageMixin, View):
    """The office's notes, every status, by year and district."""

    permission_required = "admissions.view_policynote"

    def get(self, request):
        notes = list(PolicyNote.objects.restrict(request.user).order_by("-year", "district", "-id"))
        return render(
            request,
            "admissions/advice/notes.html",
            {"notes": notes, "can_write": request.user.has_perm("admissions.add_policynote")},
        )


class NoteEditView(PermissionPageMixin, View):
    """A new note (`pk` None) or a note's text."""

    permission_required = "admissions.add_policynote"

    def _note(self, request, pk):
        if pk is None:
            return None
        if not request.user.has_perm("admissions.change_policynote"):
            raise Http404
        return get_object_or_404(PolicyNote.objects.restrict(request.user, "change"), pk=pk)

    def _page(self, request, note, form, status=200):
        return render(request, "admissions/advice/note_edit.html", {"note": note, "form": form}, status=status)

    def get(self, request, pk=None):
        note = self._note(request, pk)
        if note is not None:
            initial = {n: getattr(note, n) for n in ("year", "district", "title", "body", "source_url")}
        else:
            initial = {"year": timezone.localdate().year}
        return self._page(request, note, forms.PolicyNoteForm(initial=initial))

    def post(self, request, pk=None):
        note = self._note(request, pk)
        form = forms.PolicyNoteForm(request.POST)

        def save(data):
            if note is None:
                return advice.policy_note_create(actor=request.user, **data)
            return advice.policy_note_update(actor=request.user, note=note, **data)

        done = form_service_post(
            request,
            form,
            save,
            success=_("政策解读已保存。"),
            then=lambda saved: redirect("admissions:note", saved.pk),
        )
        return done or self._page(request, note, form, status=400)


class NoteDetailView(MemberPageMixin, View):
    """A note: anyone signed in reads a published one; the office any, with its buttons."""

    def get(self, request, pk):
        note = get_object_or_404(PolicyNote.objects.restrict(request.user), pk=pk)
        office = request.user.has_perm("admissions.change_policynote")
        return render(
            request,
            "admissions/advice/note.html",
            {
                "note": note,
                "office": office,
                "events": list(note.events.select_related("actor__person").order_by("at", "pk")) if office else [],
            },
        )


class NoteAction(Action):
    model = PolicyNote

    def target(self, request, pk):
        note = get_object_or_404(PolicyNote.objects.restrict(request.user), pk=pk)
        if not request.user.has_perm("admissions.change_policynote"):
            raise Http404
        return note

    def back(self, obj) -> str:
        return reverse("admissions:note", args=[obj.pk])


class NotePublishView(NoteAction):
    def act(self, request, obj, data):
        advice.policy_note_publish(actor=request.user, note=obj)
        return _("已发布，会员可在门户“子女入学”中查看。")


class NoteWithdrawView(NoteAction):
    form_class = forms.MessageForm

    def act(self, request, obj, data):
        advice.policy_note_withdraw(actor=request.user, note=obj, reason=data["message"])
        return _("已撤下。")


class PolicyView(MemberPageMixin, View):
    """The published notes by district (`?district=`), for members."""

    def get(self, request):
        notes = PolicyNote.objects.filter(status=PolicyNoteStatus.PUBLISHED).order_by("-year", "district", "-id")
        notes = notes & PolicyNote.objects.restrict(request.user)
        districts = sorted(set(notes.values_list("district", flat=True)))
        district = request.GET.get("district") or ""
        if district:
            notes = notes.filter(district=district)
        return render(
            request,
            "admissions/portal/policy.html",
            {"notes": list(notes), "districts": districts, "district": district},
        )


# --- consultations --------------------------------------------------------------------------


def person_find(user, who: str) -> Person | None:
    who = (who or "").strip()
    if not who:
        return None
    from django.db.models import Q

    found = list(Person.objects.restrict(user).filter(Q(staff_no=who) | Q(name=who)).select_related("sub_union")[:6])
    if not found:
        # the admissions officer sees no roster: the member who asked is named by staff number
        found = list(Person.objects.filter(staff_no=who).select_related("sub_union")[:1])
    if not found:
        raise ApplicationError(_("没有找到“%(who)s”。") % {"who": who}, extra={"field": "who"})
    if len(found) > 1:
        names = "、".join(f"{p.name}（{p.staff_no}，{p.sub_union.name}）" for p in found[:5])
        raise ApplicationError(
            _("有多位“%(who)s”：%(names)s。请输入工号。") % {"who": who, "names": names}, extra={"field": "who"}
        )
    return found[0]


class ConsultationsView(PermissionPageMixin, View):
    """The log of advice given, newest first, and the form to log one."""

    permission_required = "admissions.view_consultation"

    def _page(self, request, form, status=200):
        rows = Consultation.objects.restrict(request.user).select_related("person__sub_union", "advised_by__person")
        return render(
            request,
            "admissions/advice/consultations.html",
            {
                "page": paginate(request, rows.order_by("-asked_on", "-id")),
                "form": form if request.user.has_perm("admissions.add_consultation") else None,
            },
            status=status,
        )

    def get(self, request):
        return self._page(request, forms.ConsultationForm(initial={"asked_on": timezone.localdate()}))

    def post(self, request):
        if not request.user.has_perm("admissions.add_consultation"):
            raise Http404
        form = forms.ConsultationForm(request.POST)

        def log(data):
            values = {k: v for k, v in data.items() if k != "who"}
            return advice.consultation_log(actor=request.user, person=person_find(request.user, data["who"]), **values)

        done = form_service_post(
            request, form, log, success=_("咨询已记录。"), then=lambda _c: redirect("admissions:consultations")
        )
        return done or self._page(request, form, status=400)


# --- visits ---------------------------------------------------------------------------------


class VisitListView(MemberPageMixin, View):
    """Visits to schools: members see the open ones and sign up; the office every visit."""

    def get(self, request):
        office = request.user.has_perm("admissions.change_schoolvisit")
        visits = SchoolVisit.objects.restrict(request.user).select_related("school").order_by("-visit_on", "-id")
        if not office:
            visits = visits.exclude(status=VisitStatus.CANCELLED)
        visits = list(visits)
        person_id = getattr(request.user, "person_id", None)
        mine = set()
        if person_id:
            mine = set(VisitSignup.objects.filter(person_id=person_id).values_list("visit_id", flat=True))
        from django.db.models import Count

        counts = dict(
            VisitSignup.objects.filter(visit__in=visits)
            .values("visit")
            .annotate(n=Count("pk"))
            .values_list("visit", "n")
        )
        today = timezone.localdate()
        for v in visits:
            v.signed_up = v.pk in mine
            v.signups_count = counts.get(v.pk, 0)
            v.may_sign_up = bool(person_id) and v.status == VisitStatus.OPEN and today <= v.signup_until
        return render(
            request,
            "admissions/advice/visits.html",
            {"visits": visits, "office": office, "can_add": request.user.has_perm("admissions.add_schoolvisit")},
        )


class VisitCreateView(PermissionPageMixin, View):
    permission_required = "admissions.add_schoolvisit"

    def _page(self, request, form, status=200):
        return render(request, "admissions/advice/visit_create.html", {"form": form}, status=status)

    def get(self, request):
        return self._page(request, forms.VisitForm())

    def post(self, request):
        form = forms.VisitForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: advice.visit_create(actor=request.user, **data),
            success=_("参观已发布，会员可以报名。"),
            then=lambda visit: redirect("admissions:visit", visit.pk),
        )
        return done or self._page(request, form, status=400)


class VisitDetailView(PermissionPageMixin, View):
    """A visit for the office: its sign-ups (who), the attendance once held, the buttons."""

    permission_required = "admissions.change_schoolvisit"

    def get(self, request, pk):
        visit = get_object_or_404(SchoolVisit.objects.restrict(request.user).select_related("school"), pk=pk)
        signups = list(visit.signups.select_related("person__sub_union").order_by("created_at", "pk"))
        return render(
            request,
            "admissions/advice/visit.html",
            {
                "visit": visit,
                "signups": signups,
                "may_hold": visit.status == VisitStatus.OPEN,
                "may_attend": visit.status == VisitStatus.HELD,
                "events": list(visit.events.select_related("actor__person").order_by("at", "pk")),
            },
        )


class VisitAction(Action):
    model = SchoolVisit

    def target(self, request, pk):
        visit = get_object_or_404(SchoolVisit.objects.restrict(request.user), pk=pk)
        if not request.user.has_perm("admissions.change_schoolvisit"):
            raise Http404
        return visit

    def back(self, obj) -> str:
        return reverse("admissions:visit", args=[obj.pk])


class VisitHoldView(VisitAction):
    def act(self, request, obj, data):
        advice.visit_hold(actor=request.user, visit=obj)
        return _("已记录参观已举行，请登记参加情况。")


class VisitCancelView(VisitAction):
    form_class = forms.MessageForm

    def act(self, request, obj, data):
        advice.visit_cancel(actor=request.user, visit=obj, reason=data["message"])
        return _("参观已取消，已报名的会员会收到通知。")


class VisitAttendanceView(VisitAction):
    def form_kwargs(self, obj) -> dict:
        return {"signups": list(obj.signups.all())}

    form_class = forms.AttendanceForm

    def act(self, request, obj, data):
        count = advice.visit_attendance_record(actor=request.user, visit=obj, attended_ids=set(data["attended"]))
        return _("已登记参加情况：%(n)s 人参加。") % {"n": count}


class VisitSignupView(MemberPageMixin, View):
    """A member signs up for a visit (or takes their sign-up back: `cancel`)."""

    cancel = False

    def post(self, request, pk):
        visit = get_object_or_404(SchoolVisit.objects.restrict(request.user), pk=pk)
        if self.cancel:
            own_step(
                request,
                lambda: advice.visit_cancel_signup(actor=request.user, visit=visit),
                _("已取消报名。"),
            )
        else:
            own_step(
                request,
                lambda: advice.visit_signup(actor=request.user, visit=visit),
                _("已报名：%(date)s 参观%(school)s。") % {"date": visit.visit_on, "school": visit.school.name},
            )
        from gonghui.core.views_kit import next_or

        return redirect(next_or(request, reverse("admissions:visits")))
