"""The office's set-up of the year: the schools (kind, district, affiliated or co-built,
contacts) and the year's admission rules (子女入学工作规则), a core rule edition: drafted
(from scratch or revised from last year's), edited while a draft (the windows, the ages, the
priority batches, the documents and the places, one line each) and adopted with its act."""

from __future__ import annotations

from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.admissions import forms
from gonghui.admissions.choices import Housing, Relation
from gonghui.admissions.models import AdmissionRules, Campaign, School
from gonghui.admissions.services import rules as rules_services
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import form_service_post

# --- schools --------------------------------------------------------------------------------


class SchoolListView(PermissionPageMixin, View):
    permission_required = "admissions.view_school"

    def get(self, request):
        schools = list(School.objects.restrict(request.user).order_by("kind", "code"))
        return render(
            request,
            "admissions/setup/schools.html",
            {"schools": schools, "can_add": request.user.has_perm("admissions.add_school")},
        )


class SchoolEditView(PermissionPageMixin, View):
    """A new school (`pk` None) or a school's facts."""

    permission_required = "admissions.view_school"

    def _school(self, request, pk):
        # a reader of the schools who may not change them is refused as anyone else (403)
        if pk is None:
            if not request.user.has_perm("admissions.add_school"):
                raise PermissionDenied
            return None
        if not request.user.has_perm("admissions.change_school"):
            raise PermissionDenied
        return get_object_or_404(School.objects.restrict(request.user, "change"), pk=pk)

    def _page(self, request, school, form, status=200):
        return render(request, "admissions/setup/school_edit.html", {"school": school, "form": form}, status=status)

    def get(self, request, pk=None):
        school = self._school(request, pk)
        initial = {name: getattr(school, name) for name in rules_services.SCHOOL_FIELDS} if school else {}
        return self._page(request, school, forms.SchoolForm(initial=initial))

    def post(self, request, pk=None):
        school = self._school(request, pk)
        form = forms.SchoolForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: rules_services.school_save(actor=request.user, school=school, **data),
            success=_("学校已保存。"),
            then=lambda saved: redirect("admissions:schools"),
        )
        return done or self._page(request, school, form, status=400)


# --- rules: the parts as lines --------------------------------------------------------------

SEP = "|"


def _split(line: str) -> list[str]:
    return [cell.strip() for cell in line.replace("｜", SEP).split(SEP)]


def _choice(value: str, choices, what: str, n: int) -> str:
    if not value:
        return ""
    for code, label in choices:
        if value in (code, str(label)):
            return code
    raise django_forms.ValidationError(
        _("第 %(n)s 行的%(what)s“%(value)s”看不懂。") % {"n": n, "what": what, "value": value}
    )


def batches_parse(text: str) -> list[dict]:
    """`名称 | 关系 | 人员类别、人员类别` one batch a line, in order."""
    rows = []
    for n, line in enumerate((line for line in text.splitlines() if line.strip()), 1):
        cells = _split(line) + ["", ""]
        relation = _choice(cells[1], Relation.choices, _("关系"), n) or Relation.CHILD
        categories = "\n".join(
            c.strip() for c in cells[2].replace(",", "、").replace("，", "、").split("、") if c.strip()
        )
        rows.append({"position": n, "label": cells[0], "relation": relation, "categories": categories})
    return rows


def batches_text(rows) -> str:
    return "\n".join(
        f"{r['label']} | {Relation(r['relation']).label} | {'、'.join(c for c in r['categories'].splitlines() if c)}"
        for r in rows
    )


def documents_parse(text: str) -> list[dict]:
    """`代码 | 材料 | 住房情况（可空） | 选交（可空）` one document a line."""
    rows = []
    for n, line in enumerate((line for line in text.splitlines() if line.strip()), 1):
        cells = _split(line) + ["", "", ""]
        housing = _choice(cells[2], Housing.choices, _("住房情况"), n)
        rows.append(
            {
                "code": cells[0],
                "label": cells[1],
                "housing": housing,
                "required": cells[3] not in (str(_("选交")), "选交", "optional"),
                "position": n,
            }
        )
    return rows


