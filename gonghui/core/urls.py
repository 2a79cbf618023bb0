from django.urls import path

from gonghui.core import views

app_name = "core"
urlpatterns = [
    path("<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
]
