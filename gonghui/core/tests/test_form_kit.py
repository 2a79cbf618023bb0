"""FastSelect writes the same <select> as Django's template-rendered Select."""

import pytest
from django import forms

from gonghui.core.form_kit import FastSelect

CHOICES = [("", "全部<人员>"), ("a", "甲 & 乙"), (1, "一")]


@pytest.mark.parametrize("value", ["a", "", None, 1, "<script>"])
def test_fast_select_writes_what_django_select_writes(value):
    attrs = {"class": "small", "disabled": True, "hidden": False}
    expected = forms.Select(choices=CHOICES, attrs=attrs).render("status", value, attrs={"id": "id_status"})
    assert FastSelect(choices=CHOICES, attrs=attrs).render("status", value, attrs={"id": "id_status"}) == expected


def test_fast_select_with_groups_and_escaping():
    choices = [('组"1"', [("a", "<b>A</b>"), ("b", "B")]), ("c", "C")]
    html = FastSelect(choices=choices).render("kind", "b")
    assert html == forms.Select(choices=choices).render("kind", "b")
    assert html == (
        '<select name="kind">\n'
        '  <optgroup label="组&quot;1&quot;">\n'
        '  <option value="a">&lt;b&gt;A&lt;/b&gt;</option>\n\n'
        '  <option value="b" selected>B</option>\n\n'
        "  </optgroup>\n"
        '  <option value="c">C</option>\n\n'
        "</select>"
    )


@pytest.mark.django_db
def test_the_people_filter_bar_is_unchanged(university):
    from gonghui.people.filters import PersonFilter
    from gonghui.people.models import Person

    fast = PersonFilter(
        {"employment_status": "active", "sub_union": str(university.econ.pk)}, queryset=Person.objects.none()
    )
    for field in fast.form:
        if isinstance(field.field.widget, FastSelect):
            slow = forms.Select(choices=field.field.widget.choices)
            assert str(field) == slow.render(field.html_name, field.value(), attrs={"id": field.auto_id}), field.name


@pytest.mark.django_db
def test_the_filter_bar_writes_every_select_as_django_would_without_a_template_per_option(university):
    """A filter bar's plain Selects (a choice and a model choice, as a module's list has) drawn by
    {% filter_field %}: the same HTML as Django's widgets, and no select_option.html rendered."""
    from django.template import engines
    from django.test.signals import template_rendered

    from gonghui.people.models import UniversityUnit

    class FilterBar(forms.Form):
        status = forms.ChoiceField(required=False, choices=[("", "全部状态"), ("open", "办理中"), ("closed", "已办结")])
        unit = forms.ModelChoiceField(UniversityUnit.objects.all(), required=False, empty_label="全部单位")

    form = FilterBar({"status": "open", "unit": str(university.logistics.pk)})
    template = engines["django"].from_string("{% load ui %}{% for field in form %}{% filter_field field %}{% endfor %}")
    rendered: list[str] = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        html = template.render({"form": form})
    finally:
        template_rendered.disconnect(record)
    assert html == "".join(str(field) for field in form)
    assert 'value="open" selected' in html
    assert f'value="{university.logistics.pk}" selected>后勤处</option>' in html
    assert "django/forms/widgets/select_option.html" not in rendered
