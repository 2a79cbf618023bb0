"""PLACEHOLDER until this module is written (each class 404s)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class py(_Pending):
    pass


class ResultsView(_Pending):
    pass


class UnitResultsView(_Pending):
    pass


class CadreSheetView(_Pending):
    pass
