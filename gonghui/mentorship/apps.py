from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class MentorshipConfig(registry.GonghuiAppConfig):
    name = "gonghui.mentorship"
    label = "mentorship"
    verbose_name = _("青年教师拜师结对")
