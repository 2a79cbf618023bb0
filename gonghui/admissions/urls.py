from gonghui.admissions.views import advice, campaigns, demand, portal, requests, setup
from gonghui.core.routes import route

app_name = "admissions"
urlpatterns: list = [
    # the member's side (views/portal.py): my children, the survey form, a new request
    route("mine/", portal.MineView, "mine"),
    route("mine/survey/<int:pk>/", portal.MineSurveyView, "mine_survey"),
    route("mine/children/<int:pk>/request/", portal.RequestNewView, "request_new"),
    route("policy/", advice.PolicyView, "policy"),
    # the year's work (views/campaigns.py): campaigns, steps, the survey and its board
    route("", campaigns.ListView, "campaigns"),
    route("new/", campaigns.CreateView, "campaign_create"),
    route("<int:pk>/", campaigns.DetailView, "campaign"),
    route("<int:pk>/step/<str:step>/", campaigns.StepView, "campaign_step"),
    route("<int:pk>/survey/", campaigns.SurveyView, "survey"),
    route("<int:pk>/survey/remind/", campaigns.SurveyRemindView, "survey_remind"),
    route("survey/<int:pk>/answer/", campaigns.SurveyAnswerView, "survey_answer"),
    # requests (views/requests.py): the list, a request and its buttons, the documents
    route("<int:pk>/requests/", requests.RequestListView, "requests"),
    route("requests/<int:pk>/", requests.RequestDetailView, "request"),
    route("requests/<int:pk>/submit/", requests.SubmitView, "request_submit"),
    route("requests/<int:pk>/check/", requests.CheckView, "request_check"),
    route("requests/<int:pk>/return/", requests.ReturnView, "request_return"),
    route("requests/<int:pk>/refer/", requests.ReferView, "request_refer"),
    route("requests/<int:pk>/answer/", requests.AnswerView, "request_answer"),
    route("requests/<int:pk>/withdraw/", requests.WithdrawView, "request_withdraw"),
    route("requests/<int:pk>/documents/", requests.DocumentUploadView, "document_upload"),
    route("documents/<int:pk>/check/", requests.DocumentCheckView, "document_check"),
    # the schools' answers, imported (core's import kit)
    route("<int:pk>/answers/import/", requests.AnswersImportView, "answers_import"),
    route("answers/<int:pk>/", requests.AnswersPreviewView, "answers_preview"),
    route("answers/<int:pk>/confirm/", requests.AnswersConfirmView, "answers_confirm"),
    # schools and rules (views/setup.py)
    route("schools/", setup.SchoolListView, "schools"),
    route("schools/new/", setup.SchoolEditView, "school_create"),
    route("schools/<int:pk>/edit/", setup.SchoolEditView, "school_edit"),
    route("rules/", setup.RulesView, "rules"),
    route("rules/new/", setup.RulesCreateView, "rules_create"),
    route("rules/<int:pk>/", setup.RulesDetailView, "rules_detail"),
    route("rules/<int:pk>/edit/", setup.RulesEditView, "rules_edit"),
    route("rules/<int:pk>/adopt/", setup.RulesAdoptView, "rules_adopt"),
    # advice and visits (views/advice.py)
    route("notes/", advice.NoteListView, "notes"),
    route("notes/new/", advice.NoteEditView, "note_create"),
    route("notes/<int:pk>/", advice.NoteDetailView, "note"),
    route("notes/<int:pk>/edit/", advice.NoteEditView, "note_edit"),
    route("notes/<int:pk>/publish/", advice.NotePublishView, "note_publish"),
    route("notes/<int:pk>/withdraw/", advice.NoteWithdrawView, "note_withdraw"),
    route("consultations/", advice.ConsultationsView, "consultations"),
    route("visits/", advice.VisitListView, "visits"),
    route("visits/new/", advice.VisitCreateView, "visit_create"),
    route("visits/<int:pk>/", advice.VisitDetailView, "visit"),
    route("visits/<int:pk>/hold/", advice.VisitHoldView, "visit_hold"),
    route("visits/<int:pk>/cancel/", advice.VisitCancelView, "visit_cancel"),
    route("visits/<int:pk>/attendance/", advice.VisitAttendanceView, "visit_attendance"),
    route("visits/<int:pk>/signup/", advice.VisitSignupView, "visit_signup"),
    route("visits/<int:pk>/signup/cancel/", advice.VisitSignupView, "visit_signup_cancel", cancel=True),
    # demand to action, and the report (views/demand.py)
    route("demand/", demand.DemandView, "demand"),
    route("demand/proposal/", demand.ShortageProposalView, "shortage_proposal"),
    route("demand/link/", demand.ShortageLinkView, "shortage_link"),
    route("report/", demand.ReportView, "report"),
]
