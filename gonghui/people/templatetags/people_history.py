"""Template helpers for the audit history on a person's page."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

register = template.Library()


@register.filter
def field_label(event, name: str) -> str:
    """The verbose name of field `name` of the record the audit event is about
    ("sub_union" → "分工会"); the name itself when the model or field is unknown."""
    try:
        model = apps.get_model(event.object_type)
        return capfirst(model._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
