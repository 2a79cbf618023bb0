"""Pages for the scheme's rules by year (管理办法): the list and read-only detail (members see
the adopted editions), drafting, editing rules and bands (htmx), adoption, comparison and
the preview of a draft's cost on a past year's decided applications."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditEvent
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin
from gonghui.core.text import record_id
from gonghui.core.views_kit import form_refusal, form_service_post
from gonghui.mutual_aid.choices import BASES_BY_MODE, EditionStatus
from gonghui.mutual_aid.forms import editions as forms
from gonghui.mutual_aid.models import DiseaseCategory, RequiredDocument, SchemeEdition, SubsidyBand, SubsidyRule
from gonghui.mutual_aid.selectors import editions as selectors
from gonghui.mutual_aid.services import editions as services


def _visible(request, pk) -> SchemeEdition:
    try:
        return selectors.edition_get(user=request.user, pk=pk)
    except SchemeEdition.DoesNotExist:
        raise Http404 from None


def _draft(request, pk) -> SchemeEdition:
    """A draft the user may edit; an adopted edition has no edit pages (404)."""
    edition = _visible(request, pk)
    if edition.status != EditionStatus.DRAFT:
        raise Http404
    return edition


class EditionListView(MemberPageMixin, View):
    """Editions by year. The office sees drafts and superseded editions too; a member sees
    the adopted 互助会管理办法 only."""

    def get(self, request):
        editions = selectors.edition_list(user=request.user)
        return render(
            request,
            "mutual_aid/editions/edition_list.html",
            {
                "editions": editions,
                "can_draft": request.user.has_perm("mutual_aid.add_schemeedition"),
                "can_compare": request.user.has_perm("mutual_aid.view_schemeedition"),
            },
        )


class EditionDetailView(MemberPageMixin, View):
    """An edition's rules, readable by every member once adopted; drafts only for the office."""

    def get(self, request, pk):
        edition = _visible(request, pk)
        user = request.user
        office = user.has_perm("mutual_aid.view_schemeedition")
        context = {
            "edition": edition,
            "summary": selectors.edition_summary(edition),
            "rules": edition.rules.all(),
            "diseases": edition.diseases.all(),
            "documents": edition.required_documents.all(),
            "office": office,
            "can_change": edition.is_editable and user.has_perm("mutual_aid.change_schemeedition"),
            "can_adopt": edition.is_editable and user.has_perm("mutual_aid.adopt_schemeedition"),
            "can_draft": user.has_perm("mutual_aid.add_schemeedition"),
            "can_preview": office and user.has_perm("mutual_aid.view_subsidyapplication"),
            "problems": services.edition_adoption_problems(edition) if edition.is_editable and office else [],
            "history": (
                AuditEvent.objects.filter(
                    object_type="mutual_aid.schemeedition", object_id=str(edition.pk)
                ).select_related("actor")[:100]
                if office
                else []
            ),
        }
        return render(request, "mutual_aid/editions/edition_detail.html", context)


class EditionCreateView(PermissionPageMixin, View):
    """A new draft: blank, or a copy (修订) of an existing edition (?source=<pk>)."""

    permission_required = "mutual_aid.add_schemeedition"
    template = "mutual_aid/editions/edition_create.html"

    def _form(self, data=None):
        form = forms.EditionCreateForm(data, initial=self._initial())
        form.fields["source"].queryset = selectors.edition_list(user=self.request.user)
        return form

    def _initial(self):
        source = self.request.GET.get("source")
        if record_id(source):
            edition = selectors.edition_list(user=self.request.user).filter(pk=record_id(source)).first()
            if edition is not None:
                return {"source": edition.pk, "year": edition.year + 1}
        return {}

    def get(self, request):
        return render(request, self.template, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.edition_create_draft(
                actor=request.user, year=data["year"], name=data["name"], source=data["source"]
            ),
            success=_("已起草管理办法草案"),
            then=lambda edition: redirect("mutual_aid:edition_edit", edition.pk),
        )
        return done or render(request, self.template, {"form": form}, status=400)


