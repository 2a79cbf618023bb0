"""The bulletins' pages (简报): the issues, a new series and a new or changed issue, an issue laid
out as the university's bulletins are (with the editor's composer on a draft: sections, the
figure picker, publishing), its PDF, and the editor's buttons (publish, withdraw, redraft).

Who gets what: everyone signed in reads the published issues (the scoped queryset); holders of
`projects.publish_bulletin` (the union office) compose, publish and withdraw, see drafts and
withdrawn issues, and see which figures of a published issue are now out of date. A draft's
page and PDF preview are the editor's only; anything else is a 404."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, paginate
from gonghui.core.reports import Ratio
from gonghui.core.views_kit import RecordAction, form_service_post
from gonghui.core.workflow import Attempt
from gonghui.projects.choices import BulletinStatus
from gonghui.projects.figures import exact, shown
from gonghui.projects.forms_bulletins import BulletinForm, SectionForm, SeriesForm, WithdrawForm
from gonghui.projects.models import Bulletin, BulletinSection, BulletinSeries, ProgressEntry
from gonghui.projects.selectors.bulletin_pdf import (
    bulletin_layout,
    bulletin_pdf,
    bulletin_pdf_filename,
    title_line,
)
from gonghui.projects.selectors.bulletins import bulletins_for, figure_catalogue, stale_figures
from gonghui.projects.selectors.projects import projects_for
from gonghui.projects.services import bulletins as services
from gonghui.projects.workflow import BulletinWorkflow

EDIT = "projects.publish_bulletin"


def is_editor(user) -> bool:
    return user.has_perm(EDIT)


def bulletin_or_404(user, pk) -> Bulletin:
    """An issue `user` may read: a published one, or any for the editor (and the auditors)."""
    return get_object_or_404(bulletins_for(user), pk=pk)


def next_issue_no(series: BulletinSeries | None) -> int:
    """The number after the series' last issue (what the service gives an issue left unnumbered)."""
    if series is None:
        return 1
    last = Bulletin.objects.filter(series=series).aggregate(last=Max("issue_no"))["last"]
    return (last or 0) + 1


# --- the issues ----------------------------------------------------------------------------


class BulletinListView(MemberPageMixin, View):
    """The issues, by series and newest first: the published ones for everyone; for the editor
    also drafts and withdrawn ones, and for each published issue how many of its figures are
    now out of date."""

    def get(self, request):
        page = paginate(request, bulletins_for(request.user), per_page=30)
        editor = is_editor(request.user)
        stale = stale_figures(list(page)) if editor else {}
        for bulletin in page:
            bulletin.title_line = title_line(bulletin)
            bulletin.stale_count = len(stale.get(bulletin.pk, ()))
        return render(
            request,
            "projects/bulletins/list.html",
            {
                "page": page,
                "editor": editor,
                "series": list(BulletinSeries.objects.order_by("name")) if editor else [],
            },
        )


class SeriesCreateView(PermissionPageMixin, View):
    permission_required = EDIT

    def _page(self, request, form, status=200):
        return render(request, "projects/bulletins/series_form.html", {"form": form}, status=status)

    def get(self, request):
        return self._page(request, SeriesForm())

    def post(self, request):
        form = SeriesForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.series_create(
                actor=request.user, name=data["name"], publisher=data["publisher"], masthead=data["masthead"]
            ),
            success=_("简报系列已建立，可以新建一期简报了。"),
            then=lambda series: redirect(f"{reverse('projects:bulletin_new')}?series={series.pk}"),
        )
        return done or self._page(request, form, status=400)


class BulletinCreateView(PermissionPageMixin, View):
    """A new draft issue: the series' next number, today's date and year filled in."""

    permission_required = EDIT

    def _page(self, request, form, status=200):
        return render(
            request,
            "projects/bulletins/bulletin_form.html",
            {"form": form, "bulletin": None, "has_series": BulletinSeries.objects.exists()},
            status=status,
        )

    def get(self, request):
        series_rows = BulletinSeries.objects.order_by("name")
        series = None
        if (asked := request.GET.get("series", "")).isdigit():
            series = series_rows.filter(pk=int(asked)).first()
        series = series or series_rows.first()
        today = timezone.localdate()
        initial = {"series": series, "issue_no": next_issue_no(series), "date": today, "figures_year": today.year}
        return self._page(request, BulletinForm(initial=initial))

    def post(self, request):
        form = BulletinForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.bulletin_create(
                actor=request.user,
                series=data["series"],
                issue_no=data["issue_no"],
                date=data["date"],
                title=data["title"],
                subtitle=data["subtitle"],
                column=data["column"],
                figures_year=data["figures_year"],
            ),
            success=_("简报已建立（草稿）。下一步：添加栏目。"),
            then=lambda bulletin: redirect("projects:bulletin", bulletin.pk),
        )
        return done or self._page(request, form, status=400)


def _draft_or_back(request, bulletin: Bulletin):
    """A redirect to the issue when it is no longer a draft (published issues never change)."""
    if bulletin.status == BulletinStatus.DRAFT:
        return None
    messages.error(request, _("简报%(status)s，不能修改。") % {"status": bulletin.get_status_display()})
    return redirect("projects:bulletin", bulletin.pk)


