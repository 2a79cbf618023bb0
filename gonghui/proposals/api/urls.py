from django.urls import path

from gonghui.proposals.api import views

urlpatterns: list = [
    path("", views.ProposalListApi.as_view(), name="api-proposal-list"),
    path("similar/", views.SimilarApi.as_view(), name="api-proposal-similar"),
    path("public/", views.PublicApi.as_view(), name="api-proposal-public"),
    path("unit-board/", views.UnitBoardApi.as_view(), name="api-proposal-unit-board"),
    path("report/", views.ReportApi.as_view(), name="api-proposal-report"),
    path(
        "sessions/<int:session_pk>/<str:action>/", views.SessionActionApi.as_view(), name="api-proposal-session-action"
    ),
    path("<int:pk>/", views.ProposalDetailApi.as_view(), name="api-proposal-detail"),
    path("<int:pk>/<str:action>/", views.ProposalActionApi.as_view(), name="api-proposal-action"),
]
