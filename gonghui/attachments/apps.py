from gonghui.core import registry


class AttachmentsConfig(registry.GonghuiAppConfig):
    name = "gonghui.attachments"
    label = "attachments"
