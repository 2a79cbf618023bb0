"""PLACEHOLDER until this module is written (each class 404s)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class py(_Pending):
    pass


class PaperView(_Pending):
    pass


class PaperHandoutView(_Pending):
    pass


class PaperAgreeView(_Pending):
    pass


class PaperRemoveView(_Pending):
    pass
