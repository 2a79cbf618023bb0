"""PLACEHOLDER until this module is written (each class 404s)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class py(_Pending):
    pass


class ListView(_Pending):
    pass


class RulesView(_Pending):
    pass


class RulesAdoptView(_Pending):
    pass


class RoundCreateView(_Pending):
    pass


class RoundDetailView(_Pending):
    pass


class RoundStepView(_Pending):
    pass


class HistoryView(_Pending):
    pass


class TurnoutView(_Pending):
    pass


class UnitAddView(_Pending):
    pass


class VotersAddView(_Pending):
    pass


class UnitSetupView(_Pending):
    pass


class UnitRemoveView(_Pending):
    pass


class CadreAddView(_Pending):
    pass


class VotersFillView(_Pending):
    pass


class TellersView(_Pending):
    pass


class CadreRemoveView(_Pending):
    pass


class CadreReportView(_Pending):
    pass