class EditionEditView(PermissionPageMixin, View):
    """A draft's fields: who may join, windows, fees, formula mode, caps, notice periods."""

    permission_required = "mutual_aid.change_schemeedition"
    template = "mutual_aid/editions/edition_edit.html"

    def get(self, request, pk):
        edition = _draft(request, pk)
        form = forms.EditionForm(initial=forms.EditionForm.initial_for(edition))
        return render(request, self.template, {"form": form, "edition": edition})

    def post(self, request, pk):
        edition = _draft(request, pk)
        form = forms.EditionForm(request.POST)

        def update(data: dict) -> None:
            data = dict(data)
            categories = data.pop("eligible_categories")
            services.edition_update(actor=request.user, edition=edition, categories=categories, **data)

        done = form_service_post(
            request,
            form,
            update,
            success=_("已保存"),
            then=lambda _result: redirect("mutual_aid:edition_items", edition.pk),
        )
        return done or render(request, self.template, {"form": form, "edition": edition}, status=400)


class EditionItemsView(PermissionPageMixin, View):
    """A draft's rules with their bands, disease catalogue and required documents. Each
    form posts an `op`; htmx swaps the section in place (the add-row pattern)."""

    permission_required = "mutual_aid.change_schemeedition"
    template = "mutual_aid/editions/edition_items.html"
    partial = "mutual_aid/editions/partials/_items.html"

    def _context(self, edition, **forms_in_error):
        edition = _draft(self.request, edition.pk)  # fresh rows after a change
        rule_forms = {}
        for rule in edition.rules.all():
            rule_forms[rule.pk] = forms_in_error.get(f"band_{rule.pk}") or forms.BandForm(prefix=f"band{rule.pk}")
        return {
            "edition": edition,
            "rules": [(rule, rule_forms[rule.pk]) for rule in edition.rules.all()],
            "expected_bases": BASES_BY_MODE[edition.base_mode],
            "rule_form": forms_in_error.get("rule") or forms.RuleForm(prefix="rule"),
            "disease_form": forms_in_error.get("disease") or forms.DiseaseForm(prefix="disease"),
            "document_form": forms_in_error.get("document") or forms.DocumentForm(prefix="document"),
            "diseases": edition.diseases.all(),
            "documents": edition.required_documents.all(),
            "problems": services.edition_adoption_problems(edition),
            "error": forms_in_error.get("error"),
        }

    def get(self, request, pk):
        edition = _draft(request, pk)
        return render(request, self.template, self._context(edition))

    def post(self, request, pk):
        edition = _draft(request, pk)
        op = request.POST.get("op", "")
        handler = getattr(self, f"op_{op}", None)
        if handler is None:
            raise Http404
        errors = {}
        try:
            errors = handler(edition, request.POST) or {}
        except ApplicationError as error:
            errors = {"error": error.message}
        if not errors and not request.htmx:
            messages.success(request, _("已保存"))
            return redirect("mutual_aid:edition_items", edition.pk)
        status = 200 if not errors or request.htmx else 400
        template = self.partial if request.htmx else self.template
        return render(request, template, self._context(edition, **errors), status=status)

    # each op returns {form name: bound form in error} or raises ApplicationError

    def _added(self, data, form_class, prefix: str, name: str, service, **owner):
        """An item added from its small form (fields under `prefix`): None when done, else the
        form under `name`, showing its errors or the service's refusal."""
        form = form_class(data, prefix=prefix)
        if not form.is_valid():
            return {name: form}
        try:
            service(actor=self.request.user, **owner, **form.cleaned_data)
        except ApplicationError as error:
            form_refusal(form, error)
            return {name: form}
        return None

    def _rule(self, edition, data) -> SubsidyRule:
        return get_object_or_404(SubsidyRule, edition=edition, pk=data.get("rule"))

    def op_rule_add(self, edition, data):
        return self._added(data, forms.RuleForm, "rule", "rule", services.rule_add, edition=edition)

    def op_rule_update(self, edition, data):
        rule = self._rule(edition, data)
        form = forms.DeductibleForm(data)
        if not form.is_valid():
            return {"error": _("请填写正确的起付线")}
        services.rule_update(actor=self.request.user, rule=rule, deductible=form.cleaned_data["deductible"])

    def op_rule_remove(self, edition, data):
        services.rule_remove(actor=self.request.user, rule=self._rule(edition, data))

    def op_band_add(self, edition, data):
        rule = self._rule(edition, data)
        return self._added(data, forms.BandForm, f"band{rule.pk}", f"band_{rule.pk}", services.band_add, rule=rule)

    def op_band_remove(self, edition, data):
        band = get_object_or_404(SubsidyBand, rule__edition=edition, pk=data.get("band"))
        services.band_remove(actor=self.request.user, band=band)

    def op_disease_add(self, edition, data):
        return self._added(data, forms.DiseaseForm, "disease", "disease", services.disease_add, edition=edition)

    def op_disease_remove(self, edition, data):
        disease = get_object_or_404(DiseaseCategory, edition=edition, pk=data.get("disease"))
        services.disease_remove(actor=self.request.user, disease=disease)

    def op_document_add(self, edition, data):
        return self._added(data, forms.DocumentForm, "document", "document", services.document_add, edition=edition)

    def op_document_remove(self, edition, data):
        document = get_object_or_404(RequiredDocument, edition=edition, pk=data.get("document"))
        services.document_remove(actor=self.request.user, document=document)


