from gonghui.core import registry


class AccountsConfig(registry.GonghuiAppConfig):
    name = "gonghui.accounts"
    label = "accounts"
