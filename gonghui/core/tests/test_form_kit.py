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
