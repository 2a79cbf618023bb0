from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class DeliberationsConfig(registry.GonghuiAppConfig):
    name = "gonghui.deliberations"
    label = "deliberations"
    verbose_name = _("专题审议")
