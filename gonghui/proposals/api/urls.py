from gonghui.core.routes import route
from gonghui.proposals.api import views

urlpatterns: list = [
    route("", views.ProposalListApi, "api-proposal-list"),
    route("similar/", views.SimilarApi, "api-proposal-similar"),
    route("public/", views.PublicApi, "api-proposal-public"),
    route("unit-board/", views.UnitBoardApi, "api-proposal-unit-board"),
    route("report/", views.ReportApi, "api-proposal-report"),
    route("sessions/<int:session_pk>/<str:action>/", views.SessionActionApi, "api-proposal-session-action"),
    route("<int:pk>/", views.ProposalDetailApi, "api-proposal-detail"),
    route("<int:pk>/<str:action>/", views.ProposalActionApi, "api-proposal-action"),
]
