from gonghui.core import registry


class PortalConfig(registry.GonghuiAppConfig):
    name = "gonghui.portal"
    label = "portal"
