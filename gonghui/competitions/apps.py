from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class CompetitionsConfig(registry.GonghuiAppConfig):
    name = "gonghui.competitions"
    label = "competitions"
    verbose_name = _("青年教师教学基本功比赛")
