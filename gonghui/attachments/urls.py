from gonghui.attachments import views
from gonghui.core.routes import route

app_name = "attachments"
urlpatterns = [
    route("upload/", views.AttachmentUploadView, "upload"),
    route("<uuid:pk>/", views.AttachmentDownloadView, "download"),
]
