from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class ProposalsConfig(registry.GonghuiAppConfig):
    name = "gonghui.proposals"
    label = "proposals"
    verbose_name = _("教代会提案")
