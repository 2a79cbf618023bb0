from gonghui.core.routes import route
from gonghui.deliberations.api import views

urlpatterns: list = [
    route("", views.DeliberationListApi, "api-deliberation-list"),
    route("mine/", views.MyOpinionsApi, "api-deliberation-mine"),
    route("<int:pk>/", views.DeliberationDetailApi, "api-deliberation-detail"),
    route("<int:pk>/report/", views.ReportApi, "api-deliberation-report"),
    route("versions/<int:pk>/", views.VersionApi, "api-deliberation-version"),
    route("rounds/<int:pk>/opinions/", views.OpinionGiveApi, "api-deliberation-opinion-give"),
    route("rounds/<int:pk>/rollup/", views.RollupApi, "api-deliberation-rollup"),
    route("groups/<int:pk>/answer/", views.GroupAnswerApi, "api-deliberation-group-answer"),
]