class BulletinEditView(PermissionPageMixin, View):
    permission_required = EDIT

    def _page(self, request, form, bulletin, status=200):
        return render(
            request,
            "projects/bulletins/bulletin_form.html",
            {"form": form, "bulletin": bulletin, "has_series": True},
            status=status,
        )

    def get(self, request, pk):
        bulletin = bulletin_or_404(request.user, pk)
        if (back := _draft_or_back(request, bulletin)) is not None:
            return back
        initial = {
            "issue_no": bulletin.issue_no,
            "date": bulletin.date,
            "title": bulletin.title,
            "subtitle": bulletin.subtitle,
            "column": bulletin.column,
            "figures_year": bulletin.figures_year,
        }
        return self._page(request, BulletinForm(initial=initial, editing=True), bulletin)

    def post(self, request, pk):
        bulletin = bulletin_or_404(request.user, pk)
        form = BulletinForm(request.POST, editing=True)
        done = form_service_post(
            request,
            form,
            lambda data: services.bulletin_update(
                actor=request.user,
                bulletin=bulletin,
                issue_no=data["issue_no"],
                date=data["date"],
                title=data["title"],
                subtitle=data["subtitle"],
                column=data["column"],
                figures_year=data["figures_year"],
            ),
            success=_("简报已保存。"),
            then=lambda saved: redirect("projects:bulletin", saved.pk),
        )
        return done or self._page(request, form, bulletin, status=400)


# --- an issue's page -----------------------------------------------------------------------


def figure_picker(year: int) -> list[dict]:
    """The figures of `year` by module section, each with its label, its value as a bulletin
    prints it now and the reference to paste (`{{ key }}`)."""
    groups = []
    for title, figures in figure_catalogue(year):
        rows = []
        for figure in figures:
            value = (
                "—" if figure.value is None else shown(exact(figure.value), is_ratio=isinstance(figure.value, Ratio))
            )
            unit = "" if isinstance(figure.value, Ratio) else str(figure.unit or "")
            rows.append(
                {
                    "key": figure.key,
                    "label": str(figure.label),
                    "value": value,
                    "unit": unit,
                    "reference": f"{{{{ {figure.key} }}}}",
                }
            )
        groups.append({"title": str(title), "figures": rows})
    return groups


def publish_problem(bulletin: Bulletin, user) -> str:
    """What stops the issue from being published now ("" when nothing does)."""
    step = BulletinWorkflow.step_named(bulletin.status, "publish")
    if step is None:
        return ""
    attempt = Attempt(obj=bulletin, actor=user, step=step, message="", values={}, parameters={})
    return "；".join(problem for guard in step.guards if (problem := guard(attempt)))


def section_choices(user, bulletin: Bulletin) -> dict:
    """The projects of the issue's year `user` may see, and their progress entries, for a
    section to report."""
    projects = projects_for(user, year=bulletin.figures_year).order_by("batch__number", "number")
    progress = (
        ProgressEntry.objects.restrict(user, "view")
        .filter(project__in=projects.values("pk"))
        .select_related("project")
        .order_by("project__batch__number", "project__number", "date", "pk")
    )
    return {"projects": projects, "progress": progress}


def section_form(user, bulletin: Bulletin, *args, **kwargs) -> SectionForm:
    form = SectionForm(*args, **section_choices(user, bulletin), **kwargs)
    for name in ("projects", "progress"):
        if not form.fields[name].queryset.exists():  # type: ignore[attr-defined]
            del form.fields[name]
    return form


def frozen_figures(bulletin: Bulletin) -> list[dict]:
    """The figures a published issue froze, each with its live value when that has moved on."""
    stale = {item.figure.pk: item for item in stale_figures([bulletin]).get(bulletin.pk, [])}
    rows = []
    for figure in bulletin.figures.all():
        moved = stale.get(figure.pk)
        rows.append(
            {
                "figure": figure,
                "published": shown(figure.value, is_ratio=figure.unit == "%"),
                "unit": "" if figure.unit == "%" else figure.unit,
                "stale": moved is not None,
                "live": moved.shown_live if moved is not None else "",
            }
        )
    return rows


class BulletinDetailView(MemberPageMixin, View):
    """The issue as it prints; for the editor, the composer on a draft, the frozen figures and
    their freshness on a published issue, and the buttons of each state."""

    def get(self, request, pk):
        bulletin = bulletin_or_404(request.user, pk)
        editor = is_editor(request.user)
        return render(request, "projects/bulletins/bulletin.html", self.context(request, bulletin, editor))

    @staticmethod
    def context(request, bulletin: Bulletin, editor: bool, form: SectionForm | None = None) -> dict:
        layout = bulletin_layout(bulletin)
        context: dict = {"bulletin": bulletin, "layout": layout, "editor": editor, "draft": False}
        if not editor:
            context["sections"] = [(None, rendered) for rendered in layout.sections]
            return context
        sections = list(bulletin.sections.all())
        context["sections"] = list(zip(sections, layout.sections, strict=True))
        if bulletin.status == BulletinStatus.DRAFT:
            context.update(
                draft=True,
                section_form=form or section_form(request.user, bulletin),
                picker=figure_picker(bulletin.figures_year),
                publish_problem=publish_problem(bulletin, request.user),
            )
        elif bulletin.status == BulletinStatus.PUBLISHED:
            context.update(frozen=frozen_figures(bulletin), withdraw_form=WithdrawForm())
        return context


