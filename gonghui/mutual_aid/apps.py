from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class MutualAidConfig(registry.GonghuiAppConfig):
    name = "gonghui.mutual_aid"
    label = "mutual_aid"
    verbose_name = _("医疗互助会")
