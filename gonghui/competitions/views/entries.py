"""The colleges' and the contestants' pages: a college's nominations (its young teachers, each
eligible or with every reason why not, its seats, the nomination form and its entries) and an
entry's page (the materials the rules ask for with their versions, the upload while the
materials are open, the withdrawal, and the draw's order and lesson once drawn).

Who sees an entry: its contestant and coach, its college's officer, the judges of its group
and those who read the whole union (`Entry.objects.restrict`); anyone else gets a 404. Who acts
on it (uploads, withdraws): the contestant, the college and the office (`restrict(user,
"change")`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.competitions.choices import CompetitionStatus, EntryStatus, MaterialKind
from gonghui.competitions.forms_participants import MaterialUploadForm, NominateForm, WithdrawForm
from gonghui.competitions.models import Competition, Entry, EntryMaterial
from gonghui.competitions.selectors.entries import (
    CollegeSeats,
    college_id_of,
    college_seats,
    eligibility,
    entry_list,
    materials_missing,
)
from gonghui.competitions.services.entries import entry_nominate, entry_withdraw, material_label, material_upload
from gonghui.competitions.workflow import COLLEGE, CONTESTANT, OFFICE, EntryWorkflow, entry_relations
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin
from gonghui.core.workflow import available_steps
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, SubUnion

# An entry's materials may change while it has not been drawn (nor withdrawn).
MATERIALS_OPEN = (EntryStatus.NOMINATED, EntryStatus.SUBMITTED)


def competition_or_404(user, pk) -> Competition:
    competition = Competition.objects.restrict(user).select_related("rules").filter(pk=pk).first()
    if competition is None:
        raise Http404
    return competition


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- nominations ---------------------------------------------------------------------------


def nominating_colleges(user, competition: Competition) -> list[CollegeSeats]:
    """The colleges the user nominates for, with their seats: an officer's own, the office's all."""
    access = get_access(user)
    if access.writes_everything:
        return college_seats(competition)
    parents = dict(SubUnion.objects.values_list("pk", "parent_id"))
    ids = {college_id_of(pk, parents) for pk in access.sub_union_ids}
    return college_seats(competition, college_ids=ids)


@dataclass
class TeacherLine:
    person: Person
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def young_teachers(user, competition: Competition, college: SubUnion) -> list[TeacherLine]:
    """The college's serving teachers the user may see, born on or after the rules' cut-off,
    each eligible or with every reason why not (the post is checked when nominating)."""
    people = Person.objects.restrict(user).filter(
        sub_union_id__in=SubUnion.objects.with_descendants({college.pk}),
        employment_status=EmploymentStatus.ACTIVE,
    )
    rules = competition.rules
    if rules is not None and rules.born_on_or_after:
        people = people.filter(birth_date__gte=rules.born_on_or_after)
    people_list = list(people.order_by("name_pinyin", "staff_no"))
    return [TeacherLine(check.person, list(check.reasons)) for check in eligibility(competition, people_list)]


def nominations_open(competition: Competition) -> bool:
    if competition.status != CompetitionStatus.NOMINATING:
        return False
    return competition.nominations_close is None or timezone.now() <= competition.nominations_close


class NominateView(PermissionPageMixin, View):
    """A college's nominations for one edition: its seats, its young teachers (eligible, or
    every reason why not), the form, and its entries. The office picks the college."""

    permission_required = "competitions.add_entry"

    def _college(self, request, colleges: list[CollegeSeats]) -> CollegeSeats | None:
        asked = _int(request.GET.get("college") or request.POST.get("college"))
        for seats in colleges:
            if seats.college.pk == asked:
                return seats
        if not get_access(request.user).writes_everything and colleges:
            return colleges[0]
        return None

    def page(self, request, competition: Competition, form: NominateForm, *, reasons=(), status: int = 200):
        colleges = nominating_colleges(request.user, competition)
        chosen = self._college(request, colleges)
        teachers = young_teachers(request.user, competition, chosen.college) if chosen else []
        context = {
            "competition": competition,
            "rules": competition.rules,
            "colleges": colleges,
            "chosen": chosen,
            "teachers": teachers,
            "eligible_count": sum(1 for t in teachers if t.eligible),
            "form": form,
            "reasons": list(reasons),
            "open": nominations_open(competition),
            "office": get_access(request.user).writes_everything,
            "entries": entry_list(request.user, competition).exclude(status=EntryStatus.WITHDRAWN),
        }
        return render(request, "competitions/entries/nominate.html", context, status=status)

    def get(self, request, pk):
        competition = competition_or_404(request.user, pk)
        initial = {"staff_no": (request.GET.get("staff_no") or "").strip()[:20]}
        return self.page(request, competition, NominateForm(initial=initial, competition=competition))

    def post(self, request, pk):
        competition = competition_or_404(request.user, pk)
        form = NominateForm(request.POST, competition=competition)
        if not form.is_valid():
            return self.page(request, competition, form)
        data = form.cleaned_data
        try:
            entry = entry_nominate(
                actor=request.user,
                competition=competition,
                staff_no=data["staff_no"],
                group=data["group"],
                teaching_post=data["teaching_post"],
                course=data["course"],
                coach_staff_no=data["coach_staff_no"],
            )
        except PermissionDenied as error:
            form.add_error("staff_no", str(error) or _("只能推荐本单位的教师。"))
            return self.page(request, competition, form)
        except ApplicationError as error:
            reasons = error.extra.get("reasons") or []
            if reasons:  # every reason, one a line, under the teacher's name
                person = Person.objects.filter(staff_no=data["staff_no"].strip()).first()
                name = person.name if person is not None else data["staff_no"]
                form.add_error(None, _("%(name)s不能报名，原因如下：") % {"name": name})
            else:
                target = error.extra.get("field")
                form.add_error(target if target in form.fields else None, str(error.message))
            return self.page(request, competition, form, reasons=reasons)
        messages.success(
            request, _("已推荐%(name)s参赛（%(group)s）。") % {"name": entry.person.name, "group": entry.group}
        )
        url = reverse("competitions:nominate", args=[competition.pk])
        return redirect(f"{url}?college={entry.college_id}")


# --- an entry ----------------------------------------------------------------------------------


@dataclass
class MaterialSlot:
    """One material the rules ask for (or one uploaded beside them): its versions, newest first."""

    kind: str
    number: int
    label: str
    required: bool
    versions: list[EntryMaterial]

    @property
    def current(self) -> EntryMaterial | None:
        return self.versions[0] if self.versions else None

    @property
    def older(self) -> list[EntryMaterial]:
        return self.versions[1:]


def material_slots(entry: Entry) -> list[MaterialSlot]:
    """The rules' lesson plans and slides (required), the video (optional), and any other
    material uploaded, each with every version kept."""
    rules = entry.competition.rules
    plans = rules.lesson_plans_required if rules is not None else 0
    by_key: dict[tuple[str, int], list[EntryMaterial]] = {}
    for material in (
        EntryMaterial.objects.filter(entry=entry).select_related("attachment").order_by("kind", "number", "-version")
    ):
        by_key.setdefault((material.kind, material.number), []).append(material)
    wanted = [(MaterialKind.LESSON_PLAN.value, n, True) for n in range(1, plans + 1)]
    if plans:
        wanted.append((MaterialKind.SLIDES.value, 1, True))
    wanted.append((MaterialKind.VIDEO.value, 1, False))
    slots = [MaterialSlot(kind, n, material_label(kind, n), req, by_key.pop((kind, n), [])) for kind, n, req in wanted]
    for (kind, n), versions in sorted(by_key.items()):
        slots.append(MaterialSlot(kind, n, material_label(kind, n), False, versions))
    return slots


def materials_locked(competition: Competition) -> bool:
    return competition.materials_due is None or timezone.now() > competition.materials_due


def entry_or_404(user, pk, action: str = "view") -> Entry:
    entry = (
        Entry.objects.restrict(user, action)
        .select_related("competition__rules", "person", "college", "group", "coach")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


class EntryView(MemberPageMixin, View):
    """An entry: its status and course, the materials with their versions (uploads while
    they are open), the withdrawal, and after the draw the order of appearance, the lesson
    drawn and the draw's seed."""

    def get(self, request, pk):
        entry = entry_or_404(request.user, pk)
        competition = entry.competition
        relations = entry_relations(entry, request.user)
        acts = bool(relations & {OFFICE, CONTESTANT, COLLEGE})
        locked = materials_locked(competition)
        steps = {step.name for step in available_steps(EntryWorkflow, entry, request.user)}
        slots = material_slots(entry)
        drawn_slot = None
        if entry.lesson_drawn:
            drawn_slot = next(
                (s for s in slots if s.kind == MaterialKind.LESSON_PLAN and s.number == entry.lesson_drawn), None
            )
        context = {
            "entry": entry,
            "competition": competition,
            "rules": competition.rules,
            "slots": slots,
            "missing": materials_missing(entry) if entry.status in MATERIALS_OPEN else [],
            "locked": locked,
            "can_upload": acts and not locked and entry.status in MATERIALS_OPEN,
            "can_withdraw": acts and "withdraw" in steps,
            "drawn": entry.appearance is not None,
            "drawn_slot": drawn_slot,
            "is_contestant": CONTESTANT in relations,
        }
        return render(request, "competitions/entries/entry.html", context)


class MaterialUploadView(LoginRequiredMixin, View):
    """A new version of one material (refused after the deadline, with the reason)."""

    def post(self, request, pk):
        entry = entry_or_404(request.user, pk, "change")
        back = reverse("competitions:entry", args=[entry.pk])
        form = MaterialUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择要上传的文件。"))
            return redirect(back)
        data = form.cleaned_data
        try:
            material = material_upload(
                actor=request.user, entry=entry, kind=data["kind"], number=data["number"], uploaded_file=data["file"]
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("已上传%(material)s（第 %(version)s 版）。")
                % {"material": material_label(material.kind, material.number), "version": material.version},
            )
        return redirect(back)


class WithdrawView(LoginRequiredMixin, View):
    """Withdraw before the draw, with the reason (the seat goes back to the college)."""

    def post(self, request, pk):
        entry = entry_or_404(request.user, pk, "change")
        back = reverse("competitions:entry", args=[entry.pk])
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写退赛理由。"))
            return redirect(back)
        try:
            entry_withdraw(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(name)s已退赛。") % {"name": entry.person.name})
        return redirect(back)
