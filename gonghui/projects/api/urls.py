from gonghui.core.routes import route
from gonghui.projects.api import views

urlpatterns: list = [
    route("", views.ProjectListApi, "api-projects-project-list"),
    route("<int:pk>/", views.ProjectDetailApi, "api-projects-project-detail"),
    route("<int:pk>/steps/<str:step>/", views.ProjectStepApi, "api-projects-project-step"),
    route("<int:pk>/progress/", views.ProgressAddApi, "api-projects-progress-add"),
    route("<int:pk>/close-off/", views.CloseOffApi, "api-projects-project-close-off"),
    route("batches/", views.BatchListApi, "api-projects-batch-list"),
    route("rate/", views.RateListApi, "api-projects-rate-list"),
    route("<int:pk>/rate/", views.RateApi, "api-projects-rate"),
    route("bulletins/", views.BulletinListApi, "api-projects-bulletin-list"),
    route("bulletins/<int:pk>/", views.BulletinDetailApi, "api-projects-bulletin-detail"),
    route("bulletins/<int:pk>/publish/", views.BulletinPublishApi, "api-projects-bulletin-publish"),
]
