from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class ReportsConfig(registry.GonghuiAppConfig):
    name = "gonghui.reports"
    label = "reports"
    verbose_name = _("工会年度报告")
