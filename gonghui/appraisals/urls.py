from gonghui.appraisals.views import office, paper, results, voting
from gonghui.core.routes import route

app_name = "appraisals"
urlpatterns: list = [
    # the union office runs the round (views/office.py)
    route("", office.ListView, "list"),
    route("rules/", office.RulesView, "rules"),
    route("rules/adopt/", office.RulesAdoptView, "rules_adopt"),
    route("new/", office.RoundCreateView, "create"),
    route("<int:pk>/", office.RoundDetailView, "detail"),
    route("<int:pk>/step/<str:step>/", office.RoundStepView, "step"),
    route("<int:pk>/history/", office.HistoryView, "history"),
    route("<int:pk>/turnout/", office.TurnoutView, "turnout"),
    route("<int:pk>/units/add/", office.UnitAddView, "unit_add"),
    route("<int:pk>/voters/add/", office.VotersAddView, "voters_add"),
    route("units/<int:pk>/setup/", office.UnitSetupView, "unit_setup"),
    route("units/<int:pk>/remove/", office.UnitRemoveView, "unit_remove"),
    route("units/<int:pk>/cadres/add/", office.CadreAddView, "cadre_add"),
    route("units/<int:pk>/voters/fill/", office.VotersFillView, "voters_fill"),
    route("units/<int:pk>/tellers/", office.TellersView, "tellers"),
    route("cadres/<int:pk>/remove/", office.CadreRemoveView, "cadre_remove"),
    route("cadres/<int:pk>/report/", office.CadreReportView, "cadre_report"),
    # voters read the reports and vote on their phones (views/voting.py)
    route("units/<int:pk>/", voting.UnitView, "unit"),
    route("cadres/<int:pk>/", voting.CadreReadView, "cadre_read"),
    route("units/<int:pk>/vote/", voting.VoteView, "vote"),
    route("units/<int:pk>/voted/", voting.VotedView, "voted"),
    # the tellers enter the paper ballots (views/paper.py)
    route("units/<int:pk>/paper/", paper.PaperView, "paper"),
    route("units/<int:pk>/paper/handout/", paper.PaperHandoutView, "paper_handout"),
    route("units/<int:pk>/paper/agree/", paper.PaperAgreeView, "paper_agree"),
    route("paper/<uuid:key>/remove/", paper.PaperRemoveView, "paper_remove"),
    # the organisation department reads the results (views/results.py)
    route("<int:pk>/results/", results.ResultsView, "results"),
    route("<int:pk>/results/units/<int:unit_pk>/", results.UnitResultsView, "unit_results"),
    route("cadres/<int:pk>/sheet/", results.CadreSheetView, "cadre_sheet"),
]
