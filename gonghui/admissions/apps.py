from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class AdmissionsConfig(registry.GonghuiAppConfig):
    name = "gonghui.admissions"
    label = "admissions"
    verbose_name = _("教职工子女入托入学")
