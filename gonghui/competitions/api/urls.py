from gonghui.competitions.api import views
from gonghui.core.routes import route

urlpatterns: list = [
    route("editions/", views.EditionListApi, "api-competition-edition-list"),
    route("editions/<int:pk>/", views.EditionDetailApi, "api-competition-edition-detail"),
    route("editions/<int:pk>/entries/", views.EditionEntriesApi, "api-competition-edition-entries"),
    route("editions/<int:pk>/results/", views.ResultsApi, "api-competition-results"),
    route("editions/<int:pk>/nominate/", views.NominateApi, "api-competition-nominate"),
    route("mine/", views.MineApi, "api-competition-mine"),
    route("judge/queue/", views.JudgeQueueApi, "api-competition-judge-queue"),
    route("judge/<int:judge_id>/entries/<int:entry_id>/sheet/", views.SheetApi, "api-competition-sheet"),
]
