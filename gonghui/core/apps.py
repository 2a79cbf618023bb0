from gonghui.core import registry


class CoreConfig(registry.GonghuiAppConfig):
    name = "gonghui.core"
    label = "core"
