"""The design system's tags (templates/components/, docs/development/style-guide.md § Pages):
an icon from the vendored sprite, a status tag and a step bar read from the workflow table,
and the sort link of a table header."""

from django import template
from django.http import QueryDict
from django.templatetags.static import static
from django.utils.html import format_html

from gonghui.core.statuses import state_tone, step_bar, tone_class, workflow_of

register = template.Library()


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """A Tabler icon, decorative (the text beside it names the thing)."""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css}" if css else "",
        static("vendor/tabler-icons/sprite.svg"),
        name,
    )


@register.inclusion_tag("components/status_tag.html")
def status_tag(obj, label: str = "", tone: str = "", testid: str = "", dom_id: str = ""):
    """A record's status in its colour: `{% status_tag application %}` reads the record's
    workflow; `{% status_tag value label %}` shows a state of no workflow (tone by its name)."""
    workflow = workflow_of(obj)
    if workflow is not None:
        value = str(getattr(obj, workflow.state_field))
        label = label or workflow.state_label(value)
    else:
        value = str(obj)
        label = label or value
    css = tone_class(tone or state_tone(workflow, value))
    return {"label": label, "css": css, "value": value, "testid": testid, "dom_id": dom_id}


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
