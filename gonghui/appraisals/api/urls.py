from gonghui.appraisals.api import views
from gonghui.core.routes import route

urlpatterns: list = [
    route("rounds/", views.RoundListApi, "api-appraisal-round-list"),
    route("rounds/<int:pk>/", views.RoundDetailApi, "api-appraisal-round-detail"),
    route("rounds/<int:pk>/turnout/", views.TurnoutApi, "api-appraisal-turnout"),
    route("rounds/<int:pk>/results/", views.ResultsApi, "api-appraisal-results"),
    route("mine/", views.MyBallotsApi, "api-appraisal-mine"),
    route("units/<int:pk>/ballot/", views.BallotCastApi, "api-appraisal-ballot"),
]
