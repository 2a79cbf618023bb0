from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.excel import xlsx_file_response
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.registry import person_sections_for
from gonghui.core.ui import Column, sort_value
from gonghui.core.views_kit import FilteredListPage, ListExport, form_service_post
from gonghui.core.workflow import available_steps
from gonghui.people import forms, selectors, services
from gonghui.people.filters import PersonFilter
from gonghui.people.models import Child, Person, SubUnion
from gonghui.people.roster.export import roster_export_people, roster_export_xlsx
from gonghui.people.workflow import MembershipWorkflow, PersonWorkflow


class PersonListView(FilteredListPage):
    """People with search (characters, pinyin, initials), filters, pagination and export. The
    export is a roster the import reads back (people.roster.export), ID numbers masked."""

    permission_required = "people.view_person"
    templates = ("people/person_list.html", "people/partials/_person_table.html")
    export = ListExport("people.person", gettext_lazy("人员名单.xlsx"), columns=[])  # the roster's columns

    sorts = ("name_pinyin", "staff_no", "sub_union__name", "employment_status")
    estimate_count = True  # a million people: the count above 1,000 is the planner's

    def rows(self, request):
        rows = selectors.person_list(user=request.user, filters=request.GET)
        sort = sort_value(request, self.sorts)
        return rows.order_by(sort, "pk") if sort else rows

    def export_response(self, rows):
        data, _count = roster_export_xlsx(roster_export_people(rows))
        return xlsx_file_response(str(self.export.filename), data)

    def extra_context(self, request):
        person_filter = PersonFilter(request.GET, queryset=Person.objects.none())
        person_filter.form.fields["sub_union"].queryset = SubUnion.objects.current().restrict(request.user)
        return {
            "filter": person_filter,
            "sort": sort_value(request, self.sorts),
            "columns": [
                Column(_("姓名"), "name_pinyin"),
                Column(_("工号"), "staff_no"),
                Column(_("分工会"), "sub_union__name"),
                Column(_("人员状态"), "employment_status"),
                Column(_("人员类别")),
                Column(_("身份证号")),
            ],
        }


class PersonDetailView(PermissionPageMixin, View):
    permission_required = "people.view_person"

    def get(self, request, pk):
        try:
            person = selectors.person_get(user=request.user, pk=pk)
        except Person.DoesNotExist:
            raise Http404 from None
        memberships = list(selectors.membership_history(person=person))
        current = next((m for m in memberships if m.status in ("active", "applied")), None)
        context = {
            "person": person,
            "memberships": memberships,
            "current_membership": current,
            # what the user may do next, from the workflows' tables and step permissions
            "status_steps": available_steps(PersonWorkflow, person, request.user),
            "membership_steps": [s.name for s in available_steps(MembershipWorkflow, current, request.user)]
            if current
            else [],
            "history": selectors.person_history(person=person)[:200],
            "children": person.children.all(),
            # what the modules add (mentoring, competition entries …), as far as the user may see
            "sections": person_sections_for(request.user, person),
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


# --- back-office writes: forms validate fields, services decide -------------------------


class ServiceFormPage(PermissionPageMixin, View):
    """GET shows the form; POST validates it, calls `perform` (one service) and goes back to
    the person's page, or shows the refusal on the form. The person comes from the actor's
    change scope: anyone else's is a 404."""

    form_class = None
    template_name = ""
    title = ""
    success_message = ""

    def get_person(self) -> Person:
        people = Person.objects.restrict(self.request.user, "change").select_related("sub_union")
        return get_object_or_404(people, pk=self.kwargs["pk"])

    def setup_objects(self):
        self.person = self.get_person()

    def get_form_kwargs(self) -> dict:
        return {}

    def perform(self, data: dict):
        raise NotImplementedError

    def success_url(self):
        return self.person.get_absolute_url()

    def get_context(self, form) -> dict:
        return {"form": form, "person": getattr(self, "person", None), "title": self.title}

    def get(self, request, **kwargs):
        self.setup_objects()
        return render(request, self.template_name, self.get_context(self.form_class(**self.get_form_kwargs())))

    def post(self, request, **kwargs):
        self.setup_objects()
        form = self.form_class(request.POST, **self.get_form_kwargs())
        done = form_service_post(
            request, form, self.perform, success=self.success_message, then=lambda _result: redirect(self.success_url())
        )
        return done or render(request, self.template_name, self.get_context(form), status=400)


def _person_fields(data: dict) -> dict:
    names = [
        "staff_no",
        "name",
        "gender",
        "birth_date",
        "phone",
        "employment_category",
        "coverage_type",
        "sub_union",
        "jingka_no",
    ]
    return {name: data[name] for name in names}


class PersonCreateView(ServiceFormPage):
    permission_required = "people.add_person"
    form_class = forms.PersonCreateForm
    template_name = "people/person_form.html"
    title = gettext_lazy("新增人员")
    success_message = gettext_lazy("已新增人员")

    def setup_objects(self):
        self.person = None

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, data):
        self.person = services.person_create(
            actor=self.request.user,
            id_number=data["id_number"],
            joined_on=data["joined_on"],
            member_no=data["member_no"],
            employment_status=data["employment_status"],
            **_person_fields(data),
        )


