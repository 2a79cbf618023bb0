"""`{% attachment_usage %}`: the signed-in user's storage next to an upload form ("已用 X / Y");
`{% attachment_accept purpose %}`: the file input's `accept` for a purpose."""

from django import template
from django.utils.translation import gettext as _

from gonghui.attachments.selectors import attachment_usage as usage_of
from gonghui.attachments.selectors import size_text
from gonghui.attachments.services import attachment_allowed_types

register = template.Library()


@register.inclusion_tag("attachments/partials/_usage.html", takes_context=True)
def attachment_usage(context):
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"text": ""}
    usage = usage_of(user=user)
    return {
        "text": _("已用 %(used)s / %(limit)s")
        % {"used": size_text(usage.used_bytes), "limit": size_text(usage.limit_bytes)},
    }


@register.simple_tag
def attachment_accept(purpose: str) -> str:
    return ",".join(sorted(attachment_allowed_types(purpose or "")))
