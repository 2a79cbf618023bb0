"""Helpers every page view uses: access mixins, full page or htmx partial, list export."""

from collections.abc import Callable

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import render

from gonghui.core.excel import xlsx_response


class MemberPageMixin(LoginRequiredMixin):
    """Any signed-in user; what they see is narrowed by the querysets."""


class PermissionPageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A page for holders of `permission_required`; objects are narrowed by the querysets.

    Signed-in users without the permission get 403, anonymous users the sign-in page."""

    raise_exception = False
    request: HttpRequest

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()


def render_page_or_partial(request, template: str, partial: str, context: dict):
    """One view renders the whole page, or only the partial when htmx asks for it."""
    return render(request, partial if request.htmx else template, context)


def paginate(request, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def export_list(*, filename: str, columns: list[tuple[str, Callable]], rows, sheet_title: str = "Sheet1"):
    """Export what a list page shows. `columns` is [(header, row -> value)]."""
    return xlsx_response(
        filename=filename,
        headers=[header for header, _ in columns],
        rows=([getter(row) for _, getter in columns] for row in rows),
        sheet_title=sheet_title,
    )
