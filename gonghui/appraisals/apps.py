from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class AppraisalsConfig(registry.GonghuiAppConfig):
    name = "gonghui.appraisals"
    label = "appraisals"
    verbose_name = _("干部民主测评")
