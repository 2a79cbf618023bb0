from gonghui.competitions.views import certificates, entries, judging, mine, office, reports, results_office
from gonghui.core.routes import route

app_name = "competitions"
urlpatterns: list = [
    # office: the competition office runs the editions (views/office.py, views/results_office.py);
    # the history and an edition's report (views/reports.py)
    route("", office.ListView, "list"),
    route("rules/", office.RulesView, "rules"),
    route("rules/adopt/", office.RulesAdoptView, "rules_adopt"),
    route("new/", office.CreateView, "create"),
    route("history/", reports.HistoryOverviewView, "history_overview"),
    route("<int:pk>/", office.DetailView, "detail"),
    route("<int:pk>/step/<str:step>/", office.StepView, "step"),
    route("<int:pk>/draw/", office.DrawView, "draw"),
    route("<int:pk>/judges/add/", office.JudgeAddView, "judge_add"),
    route("judges/<int:pk>/remove/", office.JudgeRemoveView, "judge_remove"),
    route("<int:pk>/link/", office.LinkView, "link"),
    route("<int:pk>/recommend/", office.RecommendView, "recommend"),
    route("<int:pk>/history/", office.HistoryView, "history"),
    route("<int:pk>/report/", reports.ReportView, "report"),
    route("<int:pk>/results/", results_office.ResultsView, "results"),
    route("<int:pk>/sheets/", results_office.SheetsView, "sheets"),
    route("<int:pk>/awards/confer/", results_office.AwardConferView, "award_confer"),
    route("awards/<int:pk>/withdraw/", results_office.AwardWithdrawView, "award_withdraw"),
    route("<int:pk>/notice/", results_office.NoticeView, "notice"),
    route("<int:pk>/record/", results_office.RecordView, "record"),
    route("<int:pk>/record/entry/", results_office.EntryRecordView, "record_entry"),
    route("<int:pk>/record/result/", results_office.ResultRecordView, "record_result"),
    # participants: colleges, contestants, judges (views/entries.py, judging.py, mine.py, certificates.py)
    route("<int:pk>/nominate/", entries.NominateView, "nominate"),
    route("entries/<int:pk>/", entries.EntryView, "entry"),
    route("entries/<int:pk>/materials/", entries.MaterialUploadView, "material_upload"),
    route("entries/<int:pk>/withdraw/", entries.WithdrawView, "entry_withdraw"),
    route("judging/", judging.JudgeHomeView, "judge_home"),
    route("judging/<int:pk>/", judging.QueueView, "judge_queue"),
    route("judging/<int:pk>/entries/<int:entry_pk>/", judging.SheetView, "sheet"),
    route("judging/<int:pk>/entries/<int:entry_pk>/save/", judging.SheetSaveView, "sheet_save"),
    route("<int:pk>/amend/", judging.AmendView, "amend"),
    route("mine/", mine.MineView, "mine"),
    route("certificates/<int:pk>/pdf/", certificates.CertificatePdfView, "certificate_pdf"),
    route("verify/<str:token>/", certificates.VerifyView, "verify"),
]
