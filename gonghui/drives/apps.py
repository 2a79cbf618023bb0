from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class DrivesConfig(registry.GonghuiAppConfig):
    name = "gonghui.drives"
    label = "drives"
    verbose_name = _("参保活动")
