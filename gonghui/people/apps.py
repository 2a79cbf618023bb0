from gonghui.core import registry


class PeopleConfig(registry.GonghuiAppConfig):
    name = "gonghui.people"
    label = "people"
