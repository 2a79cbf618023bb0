"""Form pieces shared by the apps' forms (forms validate fields only; the services hold the rules)."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html: `True` as a bare name, `False` left out, the rest escaped."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A <select> written in Python: the same HTML as Django's select.html, without rendering
    one template per option. The filter bar of a list page draws every sub-union and category
    on each request, which cost more than the list itself (bench/load.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), mark_safe(_attrs(widget["attrs"])), mark_safe(">")]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',  # select_option.html ends in a newline
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))