class BulletinPdfView(MemberPageMixin, View):
    """The issue as an A4 PDF: a published one for whoever may read it; a draft (live figures,
    marked 草稿) or a withdrawn one for the editor only."""

    def get(self, request, pk):
        bulletin = bulletin_or_404(request.user, pk)
        if bulletin.status != BulletinStatus.PUBLISHED and not is_editor(request.user):
            raise Http404
        response = HttpResponse(bulletin_pdf(bulletin), content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(bulletin_pdf_filename(bulletin))}"
        return response


# --- sections ------------------------------------------------------------------------------


class _SectionPage(PermissionPageMixin, View):
    """A section's form on its own page (a new one when the issue page's form was refused, or
    one to change), with the figure picker beside it."""

    permission_required = EDIT

    def _page(self, request, bulletin, form, section=None, status=200):
        return render(
            request,
            "projects/bulletins/section_form.html",
            {
                "bulletin": bulletin,
                "section": section,
                "form": form,
                "picker": figure_picker(bulletin.figures_year),
                "title_line": title_line(bulletin),
            },
            status=status,
        )

    def _save(self, request, bulletin, section=None):
        form = section_form(request.user, bulletin, request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.section_save(
                actor=request.user,
                bulletin=bulletin,
                section=section,
                heading=data["heading"],
                body=data["body"],
                projects=data.get("projects") or (),
                progress=data.get("progress") or (),
            ),
            success=_("栏目已保存。"),
            then=lambda saved: redirect(f"{reverse('projects:bulletin', args=[bulletin.pk])}#section-{saved.pk}"),
        )
        return done or self._page(request, bulletin, form, section, status=400)


class SectionCreateView(_SectionPage):
    def get(self, request, pk):
        bulletin = bulletin_or_404(request.user, pk)
        if (back := _draft_or_back(request, bulletin)) is not None:
            return back
        return self._page(request, bulletin, section_form(request.user, bulletin))

    def post(self, request, pk):
        return self._save(request, bulletin_or_404(request.user, pk))


class SectionEditView(_SectionPage):
    def _section(self, request, pk, section) -> tuple[Bulletin, BulletinSection]:
        bulletin = bulletin_or_404(request.user, pk)
        return bulletin, get_object_or_404(BulletinSection, pk=section, bulletin=bulletin)

    def get(self, request, pk, section):
        bulletin, row = self._section(request, pk, section)
        if (back := _draft_or_back(request, bulletin)) is not None:
            return back
        initial = {
            "heading": row.heading,
            "body": row.body,
            "projects": list(row.projects.values_list("pk", flat=True)),
            "progress": list(row.progress.values_list("pk", flat=True)),
        }
        return self._page(request, bulletin, section_form(request.user, bulletin, initial=initial), row)

    def post(self, request, pk, section):
        bulletin, row = self._section(request, pk, section)
        return self._save(request, bulletin, row)


# --- the editor's buttons --------------------------------------------------------------------


class _BulletinAction(RecordAction):
    """A button on an issue's page, the editor's only (anyone else: 404)."""

    def target(self, request, pk):
        if not is_editor(request.user):
            raise Http404
        return bulletin_or_404(request.user, pk)

    def back(self, obj) -> str:
        return reverse("projects:bulletin", args=[obj.pk])


class SectionDeleteView(_BulletinAction):
    def post(self, request, pk, section=0):
        self.section_pk = section
        return super().post(request, pk)

    def act(self, request, obj, data):
        section = get_object_or_404(BulletinSection, pk=self.section_pk, bulletin=obj)
        services.section_delete(actor=request.user, section=section)
        return _("栏目“%(heading)s”已删除。") % {"heading": section.heading or _("（无小标题）")}


class BulletinPublishView(_BulletinAction):
    def act(self, request, obj, data):
        services.bulletin_publish(actor=request.user, bulletin=obj)
        return _("简报已发布，引用的数据已按发布时的数值固定。")


class BulletinWithdrawView(_BulletinAction):
    form_class = WithdrawForm

    def act(self, request, obj, data):
        services.bulletin_withdraw(actor=request.user, bulletin=obj, message=data["message"])
        return _("简报已撤回。")


class BulletinRedraftView(_BulletinAction):
    def act(self, request, obj, data):
        services.bulletin_redraft(actor=request.user, bulletin=obj)
        return _("简报已退回草稿，可以修改后重新发布。")


__all__ = [
    "BulletinCreateView",
    "BulletinDetailView",
    "BulletinEditView",
    "BulletinListView",
    "BulletinPdfView",
    "BulletinPublishView",
    "BulletinRedraftView",
    "BulletinWithdrawView",
    "SectionCreateView",
    "SectionDeleteView",
    "SectionEditView",
    "SeriesCreateView",
]
