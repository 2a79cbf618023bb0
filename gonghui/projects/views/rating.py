"""Staff rate done projects on the portal: once each, anonymously (core's secret ballot)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin
from gonghui.projects import forms
from gonghui.projects.models import PracticalProject
from gonghui.projects.selectors.projects import rating_open_for


class RateListView(MemberPageMixin, View):
    def get(self, request):
        return render(
            request,
            "projects/rate_list.html",
            {"projects": list(rating_open_for(request.user)), "form": forms.RateForm()},
        )


class RateView(MemberPageMixin, View):
    def post(self, request, pk):
        # only a member on the roster rates; to anyone else a project to rate is not there
        if not getattr(request.user, "person_id", None):
            raise Http404
        project = get_object_or_404(PracticalProject.objects.done_for_staff(), pk=pk)
        form = forms.RateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择满意度。"))
            return redirect("projects:rate_list")
        from gonghui.projects.services.ratings import rating_cast

        try:
            rating_cast(actor=request.user, project=project, satisfaction=form.cleaned_data["satisfaction"])
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("感谢您的评价！评价为无记名，结果只公布统计数。"))
        return redirect("projects:rate_list")
