"""Sub-union pages: the list and a sub-union's page for everyone in the back office (officers
see their own), and the union office's create, edit, rename and merge (preview, then one
confirm). Forms check fields; people.sub_union_services decides."""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import PermissionPageMixin, export_list
from gonghui.core.text import record_id
from gonghui.core.ui import Column
from gonghui.core.views_kit import form_refusal, form_service_post
from gonghui.people import selectors, sub_union_services
from gonghui.people.choices import SubUnionKind
from gonghui.people.models import SubUnion


def _parents():
    """Sub-unions a sub-union or group may sit under: current, not groups."""
    return SubUnion.objects.current().exclude(kind=SubUnionKind.GROUP)


class SubUnionCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    code = forms.CharField(
        label=gettext_lazy("代码"), max_length=32, required=False, help_text=gettext_lazy("留空则按名称拼音首字母生成")
    )
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=SubUnionKind.choices)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("上级"),
        queryset=_parents(),
        required=False,
        help_text=gettext_lazy("工会小组必须选择上级分工会"),
    )


class SubUnionEditForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=SubUnionKind.choices)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("上级"),
        queryset=_parents(),
        required=False,
        help_text=gettext_lazy("工会小组必须选择上级分工会"),
    )

    def __init__(self, *args, sub_union: SubUnion, **kwargs):
        super().__init__(*args, **kwargs)
        below = SubUnion.objects.with_descendants({sub_union.pk})
        self.fields["parent"].queryset = _parents().exclude(pk__in=below)


class SubUnionRenameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("新名称"),
        max_length=100,
        help_text=gettext_lazy("原名称将保留为别名，人事名册中的旧写法仍能匹配"),
    )


class SubUnionMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=gettext_lazy("并入"), queryset=SubUnion.objects.current())

    def __init__(self, *args, sub_union: SubUnion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = SubUnion.objects.current().exclude(pk=sub_union.pk)


# --- reading ---------------------------------------------------------------------------------


class SubUnionListView(PermissionPageMixin, View):
    """Sub-unions with kind, parent, people and members; `?merged=1` adds the merged ones."""

    permission_required = "people.view_subunion"

    def get(self, request):
        include_merged = request.GET.get("merged") == "1"
        sub_unions = selectors.sub_union_list(user=request.user, include_merged=include_merged)
        if request.GET.get("export") == "xlsx":
            return export_list(
                filename=_("分工会名单.xlsx"),
                columns=[
                    (_("代码"), lambda s: s.code),
                    (_("名称"), lambda s: s.name),
                    (_("类型"), lambda s: s.get_kind_display()),
                    (_("上级"), lambda s: s.parent.name if s.parent else ""),
                    (_("在会会员"), lambda s: s.member_count),
                    (_("在职"), lambda s: s.active_count),
                    (_("离退休"), lambda s: s.retired_count),
                    (_("并入"), lambda s: s.merged_into.name if s.merged_into else ""),
                ],
                rows=sub_unions,
            )
        columns = [Column(_("名称")), Column(_("类型")), Column(_("上级"))]
        columns += [Column(_("在会会员")), Column(_("在职")), Column(_("离退休"))]
        if request.user.has_perm("people.change_subunion"):
            columns.append(Column(_("操作")))
        context = {"sub_unions": sub_unions, "include_merged": include_merged, "columns": columns}
        return render(request, "people/subunion_list.html", context)


class SubUnionDetailView(PermissionPageMixin, View):
    """A sub-union's page: counts by status and category, its groups, and its history."""

    permission_required = "people.view_subunion"

    def get(self, request, pk):
        sub_union = get_object_or_404(SubUnion.objects.restrict(request.user).select_related("merged_into"), pk=pk)
        context = {"sub_union": sub_union, **selectors.sub_union_dashboard(user=request.user, sub_union=sub_union)}
        return render(request, "people/subunion_detail.html", context)


# --- the union office's writes ---------------------------------------------------------------


class SubUnionFormPage(PermissionPageMixin, View):
    """GET shows the form; POST runs one service and goes to the sub-union's page, or shows the
    refusal on the form (400, nothing written). The sub-union comes from the actor's change
    scope: any other is a 404."""

    permission_required = "people.change_subunion"
    form_class: type[forms.Form] = forms.Form
    template_name = "people/subunion_form.html"
    title = ""
    submit = gettext_lazy("保存")
    success_message = ""
    sub_union: SubUnion | None = None

    def setup_objects(self):
        self.sub_union = get_object_or_404(
            SubUnion.objects.restrict(self.request.user, "change").select_related("parent", "merged_into"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict:
        return {"sub_union": self.sub_union}

    def perform(self, data: dict) -> SubUnion:
        raise NotImplementedError

    def render_form(self, form, status=200):
        context = {"form": form, "sub_union": self.sub_union, "title": self.title, "submit": self.submit}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, **kwargs):
        self.setup_objects()
        return self.render_form(self.form_class(**self.get_form_kwargs()))

    def post(self, request, **kwargs):
        self.setup_objects()
        form = self.form_class(request.POST, **self.get_form_kwargs())
        done = form_service_post(
            request,
            form,
            self.perform,
            success=str(self.success_message),
            then=lambda sub_union: redirect(sub_union.get_absolute_url()),
        )
        return done or self.render_form(form, status=400)


class SubUnionCreateView(SubUnionFormPage):
    permission_required = "people.add_subunion"
    form_class = SubUnionCreateForm
    title = gettext_lazy("新建分工会")
    submit = gettext_lazy("新建")
    success_message = gettext_lazy("已新建分工会")

    def setup_objects(self):
        self.sub_union = None

    def get_form_kwargs(self):
        initial = {"kind": self.request.GET.get("kind") or SubUnionKind.COLLEGE}
        parent = self.request.GET.get("parent")
        if record_id(parent):
            initial["parent"] = record_id(parent)
        return {} if self.request.method == "POST" else {"initial": initial}

    def perform(self, data):
        return sub_union_services.sub_union_create(
            actor=self.request.user, name=data["name"], code=data["code"], kind=data["kind"], parent=data["parent"]
        )


class SubUnionEditView(SubUnionFormPage):
    form_class = SubUnionEditForm
    title = gettext_lazy("修改类型与上级")
    success_message = gettext_lazy("已保存")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method != "POST":
            kwargs["initial"] = {"kind": self.sub_union.kind, "parent": self.sub_union.parent_id}
        return kwargs

    def perform(self, data):
        return sub_union_services.sub_union_update(
            actor=self.request.user, sub_union=self.sub_union, kind=data["kind"], parent=data["parent"]
        )


class SubUnionRenameView(SubUnionFormPage):
    form_class = SubUnionRenameForm
    title = gettext_lazy("更名")
    submit = gettext_lazy("更名")
    success_message = gettext_lazy("已更名，原名称已保留为别名")

    def get_form_kwargs(self):
        return {} if self.request.method == "POST" else {"initial": {"name": self.sub_union.name}}

    def perform(self, data):
        return sub_union_services.sub_union_rename(actor=self.request.user, sub_union=self.sub_union, name=data["name"])


class SubUnionMergeView(SubUnionFormPage):
    """Merge this sub-union into another: GET picks the target, GET `?into=` previews what
    moves (counts), the POST confirms once and does it all in one transaction."""

    form_class = SubUnionMergeForm
    template_name = "people/subunion_merge.html"
    title = gettext_lazy("合并分工会")
    success_message = gettext_lazy("已合并")

    def get(self, request, **kwargs):
        self.setup_objects()
        if "into" not in request.GET:
            return self.render_form(self.form_class(**self.get_form_kwargs()))
        form = self.form_class(request.GET, **self.get_form_kwargs())
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            plan = sub_union_services.sub_union_merge_plan(
                actor=request.user, source=self.sub_union, target=form.cleaned_data["into"]
            )
        except ApplicationError as error:
            form_refusal(form, error)
            return self.render_form(form, status=400)
        context = {"form": form, "sub_union": self.sub_union, "title": self.title, "plan": plan}
        return render(request, "people/subunion_merge.html", context)

    def perform(self, data):
        sub_union_services.sub_union_merge(actor=self.request.user, source=self.sub_union, target=data["into"])
        return data["into"]
