from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.history import AuditAction, audit_event_record
from gonghui.core.pages import PermissionPageMixin, export_list, paginate, render_page_or_partial
from gonghui.people import selectors, services
from gonghui.people.filters import PersonFilter
from gonghui.people.models import Person, SubUnion

PERSON_EXPORT_COLUMNS = [
    (_("工号"), lambda p: p.staff_no),
    (_("姓名"), lambda p: p.name),
    (_("性别"), lambda p: p.get_gender_display()),
    (_("出生日期"), lambda p: p.birth_date),
    (_("身份证号"), lambda p: p.id_number_masked),
    (_("分工会"), lambda p: p.sub_union.name),
    (_("人员类别"), lambda p: p.employment_category.name if p.employment_category else ""),
    (_("人员状态"), lambda p: p.get_employment_status_display()),
    (_("医疗类别"), lambda p: p.get_coverage_type_display()),
    (_("手机号"), lambda p: p.phone),
]


class PersonListView(PermissionPageMixin, View):
    """People with search (characters, pinyin, initials), filters, pagination and export."""

    permission_required = "people.view_person"

    def get(self, request):
        people = selectors.person_list(user=request.user, filters=request.GET)
        if request.GET.get("export") == "xlsx":
            audit_event_record(
                actor=request.user, object_type="people.person", object_id="list", action=AuditAction.EXPORTED,
                message=request.GET.urlencode(),
            )
            return export_list(filename="人员名单.xlsx", columns=PERSON_EXPORT_COLUMNS, rows=people.iterator(2000))
        page = paginate(request, people)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filter": PersonFilter(request.GET, queryset=Person.objects.none()),
            "page": page,
            "query": query.urlencode(),
        }
        context["filter"].form.fields["sub_union"].queryset = SubUnion.objects.restrict(request.user)
        return render_page_or_partial(request, "people/person_list.html", "people/partials/_person_table.html", context)


class PersonDetailView(PermissionPageMixin, View):
    permission_required = "people.view_person"

    def get(self, request, pk):
        try:
            person = selectors.person_get(user=request.user, pk=pk)
        except Person.DoesNotExist:
            raise Http404 from None
        context = {
            "person": person,
            "memberships": selectors.membership_history(person=person),
            "history": selectors.person_history(person=person)[:200],
            "children": person.children.all(),
        }
        return render(request, "people/person_detail.html", context)


class PersonRevealIdView(PermissionPageMixin, View):
    """htmx: show the clear ID number in place; the reveal is logged."""

    permission_required = "people.reveal_id_number"

    def post(self, request, pk):
        person = get_object_or_404(Person.objects.restrict(request.user, "view"), pk=pk)
        try:
            number = services.person_id_number_reveal(actor=request.user, person=person)
        except PermissionDenied:
            raise
        return HttpResponse(f'<span data-testid="id-clear">{escape(number)}</span>')


class SubUnionListView(PermissionPageMixin, View):
    permission_required = "people.view_subunion"

    def get(self, request):
        sub_unions = selectors.sub_union_list(user=request.user)
        if request.GET.get("export") == "xlsx":
            return export_list(
                filename="分工会.xlsx",
                columns=[
                    (_("代码"), lambda s: s.code), (_("名称"), lambda s: s.name),
                    (_("类型"), lambda s: s.get_kind_display()), (_("上级"), lambda s: s.parent.name if s.parent else ""),
                    (_("在职"), lambda s: s.active_count), (_("离退休"), lambda s: s.retired_count),
                ],
                rows=sub_unions,
            )
        return render(request, "people/subunion_list.html", {"sub_unions": sub_unions})


class SubUnionDetailView(PermissionPageMixin, View):
    """A sub-union's dashboard: counts by status and category, its groups."""

    permission_required = "people.view_subunion"

    def get(self, request, pk):
        sub_union = get_object_or_404(SubUnion.objects.restrict(request.user), pk=pk)
        context = {"sub_union": sub_union, **selectors.sub_union_dashboard(user=request.user, sub_union=sub_union)}
        return render(request, "people/subunion_detail.html", context)