def documents_text(rows) -> str:
    lines = []
    for r in rows:
        housing = Housing(r["housing"]).label if r["housing"] else ""
        line = f"{r['code']} | {r['label']} | {housing}"
        if not r["required"]:
            line += f" | {_('选交')}"
        lines.append(line.rstrip(" |"))
    return "\n".join(lines)


def places_parse(text: str) -> list[dict]:
    """`学校代码 | 学位数 | 说明` one school a line."""
    rows = []
    for n, line in enumerate((line for line in text.splitlines() if line.strip()), 1):
        cells = _split(line) + ["", ""]
        try:
            places = int(cells[1])
        except ValueError:
            raise django_forms.ValidationError(_("第 %(n)s 行的学位数应为整数。") % {"n": n}) from None
        rows.append({"school_code": cells[0], "places": places, "note": cells[2]})
    return rows


def places_text(rows) -> str:
    return "\n".join(f"{r['school_code']} | {r['places']}" + (f" | {r['note']}" if r["note"] else "") for r in rows)


class RulesEditForm(forms.RulesDraftForm):
    batches = forms._lines(
        gettext_lazy("优先批次"),
        gettext_lazy("每行一个批次，按先后：名称 | 子女 或 孙子女、外孙子女 | 人员类别（用“、”分隔，可空）"),
    )
    documents = forms._lines(
        gettext_lazy("申请材料"), gettext_lazy("每行一项：代码 | 材料 | 适用住房情况（可空） | 选交（可空）")
    )
    places = forms._lines(gettext_lazy("学位数"), gettext_lazy("每行一所学校：学校代码 | 学位数 | 说明（可空）"))

    def clean_batches(self):
        return batches_parse(self.cleaned_data["batches"])

    def clean_documents(self):
        return documents_parse(self.cleaned_data["documents"])

    def clean_places(self):
        return places_parse(self.cleaned_data["places"])


SCALARS = (
    "year",
    "name",
    "survey_opens",
    "survey_closes",
    "requests_open",
    "requests_deadline",
    "nursery_months",
    "kindergarten_months",
    "primary_months",
    "secondary_months",
    "alternative_allowed",
)


def rules_initial(edition: AdmissionRules) -> dict:
    initial = {name: getattr(edition, name) for name in SCALARS}
    initial["batches"] = batches_text(edition.batches.values("label", "relation", "categories"))
    initial["documents"] = documents_text(edition.documents.values("code", "label", "housing", "required"))
    initial["places"] = places_text(edition.places.values("school_code", "places", "note"))
    return initial


def new_rules_initial() -> dict:
    latest = AdmissionRules.objects.filter(status=EditionStatus.ADOPTED).order_by("-year").first()
    year = timezone.localdate().year + 1
    if latest is not None:
        initial = rules_initial(latest)
        year = max(year, latest.year + 1)
        shift = year - latest.year
        for name in ("survey_opens", "survey_closes", "requests_open", "requests_deadline"):
            value = initial[name]
            initial[name] = (
                value.replace(year=value.year + shift) if not (value.month == 2 and value.day == 29) else value
            )
    else:
        initial = {
            **{k: v for k, v in rules_services._DEFAULTS.items()},
            "batches": batches_text(rules_services.DEFAULT_BATCHES),
            "documents": documents_text(rules_services.DEFAULT_DOCUMENTS),
            "places": "",
        }
    initial["year"] = year
    initial["name"] = _("%(year)s年教职工子女入托入学工作通知") % {"year": year}
    return initial


class RulesView(PermissionPageMixin, View):
    """The rules by year: in force, drafts, superseded."""

    permission_required = "admissions.view_admissionrules"

    def get(self, request):
        editions = list(AdmissionRules.objects.restrict(request.user).order_by("-year", "-id"))
        return render(
            request,
            "admissions/setup/rules.html",
            {
                "in_force": [e for e in editions if e.status == EditionStatus.ADOPTED],
                "drafts": [e for e in editions if e.status == EditionStatus.DRAFT],
                "past": [e for e in editions if e.status not in (EditionStatus.ADOPTED, EditionStatus.DRAFT)],
                "can_draft": request.user.has_perm("admissions.add_admissionrules"),
            },
        )


