"""API conventions: pagination and the one JSON error shape {"message", "extra"}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gonghui.core.exceptions import ApplicationError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


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
