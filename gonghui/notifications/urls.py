from django.urls import path

from gonghui.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("<int:pk>/open/", views.NotificationOpenView.as_view(), name="open"),
]