class RulesCreateView(PermissionPageMixin, View):
    """A new draft, from the latest adopted rules (revised) or from the examples."""

    permission_required = "admissions.add_admissionrules"

    def _page(self, request, form, status=200):
        return render(request, "admissions/setup/rules_edit.html", {"form": form, "edition": None}, status=status)

    def get(self, request):
        return self._page(request, RulesEditForm(initial=new_rules_initial()))

    def post(self, request):
        form = RulesEditForm(request.POST)

        def draft(data):
            latest = AdmissionRules.objects.filter(status=EditionStatus.ADOPTED).order_by("-year").first()
            fields = {k: v for k, v in data.items() if k != "year"}
            return rules_services.rules_draft_create(actor=request.user, year=data["year"], based_on=latest, **fields)

        done = form_service_post(
            request,
            form,
            draft,
            success=_("规则草案已保存。核对无误后在规则页面通过。"),
            then=lambda edition: redirect("admissions:rules_detail", edition.pk),
        )
        return done or self._page(request, form, status=400)


def _edition(request, pk) -> AdmissionRules:
    return get_object_or_404(
        AdmissionRules.objects.restrict(request.user).prefetch_related("batches", "documents", "places"), pk=pk
    )


class RulesDetailView(PermissionPageMixin, View):
    permission_required = "admissions.view_admissionrules"

    def get(self, request, pk):
        edition = _edition(request, pk)
        draft = edition.status == EditionStatus.DRAFT
        can_adopt = draft and request.user.has_perm("admissions.adopt_admissionrules")
        schools = {s.code: s for s in School.objects.all()}
        places = [(row, schools.get(row.school_code)) for row in edition.places.all()]
        return render(
            request,
            "admissions/setup/rules_detail.html",
            {
                "edition": edition,
                "places": places,
                "can_edit": draft and request.user.has_perm("admissions.add_admissionrules"),
                "adopt_form": forms.AdoptForm(initial={"adopted_on": timezone.localdate()}) if can_adopt else None,
                "problems": edition.adoption_problems() if can_adopt else [],
                "campaigns": list(Campaign.objects.restrict(request.user).filter(rules=edition)),
            },
        )


class RulesEditView(PermissionPageMixin, View):
    permission_required = "admissions.add_admissionrules"

    def _draft(self, request, pk):
        edition = _edition(request, pk)
        if edition.status != EditionStatus.DRAFT:
            raise Http404
        return edition

    def _page(self, request, edition, form, status=200):
        return render(request, "admissions/setup/rules_edit.html", {"form": form, "edition": edition}, status=status)

    def get(self, request, pk):
        edition = self._draft(request, pk)
        return self._page(request, edition, RulesEditForm(initial=rules_initial(edition)))

    def post(self, request, pk):
        edition = self._draft(request, pk)
        form = RulesEditForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: rules_services.rules_draft_update(actor=request.user, rules=edition, **data),
            success=_("规则草案已保存。"),
            then=lambda saved: redirect("admissions:rules_detail", saved.pk),
        )
        return done or self._page(request, edition, form, status=400)


class RulesAdoptView(PermissionPageMixin, View):
    permission_required = ("admissions.view_admissionrules", "admissions.adopt_admissionrules")

    def post(self, request, pk):
        from django.contrib import messages

        from gonghui.core.views_kit import form_errors_flash

        edition = _edition(request, pk)
        if edition.status != EditionStatus.DRAFT:
            raise Http404
        form = forms.AdoptForm(request.POST)
        if not form.is_valid():
            form_errors_flash(request, form)
            return redirect("admissions:rules_detail", edition.pk)
        try:
            rules_services.rules_adopt(actor=request.user, rules=edition, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("规则已通过，%(year)s年的子女入学工作按此办理。") % {"year": edition.year})
        return redirect("admissions:rules_detail", edition.pk)
