from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "gonghui.insurance"
    label = "insurance"
    verbose_name = _("职工互助保障")
