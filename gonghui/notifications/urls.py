from gonghui.core.routes import route
from gonghui.notifications import views

app_name = "notifications"
urlpatterns = [
    route("", views.InboxView, "inbox"),
    route("read-all/", views.NotificationReadAllView, "read_all"),
    route("<int:pk>/read/", views.NotificationReadView, "read"),
    route("<int:pk>/open/", views.NotificationOpenView, "open"),
]
