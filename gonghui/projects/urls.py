from gonghui.core.routes import route
from gonghui.projects import urls_bulletins
from gonghui.projects.views import projects, rating

app_name = "projects"
urlpatterns: list = [
    # the projects (views/projects.py): the list, the table, a project and its buttons
    route("", projects.ProjectListView, "list"),
    route("new/", projects.ProjectCreateView, "new"),
    route("batches/new/", projects.BatchCreateView, "batch_new"),
    route("table/", projects.ProjectTableView, "table"),
    route("<int:pk>/", projects.ProjectDetailView, "detail"),
    route("<int:pk>/step/<str:step>/", projects.ProjectStepView, "step"),
    route("<int:pk>/progress/", projects.ProgressAddView, "progress_add"),
    route("<int:pk>/close-off/", projects.CloseOffView, "close_off"),
    # staff rate done projects (views/rating.py)
    route("rate/", rating.RateListView, "rate_list"),
    route("<int:pk>/rate/", rating.RateView, "rate"),
    # bulletins (views/bulletins.py)
    *urls_bulletins.urlpatterns,
]
