from gonghui.core.routes import route
from gonghui.mentorship.api import views

urlpatterns: list = [
    route("cohorts/", views.CohortListApi, "api-mentorship-cohort-list"),
    route("cohorts/<int:pk>/", views.CohortDetailApi, "api-mentorship-cohort-detail"),
    route("cohorts/<int:pk>/candidates/", views.CandidateListApi, "api-mentorship-candidate-list"),
    route("cohorts/<int:pk>/matchings/", views.MatchingRunApi, "api-mentorship-matching-run"),
    route("matchings/<int:pk>/", views.MatchingDetailApi, "api-mentorship-matching-detail"),
    route("pairs/", views.PairListApi, "api-mentorship-pair-list"),
    route("pairs/<int:pk>/", views.PairDetailApi, "api-mentorship-pair-detail"),
    route("pairs/<int:pk>/duties/", views.DutyLogApi, "api-mentorship-duty-log"),
    route("duties/<int:pk>/confirm/", views.DutyConfirmApi, "api-mentorship-duty-confirm"),
    route("duties/<int:pk>/return/", views.DutyReturnApi, "api-mentorship-duty-return"),
]
