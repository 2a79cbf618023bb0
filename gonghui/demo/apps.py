from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class DemoConfig(registry.GonghuiAppConfig):
    """The demo university: the project-level command that builds people and sub-unions,
    then calls every module's registered demo builder."""

    name = "gonghui.demo"
    label = "demo"
    verbose_name = _("演示数据")
