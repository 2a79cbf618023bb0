from django.utils.translation import gettext_lazy as _

from gonghui.core import registry


class ProjectsConfig(registry.GonghuiAppConfig):
    name = "gonghui.projects"
    label = "projects"
    verbose_name = _("我为群众办实事")
