"""The design system's tags (templates/components/, docs/development/style-guide.md § Pages):
an icon from the vendored sprite, a status tag and a step bar read from the workflow table,
and the sort link of a table header."""

from functools import lru_cache

from django import forms, template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import QueryDict
from django.template import Context
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from gonghui.core.form_kit import FastSelect
from gonghui.core.statuses import state_tone, step_bar, tone_class, workflow_of

register = template.Library()


@lru_cache(maxsize=1)
def _sprite() -> str:
    """The sprite's address, looked up once per process (a page draws twenty icons or more)."""
    return static("vendor/tabler-icons/sprite.svg")


@receiver(setting_changed)
def _sprite_forget(setting, **kwargs):
    # another static storage (a test's manifest storage) names the sprite otherwise
    if setting in ("STORAGES", "STATIC_URL", "STATIC_ROOT"):
        _sprite.cache_clear()


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """A Tabler icon, decorative (the text beside it names the thing)."""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css}" if css else "",
        _sprite(),
        name,
    )


# status tags drawn in the current render, by what they show: a list of fifty rows in three
# states renders components/status_tag.html three times, not fifty
_STATUS_TAGS = "gonghui_status_tags"


@register.simple_tag(takes_context=True)
def status_tag(context, obj, label: str = "", tone: str = "", testid: str = "", dom_id: str = ""):
    """A record's status in its colour (components/status_tag.html): `{% status_tag application %}`
    reads the record's workflow; `{% status_tag value label %}` shows a state of no workflow
    (tone by its name)."""
    workflow = workflow_of(obj)
    value = str(getattr(obj, workflow.state_field)) if workflow is not None else str(obj)
    drawn = context.render_context.setdefault(_STATUS_TAGS, {})
    key = (workflow, value, label, tone, testid, dom_id)
    if key not in drawn:
        if workflow is not None:
            label = label or workflow.state_label(value)
        css = tone_class(tone or state_tone(workflow, value))
        values = {"label": label or value, "css": css, "value": value, "testid": testid, "dom_id": dom_id}
        template = context.template.engine.get_template("components/status_tag.html")
        drawn[key] = template.render(Context(values, autoescape=context.autoescape))
    return mark_safe(drawn[key])  # rendered by the component's template, escaped there


@register.inclusion_tag("components/step_bar.html", takes_context=True)
def step_bar_for(context, obj, key="", title=""):
    """Where `obj` stands on its workflow's course, what comes next and who acts. Several bars
    on one page each take a `key` (their heading's id) and may name whose course it is (`title`)."""
    workflow = workflow_of(obj)
    if workflow is None:
        return {"bar": None}
    bar = step_bar(workflow, obj, getattr(context.get("request"), "user", None))
    return {"bar": bar, "css": tone_class(bar.tone), "key": key, "title": title}


@register.inclusion_tag("components/sort_header.html")
def sort_header(query: str, field: str, label: str, current: str = "", target: str = ""):
    """A table header that sorts by `field` (and by `-field` when already sorted by it), the
    list's other parameters kept; `target` is the htmx target that holds the table."""
    params = QueryDict(query, mutable=True)
    params.pop("page", None)
    descending = current == field
    params["sort"] = f"-{field}" if descending else field
    state = "ascending" if current == field else "descending" if current == f"-{field}" else "none"
    return {"href": f"?{params.urlencode()}", "label": label, "state": state, "target": target}


@register.inclusion_tag("core/partials/_chart_scripts.html")
def chart_scripts(charts):
    """ECharts and static/js/charts.js, on a page whose `charts` (a report's `Report.charts`)
    draw something: a page with only empty charts (their empty state) loads no script."""
    values = charts.values() if hasattr(charts, "values") else charts
    return {"draws": any(chart.labels for chart in values)}


@register.simple_tag
def cell_field(field, row: int):
    """A form field in a table cell, where its label is the column header: the field is named
    for assistive technology by its label and row ("起付线 第 2 行"), as a <label> would."""
    name = gettext("%(label)s 第 %(row)s 行") % {"label": field.label, "row": row}
    return field.as_widget(attrs={"aria-label": name})


@register.simple_tag
def filter_field(field):
    """A filter bar's field: a plain <select> is written by FastSelect (the same HTML, without a
    template per option: a list's units or sessions are drawn on every request)."""
    widget = field.field.widget
    if type(widget) is forms.Select:
        fast = FastSelect(attrs=widget.attrs, choices=widget.choices)
        fast.is_required = widget.is_required
        return field.as_widget(widget=fast)
    return field.as_widget()
