"""PLACEHOLDER until this module is written (each class 404s)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class RoundListApi(_Pending):
    pass


class RoundDetailApi(_Pending):
    pass


class TurnoutApi(_Pending):
    pass


class ResultsApi(_Pending):
    pass


class MyBallotsApi(_Pending):
    pass


class BallotCastApi(_Pending):
    pass
