from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "gonghui.attachments"
    label = "attachments"
