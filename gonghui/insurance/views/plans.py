"""The office's plan pages (保障计划: list, new, edit) and the presets of the Workers' Insurance
Mutual offered as starting points for a year's drafts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import form_service_post
from gonghui.insurance.forms import PlanEditForm, PlanForm, PresetStartForm
from gonghui.insurance.models import Plan
from gonghui.insurance.selectors.editions import age_limited_terms, plan_list, preset_cards
from gonghui.insurance.services import plans as plan_services
from gonghui.insurance.services.presets import preset_start

PRESET_YEAR = 2021  # the reference year the presets page opens on when no year is asked


def _to_plans(_plan=None):
    return redirect("insurance:plan_list")


class PlanListView(PermissionPageMixin, View):
    permission_required = "insurance.view_plan"

    def get(self, request):
        return render(request, "insurance/plan_list.html", {"plans": plan_list(user=request.user)})


class PlanCreateView(PermissionPageMixin, View):
    permission_required = "insurance.add_plan"
    template = "insurance/plan_form.html"

    def get(self, request):
        return render(request, self.template, {"form": PlanForm()})

    def post(self, request):
        form = PlanForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: plan_services.plan_create(actor=request.user, **data),
            success=_("保障计划已新建"),
            then=_to_plans,
        )
        return done or render(request, self.template, {"form": form}, status=400)


class PlanEditView(PermissionPageMixin, View):
    permission_required = "insurance.change_plan"
    template = "insurance/plan_form.html"

    def _plan(self, request, pk) -> Plan:
        return get_object_or_404(Plan.objects.restrict(request.user, "change"), pk=pk)

    def get(self, request, pk):
        plan = self._plan(request, pk)
        form = PlanEditForm(initial={f: getattr(plan, f) for f in ("name", "kind", "insurer", "sort_order")})
        return render(request, self.template, {"form": form, "plan": plan})

    def post(self, request, pk):
        plan = self._plan(request, pk)
        form = PlanEditForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: plan_services.plan_update(actor=request.user, plan=plan, **data),
            success=_("保障计划已保存"),
            then=_to_plans,
        )
        return done or render(request, self.template, {"form": form, "plan": plan}, status=400)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", PRESET_YEAR))
    except ValueError:
        return PRESET_YEAR
    return year if 2000 <= year <= 2100 else PRESET_YEAR


class PresetListView(PermissionPageMixin, View):
    """The presets for a year, every rule value visible before anything is created."""

    permission_required = "insurance.add_planedition"

    def get(self, request):
        year = _year(request)
        context = {
            "year": year,
            "years": sorted({PRESET_YEAR, timezone.localdate().year, year}),
            "cards": preset_cards(user=request.user, year=year),
            "age_limited": age_limited_terms(),
        }
        return render(request, "insurance/preset_list.html", context)


class PresetStartView(PermissionPageMixin, View):
    """以此预设起草: a DRAFT edition (and the plan, if missing), then its form."""

    permission_required = "insurance.add_planedition"

    def post(self, request):
        form = PresetStartForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择预设和年度"))
            return redirect("insurance:preset_list")
        data = form.cleaned_data
        try:
            draft = preset_start(actor=request.user, code=data["code"], year=data["year"])
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect(f"{reverse('insurance:preset_list')}?year={data['year']}")
        messages.success(request, _("已按预设起草，请核对、修改后保存，再通过"))
        return redirect("insurance:edition_edit", draft.pk)