class PersonEditView(ServiceFormPage):
    permission_required = "people.change_person"
    form_class = forms.PersonEditForm
    template_name = "people/person_form.html"
    title = gettext_lazy("编辑人员信息")
    success_message = gettext_lazy("已保存")

    def get_form_kwargs(self):
        p = self.person
        initial = {
            "staff_no": p.staff_no,
            "name": p.name,
            "gender": p.gender,
            "birth_date": p.birth_date,
            "phone": p.phone,
            "employment_category": p.employment_category_id,
            "coverage_type": p.coverage_type,
            "sub_union": p.sub_union_id,
            "jingka_no": p.jingka_no,
        }  # never the ID number
        return {"user": self.request.user, "person": p, "initial": initial}

    def perform(self, data):
        services.person_update(
            actor=self.request.user, person=self.person, id_number=data["id_number"] or None, **_person_fields(data)
        )


class PersonStatusView(ServiceFormPage):
    permission_required = "people.change_person"
    form_class = forms.PersonStatusForm
    template_name = "people/person_status.html"
    title = gettext_lazy("人员状态变更")
    success_message = gettext_lazy("人员状态已变更")

    def perform(self, data):
        services.person_status_change(
            actor=self.request.user, person=self.person, status=data["status"], on=data["on"], reason=data["reason"]
        )


class MembershipJoinView(ServiceFormPage):
    permission_required = "people.change_unionmembership"
    form_class = forms.MembershipJoinForm
    template_name = "people/membership_join.html"
    title = gettext_lazy("办理入会")
    success_message = gettext_lazy("已办理入会")

    def perform(self, data):
        services.membership_join(
            actor=self.request.user,
            person=self.person,
            joined_on=data["joined_on"],
            member_no=data["member_no"],
            confirmed=data["confirmed"],
        )


class MembershipTransferView(ServiceFormPage):
    permission_required = "people.change_unionmembership"
    form_class = forms.MembershipTransferForm
    template_name = "people/membership_transfer.html"
    title = gettext_lazy("转会")
    success_message = gettext_lazy("已办理转会")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_context(self, form):
        return {**super().get_context(form), "membership": self.person.memberships.current().first()}

    def perform(self, data):
        services.membership_transfer(
            actor=self.request.user,
            person=self.person,
            to_sub_union=data["to_sub_union"],
            on=data["on"],
            reason=data["reason"],
        )


class MembershipEndView(ServiceFormPage):
    permission_required = "people.change_unionmembership"
    form_class = forms.MembershipEndForm
    template_name = "people/membership_end.html"
    title = gettext_lazy("会籍中止或终止")
    success_message = gettext_lazy("会籍已变更")

    def setup_objects(self):
        super().setup_objects()
        self.membership = self.person.memberships.current().select_related("sub_union").first()

    def get_context(self, form):
        return {**super().get_context(form), "membership": self.membership}

    def perform(self, data):
        if self.membership is None:
            raise ApplicationError(_("该人员没有在会会籍"))
        services.membership_end(
            actor=self.request.user,
            membership=self.membership,
            on=data["on"],
            reason=data["reason"],
            status=data["status"],
        )


class ChildAddView(ServiceFormPage):
    permission_required = "people.change_person"
    form_class = forms.ChildForm
    template_name = "people/child_form.html"
    title = gettext_lazy("添加子女")
    success_message = gettext_lazy("已添加子女")

    def perform(self, data):
        services.child_add(actor=self.request.user, parent=self.person, **data)


class ChildDeleteView(PermissionPageMixin, View):
    """Confirm, then delete a child's record (the parent must be in the actor's change scope)."""

    permission_required = "people.change_person"

    def get_child(self, pk) -> Child:
        children = Child.objects.filter(parent__in=Person.objects.restrict(self.request.user, "change"))
        return get_object_or_404(children.select_related("parent"), pk=pk)

    def get(self, request, pk):
        child = self.get_child(pk)
        return render(request, "people/child_delete.html", {"child": child, "person": child.parent})

    def post(self, request, pk):
        child = self.get_child(pk)
        parent = child.parent
        services.child_remove(actor=request.user, child=child)
        messages.success(request, _("已删除子女记录"))
        return redirect(parent.get_absolute_url())


class MembershipConfirmView(PermissionPageMixin, View):
    """The union office confirms a membership that a sub-union has applied for."""

    permission_required = "people.change_unionmembership"

    def post(self, request, pk):
        person = get_object_or_404(Person.objects.restrict(request.user, "change"), pk=pk)
        membership = person.memberships.current().first()
        if membership is None:
            messages.error(request, _("该人员没有申请中的会籍"))
            return redirect(person.get_absolute_url())
        try:
            services.membership_confirm(actor=request.user, membership=membership)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已确认入会"))
        return redirect(person.get_absolute_url())
