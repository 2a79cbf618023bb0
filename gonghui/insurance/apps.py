from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class InsuranceConfig(registry.GonghuiAppConfig):
    name = "gonghui.insurance"
    label = "insurance"
    verbose_name = _("职工互助保障")
