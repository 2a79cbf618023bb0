"""Form pieces shared by the apps' forms (forms validate fields only; the services hold the rules)."""

from django import forms

from gonghui.core.text import MAX_ID


class DateInput(forms.DateInput):
    """The browser's date picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        # <input type=date> takes ISO dates only, whatever the language
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IdField(forms.IntegerField):
    """A record's id in a filter or a form: a positive integer the database can compare, so a
    huge number is a form error, not an overflow in the database driver."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
