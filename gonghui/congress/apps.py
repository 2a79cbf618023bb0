from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class CongressConfig(registry.GonghuiAppConfig):
    name = "gonghui.congress"
    label = "congress"
    verbose_name = _("教职工代表大会")