class EditionAdoptView(PermissionPageMixin, View):
    """Confirm the adoption with its date and act; refusals are shown on the form."""

    permission_required = "mutual_aid.adopt_schemeedition"
    template = "mutual_aid/editions/edition_adopt.html"

    def _context(self, edition, form):
        current = selectors.edition_for_cost_year(year=edition.year)
        return {
            "edition": edition,
            "form": form,
            "problems": services.edition_adoption_problems(edition),
            "current": current,
        }

    def get(self, request, pk):
        edition = _draft(request, pk)
        return render(request, self.template, self._context(edition, forms.AdoptForm()))

    def post(self, request, pk):
        edition = _draft(request, pk)
        form = forms.AdoptForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.edition_adopt(actor=request.user, edition=edition, **data),
            success=_("管理办法已通过"),
            then=lambda _result: redirect("mutual_aid:edition_detail", edition.pk),
        )
        return done or render(request, self.template, self._context(edition, form), status=400)


class EditionCompareView(PermissionPageMixin, View):
    """Two editions side by side; changed rows are highlighted."""

    permission_required = "mutual_aid.view_schemeedition"

    def get(self, request):
        editions = selectors.edition_list(user=request.user)
        form = forms.CompareForm(request.GET or None, editions=editions)
        comparison = None
        if form.is_bound and form.is_valid():
            a = selectors.edition_get(user=request.user, pk=form.cleaned_data["a"].pk)
            b = selectors.edition_get(user=request.user, pk=form.cleaned_data["b"].pk)
            comparison = selectors.edition_comparison(a=a, b=b)
        return render(request, "mutual_aid/editions/edition_compare.html", {"form": form, "comparison": comparison})


class EditionPreviewView(PermissionPageMixin, View):
    """What an edition (usually a draft) would grant on a past year's decided applications,
    against what was decided. Reads only."""

    permission_required = ("mutual_aid.view_schemeedition", "mutual_aid.view_subsidyapplication")

    def get(self, request, pk):
        edition = _visible(request, pk)
        years = selectors.preview_years(user=request.user)
        initial_year = edition.year - 1 if (edition.year - 1) in years else (years[0] if years else None)
        form = forms.PreviewForm(request.GET or {"year": initial_year}, years=years)
        preview = None
        if years and form.is_valid():
            preview = selectors.edition_preview_cost(edition=edition, year=form.cleaned_data["year"], user=request.user)
        return render(
            request,
            "mutual_aid/editions/edition_preview.html",
            {"edition": edition, "form": form, "preview": preview, "years": years},
        )
