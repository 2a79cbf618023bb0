from django.urls import path

from gonghui.attachments import views

app_name = "attachments"
urlpatterns = [
    path("upload/", views.AttachmentUploadView.as_view(), name="upload"),
    path("<uuid:pk>/", views.AttachmentDownloadView.as_view(), name="download"),
]
