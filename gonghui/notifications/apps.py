from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "gonghui.notifications"
    label = "notifications"
