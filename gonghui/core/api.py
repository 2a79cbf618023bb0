"""API conventions: pagination, the one JSON error shape {"message", "extra"}, and the checked
query parameters and JSON bodies (`query_values`, `body_values`): a value of the wrong type,
outside its choices or a body that is not an object is a 400 in that shape, never a 500."""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.fields import empty
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import EstimatingPaginator
from gonghui.core.text import MAX_ID


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class EstimatingPagination(Pagination):
    """For lists that reach a million rows: `count` is exact up to EXACT_COUNT_UP_TO and the
    planner's estimate beyond (on PostgreSQL), which `count_is_estimate` says."""

    django_paginator_class = EstimatingPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        paginator = cast(EstimatingPaginator, self.page.paginator)  # type: ignore[union-attr]  # set by paginate_queryset
        response.data["count_is_estimate"] = paginator.count_is_estimate
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "true: count is PostgreSQL's planner estimate (more than 1,000 rows)",
        }
        return paginated


class PageParams(serializers.Serializer):
    """The page parameters of a list an APIView paginates itself with `Pagination`, for its
    `extend_schema(parameters=[...])` (a generic list view declares them on its own)."""

    page = serializers.IntegerField(required=False, help_text=gettext_lazy("页码（超出范围：404）"))
    page_size = serializers.IntegerField(required=False, help_text=gettext_lazy("每页条数（默认 50，最多 500）"))


class HasRolePermission(BasePermission):
    """The API twin of `PermissionPageMixin`: the caller must hold `view.permission_required`
    (a Django permission granted by a role); objects are then narrowed by the querysets."""

    def has_permission(self, request, view):
        required = getattr(view, "permission_required", None)
        if not (request.user and request.user.is_authenticated):
            return False
        return required is None or request.user.has_perm(required)


def exception_handler(exc, context):
    """Every error the API returns has the shape {"message": str, "extra": {...}}."""
    if isinstance(exc, ApplicationError):
        return Response({"message": str(exc.message), "extra": exc.extra}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": _("提交的数据有误"), "extra": {"fields": response.data}}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"message": str(detail), "extra": {}}
    return response


class _BlankIsNone:
    """An optional value sent empty ("") is no value, as the pages' forms send it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def run_validation(self, data=empty):
        return super().run_validation(None if data == "" else data)  # type: ignore[misc]


class OptionalIntegerField(_BlankIsNone, serializers.IntegerField):
    """An integer the database can compare: beyond a 64-bit column it is a 400, not an overflow."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -MAX_ID)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class OptionalDateField(_BlankIsNone, serializers.DateField):
    pass


def OptionalText(**kwargs) -> serializers.CharField:  # noqa: N802 (a field, named like one)
    """Free text that may be left out or empty, kept as typed (NUL refused by DRF's CharField)."""
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


def query_values(request, serializer_class: type[serializers.Serializer]) -> dict:
    """The query parameters `serializer_class` declares, checked and converted (an empty one is
    left out). The same class goes in the view's `extend_schema(parameters=[...])`, so the
    OpenAPI schema declares exactly what is accepted."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def body_values(request, serializer_class: type[serializers.Serializer]) -> dict:
    """The request body, checked by `serializer_class`: a JSON list, string or number instead of
    an object, or a value of the wrong type, is refused with a 400."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def next_steps(workflow, obj, user) -> list[dict]:
    """The workflow steps `user` may take on `obj` now, as an API record lists them
    ({"step", "label", "to"}): what the page's buttons offer."""
    from gonghui.core.workflow import available_steps

    return [
        {"step": step.name, "label": str(step.label), "to": str(step.target)}
        for step in available_steps(workflow, obj, user)
    ]
