from gonghui.core import registry


class NotificationsConfig(registry.GonghuiAppConfig):
    name = "gonghui.notifications"
    label = "notifications"
