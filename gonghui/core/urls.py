from gonghui.core import views
from gonghui.core.routes import route

app_name = "core"
urlpatterns = [
    route("<int:pk>/", views.JobDetailView, "job_detail"),
]
