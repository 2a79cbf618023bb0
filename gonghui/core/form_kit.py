"""Form pieces shared by the apps' forms (forms validate fields only; the services hold the rules)."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        # <input type=date> takes ISO dates only, whatever the language
        super().__init__(attrs=attrs, format="%Y-%m-%d")
