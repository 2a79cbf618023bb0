"""The OpenAPI schema's error responses, declared once for every operation (issue 11, finding 7).

`AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to each operation the errors it can
answer, all in the API's one error shape (the `Error` component: {"message", "extra"}):

- 400 always: a value of the wrong type or outside its choices, a body that is not an object,
  a NUL byte anywhere in the request (core.middleware refuses it before any view);
- 401 and 403 when the view authenticates and checks permissions (anonymous or a bad token:
  401; a role without the permission, or a service refusing the actor: 403);
- 404 when the path names an object (not found or out of the caller's scope), and on paginated
  lists (a page past the end);
- 415 when the operation takes a body (a body that is not JSON, a form or multipart);
- any other status a view lists in `error_statuses` (the token endpoint's 429 lock-out, a report
  that needs a current session).

An operation that declares a status itself (`extend_schema(responses={...})`) keeps its own.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers (see gonghui.core.api.exception_handler)."""

    message = serializers.CharField(help_text=_("给人看的错误说明"))
    extra = serializers.DictField(
        help_text=_("细节：数据有误时 fields 列出各字段的错误（字段名 → 错误列表）"),
    )


ERROR_DESCRIPTIONS = {
    400: _("请求有误：参数或提交的数据不合要求"),
    401: _("未登录，或令牌无效、已过期"),
    403: _("没有执行该操作的权限"),
    404: _("未找到，或不在您的权限范围内"),
    415: _("不支持的提交格式"),
    429: _("尝试过于频繁，请稍后再试"),
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for status in self.error_statuses(operation):
            code = str(status)
            if code not in responses:
                responses[code] = {
                    **self._get_response_for_code(ErrorSerializer, code),
                    "description": str(ERROR_DESCRIPTIONS.get(status, "")),
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_statuses(self, operation: dict) -> list[int]:
        view = self.view
        statuses = {400}
        if view.get_authenticators() and view.get_permissions():
            statuses |= {401, 403}
        parameters = operation.get("parameters", [])
        if any(p["in"] == "path" for p in parameters) or any(
            p["in"] == "query" and p["name"] == "page" for p in parameters
        ):
            statuses.add(404)
        if "requestBody" in operation:
            statuses.add(415)
        statuses |= set(getattr(view, "error_statuses", ()))
        return sorted(statuses)
